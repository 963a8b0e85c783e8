// What may go on an HTTP/1.1 request line or header line, checked once for the core (before
// any transport sees a request) and for the curl transport (which may be used on its own).
// A byte out of place there ends a line early or adds one: a header of the sender's choosing.
#pragma once

#include <string_view>

namespace instantly::detail {

/// RFC 9110 §5.6.2 `token`: what a method and a header name must be. Not empty.
bool is_http_token(std::string_view text) noexcept;

/// Whether `text` holds a byte below 0x20 or DEL; a tab only counts when `allow_tab` is false
/// (RFC 9110 §5.5 allows it inside a field value).
bool has_control_characters(std::string_view text, bool allow_tab = false) noexcept;

/// Throws ValidationError unless `method` is a token. The message does not quote it.
void check_http_method(std::string_view method);

/// Throws ValidationError unless `name` is a token and `value` has no control characters
/// but tabs. The message names the header only once its name is known to be a token,
/// and never quotes the value (it may be a credential).
void check_http_header(std::string_view name, std::string_view value);

}  // namespace instantly::detail
