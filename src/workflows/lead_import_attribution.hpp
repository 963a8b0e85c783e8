// Turning one `POST /leads/add` answer into an outcome per sent lead. The API
// names the created leads (by payload index) but only counts the others, so
// this is where the attribution rule of lead_import.hpp lives.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "instantly/models/lead.hpp"
#include "instantly/workflows/lead_import.hpp"

namespace instantly::workflows::detail {

/// A lead as it went out: its input position and its email (may be empty for list targets).
struct SentLead {
  std::uint64_t index = 0;
  std::string email;
};

/// Lower-cased email → lead id of the given emails found in the target, or
/// nothing when the lookup failed.
using ContactLookup = std::function<std::optional<std::unordered_map<std::string, std::string>>(
    const std::vector<std::string>& emails)>;

struct AttributionContext {
  bool campaign_target = true;
  /// The chunk was sent before and that attempt failed ambiguously.
  bool after_retry = false;
  ContactLookup lookup;
};

/// One record per `sent` lead, in `sent` order.
std::vector<LeadRecord> attribute(const LeadAddResult& result, const std::vector<SentLead>& sent,
                                  const AttributionContext& context);

}  // namespace instantly::workflows::detail
