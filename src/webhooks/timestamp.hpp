// ISO 8601 / RFC 3339 timestamps as points in time, for ordering events.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace instantly::webhooks::detail {

using Micros = std::chrono::sys_time<std::chrono::microseconds>;

/// `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]`; no offset means UTC; the
/// fraction is cut to microseconds. Nothing for anything else or an impossible date.
std::optional<Micros> parse_iso8601(std::string_view text) noexcept;

}  // namespace instantly::webhooks::detail
