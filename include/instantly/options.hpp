// Settings for a Client, with the defaults the API's behaviour calls for.
//
// Precedence (see docs/adr/0003-option-precedence.md): per-call `RequestOptions`
// beat `ClientOptions`, which beat environment variables (only read by
// `Client::from_env`), which beat the defaults below. One exception:
// `INSTANTLY_LOG` is read for every client without a `logger`, so that logs
// can be switched on in a deployed program without changing its code.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "instantly/transport.hpp"

namespace instantly {

/// Time as the client sees it. Injected in tests so retries and rate limits
/// can be exercised without real waiting. Implementations must be thread-safe.
class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual time_point now() = 0;
  virtual void sleep_until(time_point deadline) = 0;
  /// Wall-clock time, used to read `Retry-After` HTTP dates.
  virtual std::chrono::system_clock::time_point wall_now() = 0;

  /// Every wait of the client (rate limits, backoff, pollers): until
  /// `deadline`, or until `stop` is requested, whichever comes first. Returns
  /// false when stopped. The real clock wakes at once on the stop request;
  /// this default, for injected clocks, calls sleep_until and looks at `stop`
  /// before and after.
  virtual bool wait_until(time_point deadline, const std::stop_token& stop) {
    if (stop.stop_requested()) return false;
    sleep_until(deadline);
    return !stop.stop_requested();
  }
};

/// The real clock; one shared instance per process.
std::shared_ptr<Clock> system_clock();

/// When and how often a failed call is tried again. Retries happen on 429,
/// 408, 5xx and connection failures; a call that is not idempotent (POST,
/// PATCH) is retried only on 429 or when the connection was never made.
struct RetryPolicy {
  int max_retries = 2;  ///< retries after the first attempt; 0 disables retrying
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8'000};
  double multiplier = 2.0;
  /// A server `Retry-After` longer than this is ignored in favour of backoff.
  std::chrono::milliseconds max_retry_after{60'000};
  /// Returns a value in [0, 1); each backoff is shortened by up to 25 % of it
  /// so that many clients do not retry in lockstep. Empty = a random source.
  std::function<double()> jitter;
};

/// One limit: at most `count` requests in any `window`.
struct RateWindow {
  int count;
  std::chrono::milliseconds window;
};

class RateLimiter;
class Observer;
class Logger;

/// Client-side rate limiting, so bulk jobs wait instead of collecting 429s.
/// Limits are shared by every Client in the process that uses the same API
/// key and workspace (and clock), unless `ClientOptions::rate_limiter` says otherwise.
struct RateLimitOptions {
  bool enabled = true;
  RateWindow per_second{100, std::chrono::seconds(1)};
  RateWindow per_minute{6'000, std::chrono::minutes(1)};
  /// The stricter per-endpoint limits from the API's documentation
  /// (`GET /api/v2/emails` 20/min, `POST /api/v2/emails/test` 10/min, ...).
  bool endpoint_limits = true;
};

struct ClientOptions {
  /// Workspace API key, sent as `Authorization: Bearer <key>`. Required.
  std::string api_key;
  std::string base_url = "https://api.instantly.ai";
  /// Sent as `x-as-workspace` so an admin key can act on a sub-workspace.
  std::optional<std::string> workspace;
  /// Empty = `instantly-cpp/<version>`. Never leave a generic agent here: the
  /// API's edge answers those with 403 `error code: 1010`.
  std::string user_agent;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};
  /// The largest answer body a call accepts, counted after decompression (a gzip body that
  /// inflates past it is cut off as it inflates). Past it the transfer is abandoned and the
  /// call throws ResponseTooLargeError; memory stays within the limit. Per call:
  /// RequestOptions::max_response_bytes.
  std::size_t max_response_bytes = kDefaultMaxResponseBytes;
  RetryPolicy retry;
  RateLimitOptions rate_limit;
  /// Empty = the process-wide CurlTransport, shared by every Client.
  std::shared_ptr<Transport> transport;
  /// Empty = `system_clock()`.
  std::shared_ptr<Clock> clock;
  /// Decides when each request may go out (instantly/rate_limiter.hpp). Empty
  /// = the in-process limits of `rate_limit`, shared by every Client of the
  /// same workspace in this process. Set one to share a budget with other
  /// processes. Not used when `rate_limit.enabled` is false.
  std::shared_ptr<RateLimiter> rate_limiter;
  /// Check every typed call (`client.campaigns().create(...)`, ...) against the
  /// API's request schemas before sending (ranges, lengths, sizes, patterns,
  /// required members, either-or rules), and throw `ValidationError` naming the
  /// operation and each broken rule's field path instead of sending a request
  /// the API will refuse. Costs a parse of each request body. Empty = on; set
  /// false to send whatever the call was given. `Client::request` is never
  /// validated.
  std::optional<bool> validate_requests;
  /// Receives an event for every attempt, retry, rate-limit wait and failed
  /// call (instantly/observer.hpp), on the calling thread. Empty = none, and
  /// then reporting costs a pointer check per event.
  std::shared_ptr<Observer> observer;
  /// Where the client's events go as log lines (instantly/log.hpp), besides
  /// `observer`. Empty = `default_logger()`: stderr when `INSTANTLY_LOG` is
  /// set to debug, info or warning, nothing otherwise.
  std::shared_ptr<Logger> logger;
};

}  // namespace instantly
