// Constructors of the exception hierarchy in instantly/error.hpp. The mapping
// from responses to these types lives in core/error_mapping.cpp.
#include "instantly/error.hpp"

#include <cstddef>
#include <string>
#include <utility>

namespace instantly {
namespace {

// " [GET /api/v2/x, after 2 attempts; retries exhausted]", or "" before the core knows.
std::string describe(const RequestInfo& request) {
  if (request.method.empty()) return {};
  std::string text = " [" + request.method + " " + request.path + ", after " +
                     std::to_string(request.attempts) +
                     (request.attempts == 1 ? " attempt" : " attempts");
  if (!request.stop_reason.empty()) text += "; " + request.stop_reason;
  return text + "]";
}

std::string api_error_what(int status, const std::string& error, const std::string& message,
                           const RequestInfo& request) {
  std::string text = std::to_string(status);
  if (!error.empty()) text += " " + error;
  if (!message.empty() && message != error) text += ": " + message;
  return text + describe(request);
}

}  // namespace

ApiError::ApiError(int status, std::string error, std::string message, std::string body,
                   RequestInfo request)
    : Error(api_error_what(status, error, message, request)),
      status_(status),
      error_(std::move(error)),
      message_(std::move(message)),
      body_(std::move(body)),
      request_(std::move(request)) {}

RateLimitError::RateLimitError(int status, std::string error, std::string message, std::string body,
                               RequestInfo request,
                               std::optional<std::chrono::milliseconds> retry_after)
    : ApiError(status, std::move(error), std::move(message), std::move(body), std::move(request)),
      retry_after_(retry_after) {}

ApiConnectionError::ApiConnectionError(Stage stage, const std::string& detail, RequestInfo request)
    : Error(detail + describe(request)),
      stage_(stage),
      detail_(detail),
      request_(std::move(request)) {}

ApiTimeoutError::ApiTimeoutError(const std::string& detail, RequestInfo request, Stage stage)
    : ApiConnectionError(stage, detail, std::move(request)) {}

CancelledError::CancelledError(const std::string& message, RequestInfo request, bool abandoned_in_flight)
    : Error(message + describe(request)), request_(std::move(request)), abandoned_in_flight_(abandoned_in_flight) {}

ResponseTooLargeError::ResponseTooLargeError(std::size_t limit, RequestInfo request)
    : Error("the answer was larger than max_response_bytes (" + std::to_string(limit) +
            " bytes, counted decompressed) and was abandoned" + describe(request)),
      limit_(limit),
      request_(std::move(request)) {}

DecodeError::DecodeError(const std::string& message, std::string json_path)
    : Error(json_path.empty() ? message : message + " (at " + json_path + ")"),
      json_path_(std::move(json_path)) {}

}  // namespace instantly
