// What ClientCore::execute reports about one call, kept out of its loop so
// that the loop reads as before. Every method returns at once when the client
// is not observed: that check is the whole cost of the seam then (bench/observer_cost).
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "core/client_core.hpp"
#include "core/event_sink.hpp"
#include "instantly/observer.hpp"
#include "instantly/options.hpp"

namespace instantly::detail {

class CallTrace {
 public:
  /// Names the call (by `identity`, or by looking `path` up in the operation
  /// table) and notes when it started; does nothing when `sink` is null.
  /// `path` must outlive the trace.
  CallTrace(const EventSink* sink, Clock& clock, std::string_view method, std::string_view path,
            CallIdentity identity, bool endpoint_limits)
      : sink_(sink), clock_(clock) {
    if (sink_) start(method, path, identity, endpoint_limits);
  }
  CallTrace(const CallTrace&) = delete;  // name_ points into method_
  CallTrace& operator=(const CallTrace&) = delete;

  bool active() const noexcept { return sink_ != nullptr; }
  /// The clock's time when observed, an empty time_point otherwise (no clock read).
  Clock::time_point mark() const { return sink_ ? clock_.now() : Clock::time_point{}; }

  /// Attempt `attempt` goes out now: returns the time it was sent (see `mark`).
  Clock::time_point sending(int attempt) const {
    if (!sink_) return {};
    attempts_ = attempt;
    return clock_.now();
  }
  /// The rate limiter let attempt `attempt` go; it asked at `asked_at`.
  void rate_limit_granted(int attempt, Clock::time_point asked_at) const {
    if (sink_) report_rate_limit_wait(attempt, asked_at);
  }
  /// An attempt sent at `sent_at` ended: with an answer (`status`) or without (`failure`).
  void attempt_ended(int attempt, Clock::time_point sent_at, std::optional<int> status,
                     std::string_view failure, std::size_t request_bytes, std::size_t response_bytes) const {
    if (sink_) report_attempt(attempt, sent_at, status, failure, request_bytes, response_bytes);
  }
  void retrying(int attempt, RetryReason reason, std::optional<int> status, std::chrono::milliseconds delay,
                bool delay_from_retry_after) const {
    if (sink_) {
      sink_->retry({.call = name_, .attempt = attempt, .reason = reason, .status = status, .delay = delay,
                    .delay_from_retry_after = delay_from_retry_after});
    }
  }
  /// The call ends with an answer of `status`, after the attempts `sending` saw.
  void succeeded(int status) const noexcept {
    if (sink_) report_success(status, attempts_);
  }
  /// The call ends with `error`, after the attempts `sending` saw.
  void failed(const std::exception& error) const noexcept {
    if (sink_) report_failure(error, attempts_);
  }

 private:
  void start(std::string_view method, std::string_view path, CallIdentity identity, bool endpoint_limits);
  void report_rate_limit_wait(int attempt, Clock::time_point asked_at) const;
  void report_attempt(int attempt, Clock::time_point sent_at, std::optional<int> status, std::string_view failure,
                      std::size_t request_bytes, std::size_t response_bytes) const;
  void report_success(int status, int attempts) const noexcept;
  void report_failure(const std::exception& error, int attempts) const noexcept;
  std::chrono::nanoseconds elapsed() const noexcept;

  const EventSink* sink_;
  Clock& clock_;
  std::string method_;  // upper case; CallName::method points here
  std::string_view path_;
  bool endpoint_limits_ = false;
  CallName name_;
  Clock::time_point started_{};
  mutable int attempts_ = 0;  // one trace per call, on the call's own thread
};

/// The RetryReason for a failed answer's status (429, 408, 5xx).
RetryReason retry_reason_for_status(int status) noexcept;

/// "NotFoundError", "ApiTimeoutError", ...: the class of one of the library's
/// exceptions, "Error" for another instantly::Error, "exception" for anything else.
std::string_view error_type_name(const std::exception& error) noexcept;

}  // namespace instantly::detail
