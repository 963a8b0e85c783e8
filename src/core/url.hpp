// Building request URLs: base + path + query, percent-encoded per RFC 3986.
#pragma once

#include <string>
#include <string_view>

#include "instantly/client.hpp"

namespace instantly::detail {

/// Encodes everything but the unreserved set (A-Z a-z 0-9 - . _ ~), so the
/// result is safe as one path segment or one query key/value. An account
/// email like `a+b@x.io` becomes `a%2Bb%40x.io`.
std::string percent_encode(std::string_view text);

/// One path parameter of a typed call, percent-encoded. Throws ValidationError naming
/// `name` when it is empty, "." or "..": as a segment it would address the collection or
/// the parent instead of one object (`campaigns().remove("")` is not a DELETE of all).
std::string path_segment(std::string_view value, std::string_view name);

/// `key=value&key=value`, each part encoded; repeated keys stay repeated.
std::string encode_query(const QueryParams& query);

/// base_url (any trailing '/' dropped) + path (leading '/' added if missing)
/// + '?' + query when there is one. The path is used as given: callers encode
/// their path parameters with percent_encode.
std::string build_url(std::string_view base_url, std::string_view path, const QueryParams& query);

}  // namespace instantly::detail
