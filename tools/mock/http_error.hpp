// The error the mock answers with, in the API's envelope:
//   {"statusCode": 404, "error": "Not Found", "message": "campaign 123 not found"}
// Handlers throw HttpError; the server turns it into the response.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "instantly/json.hpp"

namespace instantly::mock {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

/// "Bad Request", "Not Found", ... for the statuses the mock answers with.
std::string_view reason_phrase(int status) noexcept;

/// The envelope the API puts around every error.
Json error_envelope(int status, std::string_view message);

[[noreturn]] inline void bad_request(std::string message) { throw HttpError(400, std::move(message)); }
[[noreturn]] inline void not_found(std::string_view what, std::string_view id) {
  throw HttpError(404, std::string(what) + " " + std::string(id) + " not found");
}

}  // namespace instantly::mock
