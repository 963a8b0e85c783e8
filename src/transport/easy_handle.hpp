// One libcurl easy handle, the multi handle it runs in, and the error buffer
// curl writes into.
//
// A handle is worth keeping between requests: its multi handle holds the live
// keep-alive connection of its last transfer, so the next request through it
// skips the TCP and TLS handshakes. Transfers run through the multi interface
// rather than curl_easy_perform so that a stop request can wake the wait for
// the network at once (curl_multi_wakeup) instead of at curl's next
// once-a-second progress call.
#pragma once

#include <curl/curl.h>

#include <array>
#include <optional>
#include <stop_token>

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

  /// Runs the configured transfer to its end and returns libcurl's result, or
  /// nothing when `stop` was requested first: the transfer is then abandoned
  /// (its connection closed) within milliseconds. Throws ApiConnectionError
  /// (stage Other) when libcurl's multi interface itself fails.
  std::optional<CURLcode> perform(const std::stop_token& stop);

  CURL* get() const noexcept { return curl_; }
  /// curl's own description of the last failure; empty when it gave none.
  const char* error_message() const noexcept { return error_buffer_.data(); }

 private:
  void attach_error_buffer() noexcept;

  CURLM* multi_ = nullptr;
  CURL* curl_ = nullptr;
  // Lives as long as the handle, because curl may report errors into it even
  // while closing connections outside any request.
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
};

}  // namespace instantly::detail
