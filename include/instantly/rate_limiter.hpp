// The rate-limit seam of the core: what decides when each request may go out.
//
// Instantly counts requests per workspace (100 per second and 6,000 per
// minute, and stricter limits on a few endpoints) and answers 429 beyond
// them. A client that waits before sending instead of collecting 429s needs
// one budget per workspace, shared by everything that calls it. By default
// that budget lives in the process (every Client with the same key,
// workspace, limits and clock shares it); a `RateLimiter` set in
// `ClientOptions::rate_limiter` replaces it, e.g. one that keeps the budget
// in a store shared by several processes.
//
// Thread-safety: implementations are called from many threads at once.
#pragma once

#include <chrono>
#include <stop_token>
#include <string_view>
#include <vector>

#include "instantly/options.hpp"

namespace instantly {

/// The request a slot is asked for.
struct RateLimitRequest {
  std::string_view method;  ///< upper case: "GET", "POST", ...
  std::string_view path;    ///< without the query string, e.g. "/api/v2/emails"
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;

  /// Waits until `request` may be sent and takes its slot. Returns false as
  /// soon as `stop` is requested (nothing may be sent then); a slot already
  /// taken is not given back, which only ever makes the budget stricter.
  /// Called before every attempt, retries included. Throws to fail the call
  /// (a shared store that cannot be reached, say); the error reaches the caller.
  virtual bool acquire(const RateLimitRequest& request, const std::stop_token& stop) = 0;
};

/// A limit Instantly documents for one endpoint (one method, one exact path),
/// on top of the workspace's: `GET /api/v2/emails` 20 per minute, ...
struct EndpointLimit {
  std::string_view method;
  std::string_view path;
  std::vector<RateWindow> windows;
};

/// Every documented per-endpoint limit, for limiters that enforce them.
const std::vector<EndpointLimit>& documented_endpoint_limits();

}  // namespace instantly
