// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <string_view>

namespace instantly::webhooks::detail {

/// Offset of the first byte that starts an invalid sequence, or npos when the text is valid UTF-8.
std::size_t first_invalid_utf8(std::string_view text) noexcept;

}  // namespace instantly::webhooks::detail
