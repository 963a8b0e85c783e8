// The `engagement` table: one row per (campaign, lead) with the columns of
// instantly::webhooks::LeadEngagement, read and written inside a store
// transaction.
#pragma once

#include <instantly/webhooks/engagement.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "sqlite.hpp"

namespace webhook_receiver {

/// The row of a lead, if it has one.
std::optional<instantly::webhooks::LeadEngagement> load_lead(Database& db, const std::string& campaign_id,
                                                             const std::string& lead_email);

/// Inserts or replaces the row of `lead`.
void save_lead(Database& db, const instantly::webhooks::LeadEngagement& lead);

}  // namespace webhook_receiver
