#include "core/call_trace.hpp"

#include <cctype>

#include "instantly/error.hpp"
#include "instantly/rate_limiter.hpp"
#include "validation/operations.hpp"

namespace instantly::detail {
namespace {

// A raw request on a path no operation matches: its filled-in path could hold ids (and
// would give a metric one label per id), so it is not used as a name.
constexpr std::string_view kUnmatchedPath = "(unmatched)";

// Every acquire takes a little time (a lock, or a round trip to a shared store): below this it
// is the limiter's bookkeeping, not a wait for the budget. Real waits are far longer (the
// tightest limit, 100/s, spaces requests 10 ms apart).
constexpr std::chrono::milliseconds kShortestReportedWait{1};

}  // namespace

void CallTrace::start(std::string_view method, std::string_view path, CallIdentity identity,
                      bool endpoint_limits) {
  method_.assign(method);
  for (char& c : method_) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  path_ = path.substr(0, path.find('?'));
  endpoint_limits_ = endpoint_limits;
  name_ = {.operation = identity.operation_id, .method = method_, .path_template = identity.path_template};
  if (name_.path_template.empty()) {
    const validation::OperationSchema* operation =
        identity.operation_id.empty() ? validation::match_operation(method_, path_)
                                      : validation::find_operation(identity.operation_id);
    if (operation != nullptr) {
      name_.operation = operation->operation_id;
      name_.path_template = operation->path;
    } else {
      name_.path_template = kUnmatchedPath;
    }
  }
  started_ = clock_.now();
}

void CallTrace::report_rate_limit_wait(int attempt, Clock::time_point asked_at) const {
  const auto waited = clock_.now() - asked_at;
  if (waited < kShortestReportedWait) return;
  std::string bucket = "workspace";
  if (endpoint_limits_) {
    for (const EndpointLimit& limit : documented_endpoint_limits()) {
      if (limit.method == method_ && limit.path == path_) {
        bucket.assign(limit.method).append(" ").append(limit.path);
        break;
      }
    }
  }
  sink_->rate_limit_wait({.call = name_,
                          .attempt = attempt,
                          .bucket = bucket,
                          .waited = std::chrono::duration_cast<std::chrono::nanoseconds>(waited)});
}

void CallTrace::report_attempt(int attempt, Clock::time_point sent_at, std::optional<int> status,
                               std::string_view failure, std::size_t request_bytes,
                               std::size_t response_bytes) const {
  sink_->attempt({.call = name_,
                  .attempt = attempt,
                  .status = status,
                  .failure = failure,
                  .duration = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now() - sent_at),
                  .request_bytes = request_bytes,
                  .response_bytes = response_bytes});
}

void CallTrace::report_failure(const std::exception& error, int attempts) const noexcept {
  CallFailedEvent event{.call = name_, .attempts = attempts, .error_type = error_type_name(error)};
  if (const auto* api = dynamic_cast<const ApiError*>(&error)) {
    event.status = api->status();
    event.stop_reason = api->stop_reason();
  } else if (const auto* connection = dynamic_cast<const ApiConnectionError*>(&error)) {
    event.stop_reason = connection->stop_reason();
  }
  event.elapsed = elapsed();
  sink_->call_failed(event);
}

void CallTrace::report_success(int status, int attempts) const noexcept {
  sink_->call_succeeded({.call = name_, .attempts = attempts, .status = status, .elapsed = elapsed()});
}

std::chrono::nanoseconds CallTrace::elapsed() const noexcept {
  try {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now() - started_);
  } catch (...) {
    return {};  // an injected clock that throws leaves the duration unknown; the event still counts
  }
}

RetryReason retry_reason_for_status(int status) noexcept {
  if (status == 429) return RetryReason::RateLimited;
  if (status == 408) return RetryReason::RequestTimeout;
  return RetryReason::ServerError;
}

std::string_view error_type_name(const std::exception& error) noexcept {
  // Most derived first: the first match is the class the caller catches.
  const std::exception* e = &error;
  if (dynamic_cast<const RateLimitError*>(e)) return "RateLimitError";
  if (dynamic_cast<const BadRequestError*>(e)) return "BadRequestError";
  if (dynamic_cast<const AuthenticationError*>(e)) return "AuthenticationError";
  if (dynamic_cast<const PaymentRequiredError*>(e)) return "PaymentRequiredError";
  if (dynamic_cast<const PermissionDeniedError*>(e)) return "PermissionDeniedError";
  if (dynamic_cast<const NotFoundError*>(e)) return "NotFoundError";
  if (dynamic_cast<const ConflictError*>(e)) return "ConflictError";
  if (dynamic_cast<const UnprocessableEntityError*>(e)) return "UnprocessableEntityError";
  if (dynamic_cast<const InternalServerError*>(e)) return "InternalServerError";
  if (dynamic_cast<const ApiError*>(e)) return "ApiError";
  if (dynamic_cast<const ApiTimeoutError*>(e)) return "ApiTimeoutError";
  if (dynamic_cast<const ApiConnectionError*>(e)) return "ApiConnectionError";
  if (dynamic_cast<const CancelledError*>(e)) return "CancelledError";
  if (dynamic_cast<const ResponseTooLargeError*>(e)) return "ResponseTooLargeError";
  if (dynamic_cast<const ValidationError*>(e)) return "ValidationError";
  if (dynamic_cast<const DecodeError*>(e)) return "DecodeError";
  if (dynamic_cast<const RateLimiterError*>(e)) return "RateLimiterError";
  if (dynamic_cast<const Error*>(e)) return "Error";
  return "exception";
}

}  // namespace instantly::detail
