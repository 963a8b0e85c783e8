// The exceptions this library throws: one hierarchy, rooted at instantly::Error.
//
//   Error
//   ├── ApiError                    the API answered with an error (any status)
//   │   ├── BadRequestError          400
//   │   ├── AuthenticationError      401
//   │   ├── PaymentRequiredError     402  (no plan or out of credits; never retried)
//   │   ├── PermissionDeniedError    403  (missing scope, or the edge blocked the User-Agent)
//   │   ├── NotFoundError            404
//   │   ├── ConflictError            409
//   │   ├── UnprocessableEntityError 422
//   │   ├── RateLimitError           429
//   │   └── InternalServerError      5xx
//   ├── ApiConnectionError          no HTTP response: connect, TLS, send or receive failed
//   │   └── ApiTimeoutError          the connect or total timeout ran out
//   ├── CancelledError              the call was stopped (RequestOptions::stop) before it ended
//   ├── ValidationError             bad input caught before anything was sent
//   ├── DecodeError                 a body that is not the JSON we expected
//   ├── PaginationError             the server repeated a cursor (would loop forever)
//   ├── RateLimiterError            a shared rate limiter's store is unreachable or refused us
//   ├── DatabaseError               a database store (instantly/postgres.hpp) failed; sqlstate()
//   │   └── SchemaError              the database's schema is not the one this build applies
//   ├── WebhookVerificationError    a webhook delivery failed verification
//   └── PollError                   a poller (workflows/pollers.hpp) stopped waiting
//       ├── PollTimeoutError         its timeout ran out first
//       └── PollCancelledError       its stop_token was triggered
//
// No message, field or what() string ever contains the API key: the core
// scrubs it from server bodies before they reach an exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace instantly {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Which request an error belongs to and how hard the client tried.
struct RequestInfo {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< e.g. "/api/v2/campaigns/123" (no query string)
  int attempts = 1;    ///< requests actually sent, retries included
  /// Why the client stopped trying ("retries exhausted", ...); empty when it
  /// never considered a retry.
  std::string stop_reason;
};

/// `what()` of every ApiError reads like
/// `404 Not Found: Campaign not found [GET /api/v2/campaigns/x, after 1 attempt]`.
class ApiError : public Error {
 public:
  ApiError(int status, std::string error, std::string message, std::string body, RequestInfo request);

  /// HTTP status code. 200 for the few endpoints that report failures as `200 {"error": ...}`.
  int status() const noexcept { return status_; }
  /// Short error name from the body (`"Bad Request"`, `"ACC_AUTH_ERROR"`), or the HTTP reason.
  const std::string& error() const noexcept { return error_; }
  /// Human-readable explanation from the server, or our own when the server gave none.
  const std::string& message() const noexcept { return message_; }
  /// Raw response body (JSON, plain text or HTML), with the API key scrubbed.
  const std::string& body() const noexcept { return body_; }
  const std::string& method() const noexcept { return request_.method; }
  const std::string& path() const noexcept { return request_.path; }
  int attempts() const noexcept { return request_.attempts; }
  const std::string& stop_reason() const noexcept { return request_.stop_reason; }

 private:
  int status_;
  std::string error_;
  std::string message_;
  std::string body_;
  RequestInfo request_;
};

class BadRequestError : public ApiError { public: using ApiError::ApiError; };
class AuthenticationError : public ApiError { public: using ApiError::ApiError; };
class PaymentRequiredError : public ApiError { public: using ApiError::ApiError; };
class PermissionDeniedError : public ApiError { public: using ApiError::ApiError; };
class NotFoundError : public ApiError { public: using ApiError::ApiError; };
class ConflictError : public ApiError { public: using ApiError::ApiError; };
class UnprocessableEntityError : public ApiError { public: using ApiError::ApiError; };
class InternalServerError : public ApiError { public: using ApiError::ApiError; };

class RateLimitError : public ApiError {
 public:
  RateLimitError(int status, std::string error, std::string message, std::string body,
                 RequestInfo request, std::optional<std::chrono::milliseconds> retry_after);
  /// The server's `Retry-After`, when it sent one we could read.
  std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

 private:
  std::optional<std::chrono::milliseconds> retry_after_;
};

class ApiConnectionError : public Error {
 public:
  /// How far the request got. Only `Connect` proves the server never saw it,
  /// which is what makes retrying a POST safe.
  enum class Stage { Resolve, Connect, Tls, Transfer, Timeout, Other };

  ApiConnectionError(Stage stage, const std::string& detail, RequestInfo request = {});

  Stage stage() const noexcept { return stage_; }
  /// True when the request certainly never reached the server.
  bool request_never_sent() const noexcept {
    return stage_ == Stage::Resolve || stage_ == Stage::Connect;
  }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& method() const noexcept { return request_.method; }
  const std::string& path() const noexcept { return request_.path; }
  int attempts() const noexcept { return request_.attempts; }
  const std::string& stop_reason() const noexcept { return request_.stop_reason; }
  const RequestInfo& request() const noexcept { return request_; }

 private:
  Stage stage_;
  std::string detail_;
  RequestInfo request_;
};

