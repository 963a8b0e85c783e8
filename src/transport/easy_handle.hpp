// One libcurl easy handle plus the error buffer curl writes into.
//
// A handle is worth keeping between requests: it holds the live keep-alive
// connection of its last transfer, so the next request through it skips the
// TCP and TLS handshakes.
#pragma once

#include <curl/curl.h>

#include <array>

namespace instantly::detail {

class EasyHandle {
 public:
  explicit EasyHandle(CURLSH* share);  ///< throws ApiConnectionError (stage Other)
  ~EasyHandle();
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;

  /// Forgets every option of the previous request but keeps the live
  /// connection and the share, so each request starts from libcurl defaults.
  void reset() noexcept;

  CURL* get() const noexcept { return curl_; }
  /// curl's own description of the last failure; empty when it gave none.
  const char* error_message() const noexcept { return error_buffer_.data(); }

 private:
  void attach_error_buffer() noexcept;

  CURL* curl_ = nullptr;
  // Lives as long as the handle, because curl may report errors into it even
  // while closing connections outside any request.
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
};

}  // namespace instantly::detail
