// The HTTP seam: plain request/response values and a one-method Transport.
//
// The client core builds an `HttpRequest`, hands it to a `Transport`, and maps
// the `HttpResponse` to results or errors. Any HTTP status — 4xx and 5xx
// included — is a response; a transport throws only when no response arrived
// (`ApiConnectionError`, or `ApiTimeoutError` when a timeout ran out).
//
// Tests and users can supply their own Transport (a recorder, a fake, a
// different HTTP stack) through `ClientOptions::transport`.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace instantly {

/// The default bound on a response body: 64 MiB, far above any answer of the API (a page of
/// 100 leads is well under 1 MiB) and far below what would hurt a process.
inline constexpr std::size_t kDefaultMaxResponseBytes = std::size_t{64} << 20;

/// Header list; names compare case-insensitively, order and repeats are kept.
class HttpHeaders {
 public:
  using Entry = std::pair<std::string, std::string>;

  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<Entry> entries) : entries_(entries) {}

  /// Appends a header (repeats allowed, as HTTP allows).
  void add(std::string name, std::string value);
  /// Replaces every header of this name with one value.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  /// First value of a header, if present.
  std::optional<std::string> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const std::vector<Entry>& entries() const noexcept { return entries_; }
  auto begin() const noexcept { return entries_.begin(); }
  auto end() const noexcept { return entries_.end(); }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute, query string included
  HttpHeaders headers;
  /// Absent means "send no body at all" (not even an empty one).
  std::optional<std::string> body;
  /// Timeouts below 1 ms are raised to 1 ms (curl reads 0 as "never").
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};  ///< whole exchange, connect included
  /// The most body bytes the transport keeps, counted after decompression. Past it the
  /// transfer is abandoned at once and `send` throws ResponseTooLargeError(limit).
  std::size_t max_response_bytes = kDefaultMaxResponseBytes;
  /// Whether the transport may send this request again by itself. The core
  /// clears it for calls that are not idempotent: libcurl silently repeats a
  /// request once when a reused keep-alive connection dies before the answer,
  /// which for a POST could do the work twice, so such requests go out on a
  /// fresh connection instead.
  bool replayable = true;
  /// When requested, the transport abandons the transfer as soon as it can and
  /// throws CancelledError. A transport that ignores it finishes the transfer;
  /// the core then sends nothing more.
  std::stop_token stop;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

/// Sends one request and returns whatever status came back.
///
/// Implementations must be safe to call from many threads at once.
/// Throws `ApiConnectionError` / `ApiTimeoutError` when there is no response,
/// `CancelledError` when `request.stop` ended the transfer, `ResponseTooLargeError`
/// when the body passed `request.max_response_bytes`.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

struct CurlTransportOptions {
  /// PEM bundle to verify servers against; empty = the system default.
  std::string ca_bundle;
  /// Verification is on unless this is set; only for local test servers.
  bool insecure_skip_verify = false;
  /// Explicit proxy URL. Empty = curl's usual environment variables
  /// (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`).
  std::string proxy;
  /// Hosts that bypass the proxy (curl's `no_proxy` syntax, `*` = all).
  /// Empty = the `no_proxy` environment variable.
  std::string no_proxy;
  /// How many idle pooled handles are kept, each holding on to the connection
  /// it last used; so also the bound on idle connections.
  long max_idle_connections = 128;
};

/// The default transport: libcurl with keep-alive connections shared by all
/// threads, a shared DNS and TLS-session cache, and HTTP/1.1 or HTTP/2 as the
/// server offers. libcurl is initialised once, internally, on first use.
std::shared_ptr<Transport> make_curl_transport(CurlTransportOptions options = {});

}  // namespace instantly
