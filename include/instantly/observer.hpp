// The observer seam of the core: what a Client reports about its work.
//
// Every attempt, every retry decision, every wait for the rate limiter and
// the end of every call (its answer, or its error) is one event, handed to the `Observer` set
// in `ClientOptions::observer` (and turned into log lines when a logger is
// set, see instantly/log.hpp). Workflows built on a Client (lead import,
// analytics sync) report through the same seam with `Client::notify`.
//
// What events carry is chosen so that metrics can be built on them later with
// bounded label sets: a call is named by its operation id and its path
// *template* ("/api/v2/campaigns/{id}"), never by the filled-in path, and no
// event holds the API key, a header value or a body.
//
// Lifetime: an event and every string_view in it live only for the duration
// of the `on_...` call. Copy what you keep.
//
// Thread-safety: events are delivered synchronously on the thread that makes
// the call, from any number of threads at once; an Observer must be
// thread-safe and should be quick (it runs between attempts). An exception
// thrown by an Observer is caught: the call goes on, and the first such error
// is reported once through the client's logger (stderr when there is none).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace instantly {

/// Names one call in every event.
struct CallName {
  /// The spec's operationId ("getCampaign"); empty for `Client::request` on a
  /// path that matches no known operation.
  std::string_view operation;
  std::string_view method;  ///< upper case: "GET", "POST", ...
  /// "/api/v2/campaigns/{id}", as the spec writes it; "(unmatched)" for a raw
  /// request on a path that matches no known operation.
  std::string_view path_template;
};

/// One request sent and answered (or not).
struct AttemptEvent {
  CallName call;
  int attempt = 1;  ///< 1 for the first request of the call, 2 for the first retry, ...
  /// The HTTP status, when an answer arrived (whatever it was: 200, 429, 503).
  std::optional<int> status;
  /// Why no usable answer arrived, empty when `status` is set: "connection_failed",
  /// "timeout", "cancelled" (stopped in flight), "response_too_large".
  std::string_view failure;
  /// From handing the request to the transport to its answer or failure; no
  /// rate-limit wait or backoff included. Measured on the client's Clock.
  std::chrono::nanoseconds duration{0};
  std::size_t request_bytes = 0;   ///< body bytes sent (headers not counted)
  std::size_t response_bytes = 0;  ///< body bytes received, after decompression
};

/// Why a failed attempt is tried again.
enum class RetryReason {
  RateLimited,       ///< 429
  RequestTimeout,    ///< 408
  ServerError,       ///< 5xx
  ConnectionFailed,  ///< no connection, or it broke before an answer
  Timeout,           ///< the connect or total timeout ran out
};

/// "rate_limited", "request_timeout", "server_error", "connection_failed", "timeout".
const char* to_string(RetryReason reason) noexcept;

/// The decision to try again, made after attempt `attempt` failed; the wait follows.
struct RetryEvent {
  CallName call;
  int attempt = 1;  ///< the attempt that failed
  RetryReason reason = RetryReason::ServerError;
  std::optional<int> status;  ///< of the failed attempt, when it got an answer
  std::chrono::milliseconds delay{0};  ///< how long the client waits before the next attempt
  bool delay_from_retry_after = false;  ///< the server's Retry-After set `delay` (else backoff)
};

/// A wait for the client-side rate limiter before an attempt; only reported
/// when there was a wait.
struct RateLimitWaitEvent {
  CallName call;
  int attempt = 1;  ///< the attempt that waited
  /// The narrowest limit that applies to the call: "workspace", or the
  /// documented endpoint limit, as "GET /api/v2/emails".
  std::string_view bucket;
  std::chrono::nanoseconds waited{0};
};

/// A call that got its answer, after its last attempt: what a latency metric
/// of whole calls (retries and waits included) is built on.
struct CallSucceededEvent {
  CallName call;
  int attempts = 1;  ///< requests sent, retries included
  int status = 200;  ///< of the answer the caller gets
  std::chrono::nanoseconds elapsed{0};  ///< the whole call, waits included
};

/// A call that ends in an exception, after its last attempt (or before any,
/// for a request refused by validation).
struct CallFailedEvent {
  CallName call;
  int attempts = 0;  ///< requests sent; 0 when nothing went out
  /// The exception's class: "RateLimitError", "NotFoundError", "ApiTimeoutError",
  /// "ValidationError", "CancelledError", ...
  std::string_view error_type;
  std::optional<int> status;  ///< for an ApiError
  /// Why the client stopped trying ("retries exhausted", ...); empty when it
  /// never considered a retry (a 404, a validation error).
  std::string_view stop_reason;
  std::chrono::nanoseconds elapsed{0};  ///< the whole call, waits included
};

/// What a workflow reports (instantly/workflows/*.hpp). `workflow` and
/// `action` are stable strings meant as metric labels:
///   lead_import     chunk_sent, chunk_retried, chunk_failed
///   analytics_sync  run_finished, run_failed
///   webhook         delivery_received, delivery_verified, delivery_accepted (spooled and
///                   answered), delivery_refused; later delivery_stored, delivery_duplicate,
///                   delivery_unparsed (the spool's forwarder); spool_nearly_full
struct WorkflowEvent {
  std::string_view workflow;
  std::string_view action;
  /// Why, for failures and refusals ("bad_secret", "RateLimitError"); empty otherwise.
  std::string_view reason;
  std::size_t items = 0;  ///< what the action covered: leads in a chunk, 1 for a delivery
  std::chrono::nanoseconds duration{0};  ///< of the action, when it has one
};

/// Receives a client's events. Every hook does nothing by default: override
/// the ones you need. See the top of this file for lifetime and threads.
class Observer {
 public:
  virtual ~Observer() = default;

  virtual void on_attempt(const AttemptEvent& /*event*/) {}
  virtual void on_retry(const RetryEvent& /*event*/) {}
  virtual void on_rate_limit_wait(const RateLimitWaitEvent& /*event*/) {}
  virtual void on_call_succeeded(const CallSucceededEvent& /*event*/) {}
  virtual void on_call_failed(const CallFailedEvent& /*event*/) {}
  virtual void on_workflow(const WorkflowEvent& /*event*/) {}
};

/// One observer that hands every event to each of `observers` in order (null
/// ones are skipped): a metrics exporter next to an observer of your own, in
/// the one `ClientOptions::observer` slot. One that throws does not keep the
/// event from the others; the first exception is rethrown after all had it.
std::shared_ptr<Observer> combine_observers(std::vector<std::shared_ptr<Observer>> observers);

}  // namespace instantly
