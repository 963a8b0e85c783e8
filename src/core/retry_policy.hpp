// The retry rules of DESIGN.md, as pure functions the core loop calls.
// Kept free of I/O so every rule can be tested with a table.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/options.hpp"

namespace instantly::detail {

/// GET, HEAD, OPTIONS, PUT and DELETE; POST and PATCH are not.
bool is_idempotent_method(std::string_view method);

/// Reads a `Retry-After` value: delta-seconds (fractions allowed) or an
/// HTTP date (IMF-fixdate, RFC 850 or asctime form). A date in the past
/// means "now" (zero). Anything unreadable gives nothing.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// What happened on one attempt, as far as retrying cares.
struct AttemptOutcome {
  std::optional<int> status;       ///< set when a response arrived
  bool connection_never_made = false;  ///< transport failed before sending anything
  bool idempotent = true;          ///< the call may safely run twice
};

/// Why the loop stops or goes on; the reason ends up in the final error.
enum class RetryVerdict {
  Retry,
  Success,             ///< status below 400 (or a 2xx error body, decided elsewhere)
  NotRetryable,        ///< e.g. 400, 401, 402, 404: retrying cannot help
  UnsafeToRepeat,      ///< retryable failure, but the call is not idempotent
  Exhausted,           ///< retryable, but no retries left
};

/// Decides for attempt number `attempt` (1-based) under `policy`.
RetryVerdict decide_retry(const AttemptOutcome& outcome, int attempt, int max_retries);

/// Backoff before retry number `retry` (1-based): initial × multiplier^(retry-1),
/// capped at max_backoff, then shortened by up to 25 % with `jitter` in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double jitter);

/// The wait before the next attempt: the server's Retry-After when it is
/// present and within policy.max_retry_after, otherwise the backoff.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry, double jitter,
                                      std::optional<std::chrono::milliseconds> retry_after);

/// Why the client gave up, for the final error ("retries exhausted"); empty
/// when there is nothing worth saying (a plain 404 on the first attempt).
std::string stop_reason(RetryVerdict verdict, int attempts);

}  // namespace instantly::detail
