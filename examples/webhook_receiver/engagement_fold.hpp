// One stored event folded into its lead's engagement row, whatever table holds
// the rows: the store passes how to load a row and how to save it.
#pragma once

#include <instantly/webhooks/engagement.hpp>

#include <functional>
#include <optional>
#include <string>

namespace webhook_receiver {

/// The row of (campaign, lead key), if there is one.
using LoadLead = std::function<std::optional<instantly::webhooks::LeadEngagement>(const std::string& campaign_id,
                                                                                 const std::string& lead_email)>;
using SaveLead = std::function<void(const instantly::webhooks::LeadEngagement&)>;

/// Parses `body` and, when the event concerns a lead, applies it to the lead's
/// row (loaded, or new) and saves the row if it changed. Returns why the body
/// could not be applied (it parsed when it arrived, so it was changed since),
/// or std::nullopt when it was applied.
std::optional<std::string> fold_stored_event(const std::string& body, const LoadLead& load, const SaveLead& save);

}  // namespace webhook_receiver
