// Which webhook subscriptions receive which payloads.
//
// The payload's `event_type` is not always the subscription's name: clicks
// arrive as `link_clicked` for `email_link_clicked` subscribers, and
// `auto_reply_received` and custom lead labels have no subscription type of
// their own, so only `all_events` subscribers see them.
#pragma once

#include <array>
#include <string_view>

#include "instantly/json.hpp"

namespace instantly::mock {

/// The 19 subscription event types, in the spec's order.
inline constexpr std::array<std::string_view, 19> kWebhookEventTypes = {
    "all_events",          "email_sent",           "email_opened",         "email_link_clicked",
    "reply_received",      "email_bounced",        "lead_unsubscribed",    "campaign_completed",
    "account_error",       "lead_neutral",         "lead_interested",      "lead_not_interested",
    "lead_meeting_booked", "lead_meeting_completed", "lead_closed",        "lead_out_of_office",
    "lead_wrong_person",   "lead_no_show",         "supersearch_enrichment_completed"};

/// Whether `subscription_type` (null = all events) receives a payload whose
/// event_type is `payload_type`.
bool event_type_matches(const Json& subscription_type, std::string_view payload_type);

/// Whether an active subscription record receives `payload` (status 1, event
/// type, and the optional campaign filter against the payload's campaign_id).
bool subscription_receives(const Json& webhook, const Json& payload);

/// Whether a subscription of any status is meant for `payload` (event type and
/// campaign filter): a disabled one that matches skips the payload.
bool subscription_matches(const Json& webhook, const Json& payload);

/// Whether the subscription delivers at all (status 1).
bool subscription_active(const Json& webhook);

/// The payload event_type a subscription type produces ("email_link_clicked"
/// → "link_clicked"); all_events → "email_sent". Used for test deliveries.
std::string_view payload_type_for(const Json& subscription_type);

}  // namespace instantly::mock
