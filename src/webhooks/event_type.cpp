// EventType helpers: which names are known, which subscription delivers a
// payload type, which types are lead statuses.
#include <algorithm>
#include <vector>

#include "instantly/webhooks/event.hpp"

namespace instantly::webhooks {

const std::vector<EventType>& EventType::subscription_types() {
  static const std::vector<EventType> types{
      AllEvents,         EmailSent,         EmailOpened,           EmailLinkClicked,  ReplyReceived,
      EmailBounced,      LeadUnsubscribed,  CampaignCompleted,     AccountError,      LeadNeutral,
      LeadInterested,    LeadNotInterested, LeadMeetingBooked,     LeadMeetingCompleted, LeadClosed,
      LeadOutOfOffice,   LeadWrongPerson,   LeadNoShow,            SupersearchEnrichmentCompleted,
  };
  return types;
}

bool EventType::is_known() const noexcept {
  const auto& types = subscription_types();
  return *this == LinkClicked || *this == AutoReplyReceived ||
         std::find(types.begin(), types.end(), *this) != types.end();
}

EventType EventType::subscription_type() const {
  if (*this == LinkClicked) return EmailLinkClicked;
  if (!is_known() || *this == AutoReplyReceived) return AllEvents;
  return *this;
}

bool EventType::is_lead_status() const noexcept {
  static const EventType* const statuses[] = {&LeadNeutral,     &LeadInterested,  &LeadNotInterested,
                                              &LeadMeetingBooked, &LeadMeetingCompleted, &LeadClosed,
                                              &LeadOutOfOffice, &LeadWrongPerson, &LeadNoShow};
  for (const EventType* status : statuses) {
    if (*this == *status) return true;
  }
  return !is_known();
}

}  // namespace instantly::webhooks
