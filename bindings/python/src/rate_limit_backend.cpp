#include "rate_limit_backend.hpp"

#include <string_view>

#include "instantly/error.hpp"

namespace instantly_python {

std::shared_ptr<instantly::RateLimiter> rate_limiter_for(const std::optional<std::string>& backend,
                                                         const instantly::ClientOptions& /*options*/) {
  if (!backend || backend->empty() || *backend == "local") return nullptr;
  const std::string_view url = *backend;
  const std::size_t colon = url.find("://");
  const std::string scheme(colon == std::string_view::npos ? std::string_view("(none)") : url.substr(0, colon));
  if (scheme == "redis" || scheme == "rediss") {
    // The Redis component (#14) plugs in here when the extension is built with it.
    throw instantly::ValidationError(
        "rate_limit_backend: this build of instantly has no Redis component, so a " + scheme +
        ":// backend cannot be used; it is built when libhiredis-dev is installed");
  }
  throw instantly::ValidationError("rate_limit_backend: unknown scheme '" + scheme +
                                   "'; use None or \"local\" (this process), or redis://host:port");
}

}  // namespace instantly_python
