// The default Transport: libcurl's easy interface behind a pool of handles.
//
// Each send borrows an idle easy handle (creating one when none is free),
// runs one blocking transfer on the calling thread (stoppable through the
// request's stop token), and returns the handle with its live connection for
// the next caller on any thread. DNS results and
// TLS sessions are shared by all handles of one transport.
#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"
#include "transport/curl_failure.hpp"
#include "transport/curl_global.hpp"
#include "transport/curl_request.hpp"
#include "transport/curl_share.hpp"
#include "transport/easy_handle_pool.hpp"
#include "transport/response_sink.hpp"

namespace instantly {
namespace {

using detail::EasyHandle;

// curl treats 0 as "no timeout"; a caller asking for 0 ms wants the opposite.
long timeout_ms(std::chrono::milliseconds timeout) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(1, timeout.count()));
}

std::size_t pool_size(long max_idle_connections) {
  return max_idle_connections > 0 ? static_cast<std::size_t>(max_idle_connections) : 0;
}

std::string_view trimmed_curl_message(const char* message) {
  std::string_view text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options)
      : options_(std::move(options)), pool_(share_.get(), pool_size(options_.max_idle_connections)) {}

  HttpResponse send(const HttpRequest& request) override {
    detail::HeaderList headers = detail::build_header_list(request);  // validates before any work
    auto handle = pool_.take();
    handle->reset();
    detail::ResponseSink sink(request.max_response_bytes);
    configure(*handle, request, headers.get(), sink);

    const std::optional<CURLcode> done = handle->perform(request.stop);
    if (!done) throw CancelledError("transfer abandoned: the call was stopped");
    const CURLcode result = *done;
    if (sink.too_large || result == CURLE_FILESIZE_EXCEEDED) {
      throw ResponseTooLargeError(request.max_response_bytes);
    }
    if (sink.failure) std::rethrow_exception(sink.failure);
    if (result != CURLE_OK) {
      detail::throw_transfer_failure({.code = result,
                                      .request_started = request_started(*handle),
                                      .curl_message = trimmed_curl_message(handle->error_message()),
                                      .authority = detail::authority_of(request.url)});
    }

    HttpResponse response;
    long status = 0;
    curl_easy_getinfo(handle->get(), CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    response.headers = sink.take_headers();
    response.body = std::move(sink.body);
    return response;
  }

 private:
  void configure(EasyHandle& handle, const HttpRequest& request, curl_slist* headers,
                 detail::ResponseSink& sink) const {
    CURL* curl = handle.get();
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    // Only HTTP(S), also for anything a server might redirect to (we never follow).
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    // Signals and threads do not mix: without this, timeouts use SIGALRM.
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms(request.connect_timeout));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms(request.timeout));
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    // libcurl re-sends a request once, unasked, when a reused connection dies
    // before any answer byte; the server may have done the work by then. A
    // request that must not run twice gets a connection of its own (kept for
    // later requests), so there is nothing stale to reuse.
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, request.replayable ? 0L : 1L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl can decode
    // A Content-Length past the limit ends the transfer before the body; the sink counts what
    // does come (decompressed, chunked or of no declared length) against the same limit.
    constexpr auto kLargestOffset = static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max());
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(std::min(request.max_response_bytes, kLargestOffset)));

    apply_tls_and_proxy(curl);

    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    detail::apply_method_and_body(curl, request);

    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &detail::ResponseSink::on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &detail::ResponseSink::on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  }

  void apply_tls_and_proxy(CURL* curl) const {
    const bool verify = !options_.insecure_skip_verify;
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    // Leaving CURLOPT_PROXY unset is what lets libcurl honour https_proxy,
    // no_proxy and friends; setting it, even to "", would override them.
    if (!options_.proxy.empty()) curl_easy_setopt(curl, CURLOPT_PROXY, options_.proxy.c_str());
    if (!options_.no_proxy.empty()) curl_easy_setopt(curl, CURLOPT_NOPROXY, options_.no_proxy.c_str());
    // A proxy's "200 Connection established" is not the response we asked for.
    curl_easy_setopt(curl, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  }

  // PRETRANSFER is stamped just before the request goes out, and REQUEST_SIZE
  // counts request bytes written; both zero means the transfer died while
  // resolving, connecting, or negotiating TLS or a proxy tunnel.
  static bool request_started(const EasyHandle& handle) {
    curl_off_t pretransfer_us = 0;
    long request_bytes = 0;
    if (curl_easy_getinfo(handle.get(), CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us) != CURLE_OK ||
        curl_easy_getinfo(handle.get(), CURLINFO_REQUEST_SIZE, &request_bytes) != CURLE_OK) {
      return true;  // unknown: assume the worst, so nobody retries a POST that may have landed
    }
    return pretransfer_us > 0 || request_bytes > 0;
  }

  CurlTransportOptions options_;
  // Order matters: handles must be cleaned up before the share they use.
  detail::CurlShare share_;
  detail::EasyHandlePool pool_;
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport(CurlTransportOptions options) {
  detail::ensure_curl_initialised();
  return std::make_shared<CurlTransport>(std::move(options));
}

}  // namespace instantly
