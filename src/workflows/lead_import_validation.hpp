// Client-side checks a lead must pass before it is spent on a request, and
// the email key used to find duplicates across a whole import.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/models/lead.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows::detail {

struct ValidationLimits {
  std::size_t max_name = 100;
  std::size_t max_value = 1000;
  bool campaign_target = true;
};

/// Pragmatic, not RFC 5322: one '@', a non-empty local part, a domain with a
/// dot inside it, no whitespace or control characters, at most 254 chars.
/// The API has the last word; this only avoids wasting requests on obvious junk.
bool plausible_email(std::string_view email) noexcept;

/// Why the lead must not be sent (naming the field), or nothing when it may.
std::optional<std::string> rejection_reason(const LeadAddParamsLead& lead, const ValidationLimits& limits);

/// 64-bit FNV-1a of the ASCII-lower-cased email. Keeping hashes instead of
/// strings makes the import-wide duplicate set ~8 bytes a lead plus the set's
/// overhead; a false "duplicate" needs a 64-bit collision (~1e-8 at 1M emails).
std::uint64_t email_key(std::string_view email) noexcept;

}  // namespace instantly::workflows::detail
