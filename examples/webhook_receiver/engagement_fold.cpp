#include "engagement_fold.hpp"

#include <instantly/error.hpp>
#include <instantly/webhooks/event.hpp>

namespace webhook_receiver {

namespace webhooks = instantly::webhooks;

std::optional<std::string> fold_stored_event(const std::string& body, const LoadLead& load, const SaveLead& save) {
  try {
    const webhooks::Event event = webhooks::parse_event(body);
    if (!webhooks::concerns_a_lead(event)) return std::nullopt;
    webhooks::LeadEngagement lead =
        load(event.campaign_id, webhooks::lead_key(*event.lead_email)).value_or(webhooks::LeadEngagement{});
    if (webhooks::apply(lead, event)) save(lead);
    return std::nullopt;
  } catch (const instantly::DecodeError& e) {
    return std::string(e.what());
  }
}

}  // namespace webhook_receiver
