// Turning a failed libcurl transfer into this library's exceptions.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "instantly/error.hpp"

namespace instantly::detail {

/// How far a transfer that failed with `code` got, as far as the code alone tells.
/// Timeouts report Stage::Timeout here; see throw_transfer_failure for the refinement.
ApiConnectionError::Stage stage_for(CURLcode code) noexcept;

/// "host:port" of an absolute URL, for error messages; never the path, query or userinfo.
std::string authority_of(const std::string& url);

struct TransferFailure {
  CURLcode code = CURLE_OK;
  /// False when libcurl never got as far as sending the request.
  bool request_started = true;
  std::string_view curl_message;  ///< libcurl's error buffer; may be empty
  std::string_view authority;     ///< from authority_of
};

/// Throws ApiTimeoutError for timeouts (stage Connect when the request was
/// never sent, else Timeout) and ApiConnectionError for everything else.
/// The message names the host and libcurl's reason; it is built only from
/// those, so request headers (and the API key in them) can never leak into it.
[[noreturn]] void throw_transfer_failure(const TransferFailure& failure);

}  // namespace instantly::detail
