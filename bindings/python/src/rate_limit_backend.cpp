#include "rate_limit_backend.hpp"

#include <string_view>

#include "instantly/error.hpp"
#ifdef INSTANTLY_HAVE_REDIS
#include "instantly/redis/rate_limiter.hpp"
#endif

namespace instantly_python {

std::shared_ptr<instantly::RateLimiter> rate_limiter_for(const std::optional<std::string>& backend,
                                                         const instantly::ClientOptions& options) {
  if (!backend || backend->empty() || *backend == "local") return nullptr;
  const std::string_view url = *backend;
  const std::size_t colon = url.find("://");
  const std::string scheme(colon == std::string_view::npos ? std::string_view("(none)") : url.substr(0, colon));
  if (scheme == "redis" || scheme == "rediss") {
#ifdef INSTANTLY_HAVE_REDIS
    instantly::redis::RateLimiterOptions redis{.url = *backend, .limits = options.rate_limit};
    return instantly::redis::make_rate_limiter(redis, options.api_key, options.workspace.value_or(""),
                                               options.clock);
#else
    throw instantly::ValidationError(
        "rate_limit_backend: this build of instantly has no Redis component, so a " + scheme +
        ":// backend cannot be used; it is built when libhiredis-dev is installed");
#endif
  }
  throw instantly::ValidationError("rate_limit_backend: unknown scheme '" + scheme +
                                   "'; use None or \"local\" (this process), or redis://host:port");
}

}  // namespace instantly_python
