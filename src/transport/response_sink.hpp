// Collects what libcurl hands back while a response streams in.
#pragma once

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/transport.hpp"

namespace instantly::detail {

/// Feeds one raw header line (CRLF included or not) into `entries`.
///
/// A status line ("HTTP/1.1 100 Continue", "HTTP/2 200", a proxy's CONNECT
/// reply) starts a new response, so it clears what came before: only the final
/// response's headers survive. Folded continuation lines join the previous value.
void absorb_header_line(std::string_view line, std::vector<HttpHeaders::Entry>& entries);

struct ResponseSink {
  explicit ResponseSink(std::size_t limit) : max_bytes(limit) {}

  std::vector<HttpHeaders::Entry> header_entries;
  std::string body;
  /// The most bytes kept: of the body (decompressed, as curl hands it over), and of all header
  /// lines together. One more and the transfer is abandoned with `too_large` set.
  std::size_t max_bytes;
  std::size_t header_bytes = 0;
  bool too_large = false;
  /// Set when a callback failed (out of memory); rethrown after the transfer.
  std::exception_ptr failure;

  HttpHeaders take_headers();

  // Signatures match curl_write_callback; `self` is the ResponseSink.
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) noexcept;
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) noexcept;
};

}  // namespace instantly::detail
