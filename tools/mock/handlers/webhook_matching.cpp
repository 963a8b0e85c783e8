#include "handlers/webhook_matching.hpp"

#include <algorithm>

namespace instantly::mock {

namespace {

bool is_all_events(const Json& subscription_type) {
  return !subscription_type.is_string() || subscription_type.as_string() == "all_events";
}

}  // namespace

bool event_type_matches(const Json& subscription_type, std::string_view payload_type) {
  if (is_all_events(subscription_type)) return true;
  const std::string& wanted = subscription_type.as_string();
  if (payload_type == "link_clicked") return wanted == "email_link_clicked";
  // Only the subscription names are real types; anything else (auto replies,
  // custom labels) reaches all_events alone, handled above.
  bool known = std::find(kWebhookEventTypes.begin(), kWebhookEventTypes.end(), payload_type) != kWebhookEventTypes.end();
  return known && wanted == payload_type;
}

bool subscription_active(const Json& webhook) {
  const Json* status = webhook.find("status");
  return status && status->is_number() && status->as_double() == 1;
}

bool subscription_receives(const Json& webhook, const Json& payload) {
  return subscription_active(webhook) && subscription_matches(webhook, payload);
}

bool subscription_matches(const Json& webhook, const Json& payload) {
  const Json* type = payload.find("event_type");
  std::string_view payload_type = type && type->is_string() ? std::string_view(type->as_string()) : "";
  const Json* subscribed = webhook.find("event_type");
  if (!event_type_matches(subscribed ? *subscribed : Json(), payload_type)) return false;
  const Json* campaign = webhook.find("campaign");
  if (campaign && campaign->is_string() && !campaign->as_string().empty()) {
    const Json* payload_campaign = payload.find("campaign_id");
    return payload_campaign && payload_campaign->is_string() && payload_campaign->as_string() == campaign->as_string();
  }
  return true;
}

std::string_view payload_type_for(const Json& subscription_type) {
  if (is_all_events(subscription_type)) return "email_sent";
  if (subscription_type.as_string() == "email_link_clicked") return "link_clicked";
  return subscription_type.as_string();
}

}  // namespace instantly::mock
