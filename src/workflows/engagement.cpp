// The engagement fold: every column is a function of the set of events
// applied (earliest / latest under a total order, a count), never of their
// arrival order, which is what makes it order-independent. EngagementTracker
// adds the "each dedupe key once" that makes it idempotent too.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/webhooks/engagement.hpp"
#include "webhooks/header_value.hpp"
#include "webhooks/timestamp.hpp"

namespace instantly::webhooks {
namespace {

// A total order on timestamps: readable ones by instant, then by text.
// `unreadable_first` decides where unreadable ones go, so that they never win.
bool earlier(std::string_view a, std::string_view b, bool unreadable_first) {
  const std::optional<detail::Micros> ta = detail::parse_iso8601(a);
  const std::optional<detail::Micros> tb = detail::parse_iso8601(b);
  if (ta.has_value() != tb.has_value()) return unreadable_first ? !ta.has_value() : ta.has_value();
  if (ta && *ta != *tb) return *ta < *tb;
  return a < b;
}

void keep_earliest(std::optional<std::string>& column, const std::string& timestamp) {
  if (!column || earlier(timestamp, *column, /*unreadable_first=*/false)) column = timestamp;
}

// Highest-precedence status whose column is set.
std::string status_of(const LeadEngagement& lead) {
  if (lead.unsubscribed_at) return "unsubscribed";
  if (lead.email_bounced_at) return "bounced";
  if (lead.email_replied_at) return "replied";
  if (lead.email_clicked_at) return "clicked";
  if (lead.email_opened_at) return "opened";
  if (lead.email_sent_at) return "sent";
  return {};
}

}  // namespace

std::string lead_key(std::string_view email) {
  std::string out(detail::trim_ows(email));
  for (char& c : out) c = detail::fold_ascii(c);
  return out;
}

bool concerns_a_lead(const Event& event) {
  if (!event.lead_email || detail::trim_ows(*event.lead_email).empty()) return false;
  const EventType& type = event.event_type;
  return !(type == EventType::CampaignCompleted || type == EventType::AccountError ||
           type == EventType::SupersearchEnrichmentCompleted || type == EventType::AllEvents);
}

bool apply(LeadEngagement& lead, const Event& event) {
  if (!concerns_a_lead(event)) return false;
  std::string email = lead_key(*event.lead_email);
  if (lead.lead_email.empty()) {
    lead.campaign_id = event.campaign_id;
    lead.lead_email = std::move(email);
  } else if (lead.campaign_id != event.campaign_id || lead_key(lead.lead_email) != email) {
    return false;
  }

  const EventType& type = event.event_type;
  if (type == EventType::EmailSent) {
    keep_earliest(lead.email_sent_at, event.timestamp);
  } else if (type == EventType::EmailOpened) {
    keep_earliest(lead.email_opened_at, event.timestamp);
  } else if (type == EventType::LinkClicked || type == EventType::EmailLinkClicked) {
    keep_earliest(lead.email_clicked_at, event.timestamp);
  } else if (type == EventType::ReplyReceived) {
    keep_earliest(lead.email_replied_at, event.timestamp);
    ++lead.reply_count;
  } else if (type == EventType::EmailBounced) {
    keep_earliest(lead.email_bounced_at, event.timestamp);
  } else if (type == EventType::LeadUnsubscribed) {
    keep_earliest(lead.unsubscribed_at, event.timestamp);
  } else if (type.is_lead_status()) {
    // Latest by timestamp; at the same timestamp the greater type name, so the choice is order-free.
    const bool newer = !lead.interest_at ||
                       earlier(*lead.interest_at, event.timestamp, /*unreadable_first=*/true) ||
                       (*lead.interest_at == event.timestamp && *lead.interest < type.value());
    if (newer) {
      lead.interest = type.value();
      lead.interest_at = event.timestamp;
    }
  }
  // auto_reply_received: the lead is known now, but no column changes.
  lead.email_status = status_of(lead);
  return true;
}

bool EngagementTracker::apply(const Event& event) {
  if (!concerns_a_lead(event)) return false;
  if (!seen_.insert(event.dedupe_key()).second) return false;
  std::string email = lead_key(*event.lead_email);
  auto [it, inserted] = leads_.try_emplace({event.campaign_id, std::move(email)});
  return webhooks::apply(it->second, event);
}

const LeadEngagement* EngagementTracker::find(std::string_view campaign_id, std::string_view lead_email) const {
  const auto it = leads_.find({std::string(campaign_id), lead_key(lead_email)});
  return it == leads_.end() ? nullptr : &it->second;
}

std::vector<LeadEngagement> EngagementTracker::leads() const {
  std::vector<LeadEngagement> out;
  out.reserve(leads_.size());
  for (const auto& [key, lead] : leads_) out.push_back(lead);
  return out;
}

}  // namespace instantly::webhooks
