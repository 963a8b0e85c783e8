// Translating an HttpRequest into libcurl options: method, body and headers.
#pragma once

#include <curl/curl.h>

#include <memory>

#include "instantly/transport.hpp"

namespace instantly::detail {

struct HeaderListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

/// The request's headers exactly as given, plus the blank overrides that stop
/// libcurl inventing its own (`Expect: 100-continue`, a form Content-Type).
/// Throws ValidationError for a header whose name is not a token or whose value holds
/// control characters (check_http_header: they would smuggle extra headers onto the wire).
HeaderList build_header_list(const HttpRequest& request);

/// Sets the method and the body. An absent body sends nothing at all: no
/// Content-Length, no Content-Type. `request` must outlive the transfer
/// (libcurl reads the body in place, without copying it). Throws ValidationError
/// for a method that is not a token (check_http_method).
void apply_method_and_body(CURL* curl, const HttpRequest& request);

}  // namespace instantly::detail
