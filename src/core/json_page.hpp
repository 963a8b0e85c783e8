// The wire side of pagination: where the cursor goes and how a page reads.
#pragma once

#include <optional>
#include <string>

#include "instantly/client.hpp"

namespace instantly::detail {

/// A copy of `options` asking for the page after `cursor` (unchanged when
/// there is no cursor, so a caller's own `starting_after` is respected).
RequestOptions with_cursor(const RequestOptions& options, const std::optional<std::string>& cursor,
                           CursorIn cursor_in);

/// `{"items": [...], "next_starting_after": "..."}` as a Page. A bare array
/// is one page with no cursor. A null or empty cursor means "no next page".
Page<Json> decode_json_page(Json body);

}  // namespace instantly::detail
