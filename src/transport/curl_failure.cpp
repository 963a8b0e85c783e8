#include "transport/curl_failure.hpp"

#include <memory>

namespace instantly::detail {
namespace {

using Stage = ApiConnectionError::Stage;

const char* summary_of(Stage stage) noexcept {
  switch (stage) {
    case Stage::Resolve: return "could not resolve host";
    case Stage::Connect: return "could not connect";
    case Stage::Tls: return "TLS handshake or certificate verification failed";
    case Stage::Transfer: return "connection broke during the exchange";
    case Stage::Timeout: return "request timed out";
    case Stage::Other: break;
  }
  return "request failed";
}

struct UrlDeleter {
  void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* s) const noexcept { curl_free(s); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

CurlString url_part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK) return CurlString{};
  return CurlString{value};
}

}  // namespace

Stage stage_for(CURLcode code) noexcept {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Stage::Resolve;
    case CURLE_COULDNT_CONNECT:
      return Stage::Connect;
    case CURLE_OPERATION_TIMEDOUT:
      return Stage::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return Stage::Tls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    // An HTTP/2 stream reset or framing error also breaks an exchange that may
    // already have reached the server.
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return Stage::Transfer;
    default:
      return Stage::Other;
  }
}

std::string authority_of(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return "<unparsable URL>";
  }
  const CurlString host = url_part(parsed.get(), CURLUPART_HOST);
  if (!host) return "<URL without host>";
  std::string authority = host.get();
  if (const CurlString port = url_part(parsed.get(), CURLUPART_PORT)) {
    authority.append(":").append(port.get());
  }
  return authority;
}

void throw_transfer_failure(const TransferFailure& failure) {
  Stage stage = stage_for(failure.code);
  // Only a timeout that struck before the request left is provably harmless
  // to retry, and Stage::Connect is how callers learn that.
  const bool timed_out = failure.code == CURLE_OPERATION_TIMEDOUT;
  if (timed_out && !failure.request_started) stage = Stage::Connect;

  std::string detail = timed_out && stage == Stage::Connect ? "connect timed out" : summary_of(stage);
  detail.append(" (").append(failure.authority).append("): ");
  // The error buffer is the specific story; the generic code text is only a fallback.
  if (failure.curl_message.empty()) {
    detail.append(curl_easy_strerror(failure.code));
  } else {
    detail.append(failure.curl_message);
  }

  if (timed_out) throw ApiTimeoutError(detail, {}, stage);
  throw ApiConnectionError(stage, detail);
}

}  // namespace instantly::detail