class ApiTimeoutError : public ApiConnectionError {
 public:
  explicit ApiTimeoutError(const std::string& detail, RequestInfo request = {},
                           Stage stage = Stage::Timeout);
};

/// The call was stopped through `RequestOptions::stop` before it ended: in a
/// wait for the rate limiter or before a retry, or with its transfer in
/// flight. Nothing was sent after the stop. `attempts()` counts the requests
/// that went out; when `abandoned_in_flight()`, the last of them was cut off
/// and the server may or may not have acted on it.
class CancelledError : public Error {
 public:
  CancelledError(const std::string& message, RequestInfo request = {}, bool abandoned_in_flight = false);

  const std::string& method() const noexcept { return request_.method; }
  const std::string& path() const noexcept { return request_.path; }
  int attempts() const noexcept { return request_.attempts; }
  bool abandoned_in_flight() const noexcept { return abandoned_in_flight_; }
  const RequestInfo& request() const noexcept { return request_; }

 private:
  RequestInfo request_;
  bool abandoned_in_flight_;
};

/// The answer was larger than the call's `max_response_bytes` (ClientOptions, RequestOptions),
/// counted after decompression, so it was abandoned as soon as the limit was passed: memory
/// stays within the limit. Not retried: the same request would get the same answer.
class ResponseTooLargeError : public Error {
 public:
  explicit ResponseTooLargeError(std::size_t limit, RequestInfo request = {});

  /// The limit that was passed, in bytes.
  std::size_t limit() const noexcept { return limit_; }
  const std::string& method() const noexcept { return request_.method; }
  const std::string& path() const noexcept { return request_.path; }
  int attempts() const noexcept { return request_.attempts; }
  const RequestInfo& request() const noexcept { return request_; }

 private:
  std::size_t limit_;
  RequestInfo request_;
};

class ValidationError : public Error {
 public:
  using Error::Error;
};

class DecodeError : public Error {
 public:
  /// `json_path` is where in the document decoding failed (`$.items[3].status`); may be empty.
  explicit DecodeError(const std::string& message, std::string json_path = {});
  const std::string& json_path() const noexcept { return json_path_; }

 private:
  std::string json_path_;
};

class PaginationError : public Error {
 public:
  using Error::Error;
};

/// A rate limiter whose budget lives outside the process (instantly/redis/rate_limiter.hpp)
/// could not be used: its store is unreachable, refused the credentials, or answered
/// nonsense. The message names the store's host and port and the reason, never a password.
class RateLimiterError : public Error {
 public:
  using Error::Error;
};

/// A database store could not do what was asked: connect, authenticate, or run a
/// statement. `sqlstate()` is PostgreSQL's five-character code when the server gave one
/// ("23505" a unique violation, "42501" a row-level security refusal), empty otherwise.
/// The message names the server (host, port, database, user), never a password.
class DatabaseError : public Error {
 public:
  explicit DatabaseError(const std::string& message, std::string sqlstate = {})
      : Error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

/// The database's schema is not the one this build expects: migrations are missing (apply
/// them), one this build does not know was applied (a newer build made it), or a shipped
/// migration was edited after it was applied.
class SchemaError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

/// Why a webhook delivery was refused (see instantly/webhooks/verify.hpp).
enum class WebhookFailure {
  MissingHeader,       ///< the secret or signature header is absent
  BadSecret,           ///< the secret header holds none of the accepted secrets
  MalformedSignature,  ///< the signature header cannot be read
  BadSignature,        ///< no signature matches the body
  MissingTimestamp,    ///< no (or an unreadable) webhook-timestamp
  StaleTimestamp,      ///< older than the tolerance window
  FutureTimestamp,     ///< further ahead than the tolerance window
  InvalidSecret,       ///< the configured secret itself is unusable (e.g. not base64 after whsec_)
};

/// "missing_header", "bad_secret", ... (stable strings for logs and Python).
const char* to_string(WebhookFailure reason) noexcept;

/// A webhook delivery failed verification. The message names the reason and
/// the header involved, never a secret or a signature.
class WebhookVerificationError : public Error {
 public:
  WebhookVerificationError(WebhookFailure reason, const std::string& message) : Error(message), reason_(reason) {}
  WebhookFailure reason() const noexcept { return reason_; }

 private:
  WebhookFailure reason_;
};

/// A poller (instantly/workflows/pollers.hpp) stopped before what it waited for
/// reached a final state. `last_status()` is the status its last poll saw ("" if
/// it never polled), `polls()` how many reads it made.
class PollError : public Error {
 public:
  PollError(const std::string& message, std::string last_status, int polls)
      : Error(message), last_status_(std::move(last_status)), polls_(polls) {}
  const std::string& last_status() const noexcept { return last_status_; }
  int polls() const noexcept { return polls_; }

 private:
  std::string last_status_;
  int polls_;
};

/// The poller's timeout ran out; the job or verification may still finish later.
class PollTimeoutError : public PollError {
 public:
  using PollError::PollError;
};

/// The poller's stop_token was triggered (std::stop_source::request_stop).
class PollCancelledError : public PollError {
 public:
  using PollError::PollError;
};

}  // namespace instantly
