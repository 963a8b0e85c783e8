// The per-endpoint limits Instantly documents, and WorkspaceLimits, which
// combines them with the workspace-wide windows.
#include "core/rate_limiter.hpp"

#include <chrono>
#include <utility>

namespace instantly::detail {

namespace {

// The query string never changes which documented rule applies.
std::string_view without_query(std::string_view path) {
  return path.substr(0, path.find('?'));
}

}  // namespace
}  // namespace instantly::detail

namespace instantly {

const std::vector<EndpointLimit>& documented_endpoint_limits() {
  using std::chrono::days;
  using std::chrono::hours;
  using std::chrono::minutes;
  // Rules match one method and one exact path: the docs state the 20/min
  // limit for listing emails, not for reading or changing a single email.
  static const std::vector<EndpointLimit> limits{
      {"GET", "/api/v2/emails", {{20, minutes(1)}}},
      {"POST", "/api/v2/emails/test", {{10, minutes(1)}}},
      {"POST", "/api/v2/oauth/google/init", {{75, minutes(1)}}},
      {"POST", "/api/v2/oauth/microsoft/init", {{75, minutes(1)}}},
      {"POST", "/api/v2/dfy-email-account-orders/domains/check",
       {{30, minutes(1)}, {900, hours(1)}}},
      {"POST", "/api/v2/lead-labels/ai-reply-label", {{500, days(30)}}},
  };
  return limits;
}

}  // namespace instantly

namespace instantly::detail {

WorkspaceLimits::WorkspaceLimits(const RateLimitOptions& options, std::shared_ptr<Clock> clock)
    : workspace_({options.per_second, options.per_minute}, clock) {
  if (!options.endpoint_limits) {
    return;
  }
  for (const EndpointLimit& limit : documented_endpoint_limits()) {
    endpoints_.emplace_back(&limit, std::make_unique<SlidingWindows>(limit.windows, clock));
  }
}

bool WorkspaceLimits::acquire(const RateLimitRequest& request, const std::stop_token& stop) {
  // The endpoint's own limit goes first: a call parked for a minute behind
  // GET /emails must not hold a workspace slot that other calls could use.
  const std::string_view bare_path = without_query(request.path);
  for (const auto& [limit, limiter] : endpoints_) {
    if (limit->method == request.method && limit->path == bare_path) {
      if (!limiter->acquire_unless_stopped(stop)) return false;
      break;
    }
  }
  return workspace_.acquire_unless_stopped(stop);
}

}  // namespace instantly::detail
