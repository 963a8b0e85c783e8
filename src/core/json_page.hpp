// Where a raw list call puts its cursor. (Pages themselves are decoded by
// Codec<Page<T>> in json/codec.hpp, for Json items as for typed ones.)
#pragma once

#include <optional>
#include <string>

#include "instantly/client.hpp"

namespace instantly::detail {

/// A copy of `options` asking for the page after `cursor` (unchanged when
/// there is no cursor, so a caller's own `starting_after` is respected).
RequestOptions with_cursor(const RequestOptions& options, const std::optional<std::string>& cursor,
                           CursorIn cursor_in);

}  // namespace instantly::detail
