// From an HTTP response to the right exception, for every error shape the
// API produces: the JSON envelope `{"statusCode", "error", "message"}`,
// plain-text or HTML bodies from the edge, Cloudflare's `error code: 1010`,
// and `200 {"error": "..."}` bodies that report a failure with a 2xx status.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"

namespace instantly::detail {

/// Replaces every occurrence of `secret` in `text` with "[redacted]".
std::string scrub_secret(std::string text, std::string_view secret);

/// True when a 2xx response is really an error: a JSON object whose only
/// members are error-envelope keys (`error`, `message`, `statusCode`, `code`,
/// `details`) and whose `error` is a non-empty string. Documented results
/// that merely contain an `error` field next to others (webhook test,
/// OAuth session status) are not errors.
bool is_error_in_success_body(const HttpResponse& response);

/// Whether this response is one the core must turn into an exception: a 4xx or 5xx, an error
/// in a 2xx body, and any 3xx (redirects are never followed, so a 3xx carries no answer).
inline bool is_error_response(const HttpResponse& response) {
  return response.status >= 300 || is_error_in_success_body(response);
}

/// Throws the ApiError subclass for the response's status, with error and
/// message read from whichever body shape came back. The API key is scrubbed
/// from everything that ends up in the exception.
[[noreturn]] void throw_api_error(const HttpResponse& response, RequestInfo request,
                                  std::string_view api_key,
                                  std::optional<std::chrono::milliseconds> retry_after);

/// The same connection error with the request, attempt count and stop reason filled in.
[[noreturn]] void rethrow_connection_error(const ApiConnectionError& error, RequestInfo request,
                                           std::string_view api_key);

}  // namespace instantly::detail
