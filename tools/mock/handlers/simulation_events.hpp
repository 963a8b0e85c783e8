// The engagement events the send simulation stores in
// collections::kEvents, which every analytics endpoint is computed from.
//
// One record per event, keyed by a creation-ordered id:
//   {"id", "type", "campaign_id", "lead_id", "lead_email", "step", "variant",
//    "timestamp", "timestamp_ms", "date", "email_id", "is_first"}
// `type` is the webhook payload's event_type; `step` and `variant` are
// 1-based like the payload's; `date` is the UTC day ("YYYY-MM-DD").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock::events {

inline constexpr std::string_view kEmailSent = "email_sent";
inline constexpr std::string_view kEmailOpened = "email_opened";
inline constexpr std::string_view kLinkClicked = "link_clicked";
inline constexpr std::string_view kReplyReceived = "reply_received";
inline constexpr std::string_view kAutoReplyReceived = "auto_reply_received";
inline constexpr std::string_view kEmailBounced = "email_bounced";
inline constexpr std::string_view kLeadUnsubscribed = "lead_unsubscribed";
inline constexpr std::string_view kCampaignCompleted = "campaign_completed";

/// Every type, in the order the simulation's summary lists them.
inline constexpr std::string_view kAllTypes[] = {kEmailSent,        kEmailOpened,      kLinkClicked,
                                                 kReplyReceived,    kAutoReplyReceived, kEmailBounced,
                                                 kLeadUnsubscribed, kCampaignCompleted};

struct EventFacts {
  std::string_view type;
  std::string campaign_id;
  std::string lead_id;
  std::string lead_email;
  int step = 0;     ///< 1-based; 0 for campaign-wide events
  int variant = 0;  ///< 1-based; 0 for campaign-wide events
  std::string email_id;
  bool is_first = false;
};

/// Stores one event stamped with the simulated clock; returns the record.
inline Json& record(State& state, const EventFacts& facts) {
  std::string id = state.new_id();
  std::int64_t now = state.now_ms();
  Json event = Json::object({{"id", id},
                             {"type", facts.type},
                             {"campaign_id", facts.campaign_id},
                             {"lead_id", facts.lead_id},
                             {"lead_email", facts.lead_email},
                             {"step", facts.step},
                             {"variant", facts.variant},
                             {"timestamp", State::iso8601(now)},
                             {"timestamp_ms", now},
                             {"date", State::date_of(now)},
                             {"email_id", facts.email_id},
                             {"is_first", facts.is_first}});
  return state.collection(collections::kEvents).put(std::move(id), std::move(event));
}

}  // namespace instantly::mock::events
