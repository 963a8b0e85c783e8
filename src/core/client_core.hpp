// The shared core behind every Client copy: it turns (method, path, options)
// into an HttpRequest with the right headers, waits for the rate limiter,
// sends through the Transport, retries per RetryPolicy and maps failures to
// exceptions. Every wait and transfer honours the call's stop token.
// Immutable after construction, so any number of threads may call `execute`
// at once.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/client.hpp"
#include "instantly/rate_limiter.hpp"

namespace instantly::detail {

class CallTrace;
class EventSink;

/// What a typed call knows about itself, so that events name it by operation
/// and path template. Empty for `Client::request`: the core then looks the
/// path up in the operation table (only when someone observes the client).
struct CallIdentity {
  std::string_view operation_id;
  std::string_view path_template;
};

class ClientCore {
 public:
  /// Validates the options; throws ValidationError without echoing the key.
  explicit ClientCore(ClientOptions options);

  /// Sends the call (retrying as the policy allows) and returns a successful
  /// response; every failure is thrown as the matching exception.
  HttpResponse execute(std::string_view method, std::string_view path,
                       const RequestOptions& options) const;

  /// The same, with the body already encoded as JSON text (generated resources
  /// encode straight from typed params, so nothing is built or parsed twice).
  /// `json_body` is sent exactly as given, with `Content-Type: application/json`;
  /// nothing means no body at all. `options.body` is ignored.
  HttpResponse execute(std::string_view method, std::string_view path,
                       const RequestOptions& options, std::optional<std::string> json_body,
                       CallIdentity identity = {}) const;

  /// Reports a typed call refused before `execute` (by request validation) as
  /// a failed call with no attempts. Does nothing when nobody observes the client.
  void report_unsent(std::string_view method, std::string_view path, CallIdentity identity,
                     const std::exception& error) const noexcept;

  const ClientOptions& options() const noexcept { return options_; }
  /// Whether typed calls are checked against the request schemas before sending.
  bool validates_requests() const noexcept { return validate_requests_; }
  /// Where this client's events go; null when nobody observes it (no observer,
  /// no logger), which is all the reporting then costs: this pointer's check.
  const EventSink* events() const noexcept { return events_.get(); }

 private:
  /// `execute` without the failure event: the retry loop.
  HttpResponse attempt_until_done(std::string_view method, std::string_view path, const RequestOptions& options,
                                  std::optional<std::string> json_body, const CallTrace& trace) const;
  HttpRequest build_request(std::string_view method, std::string_view path,
                            const RequestOptions& options, std::optional<std::string> body) const;
  double next_jitter() const;
  std::optional<std::chrono::milliseconds> read_retry_after(const HttpResponse& response) const;

  ClientOptions options_;
  std::string user_agent_;
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<RateLimiter> limiter_;  // null when rate limiting is off
  bool validate_requests_ = false;
  std::shared_ptr<const EventSink> events_;
};

/// The JSON body to send, or nothing: an absent, null or empty-object body is
/// not sent at all (action and DELETE endpoints reject bodies).
std::optional<std::string> serialize_body(const std::optional<Json>& body);

}  // namespace instantly::detail
