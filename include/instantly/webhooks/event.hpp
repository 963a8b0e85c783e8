// A webhook delivery's payload: its event, typed, and a key that is the same
// for every retry of one event (Instantly sends no event id).
//
//   instantly::webhooks::Event event = instantly::webhooks::parse_event(body);
//   store(event.dedupe_key(), body);              // INSERT ... ON CONFLICT DO NOTHING
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/open_enum.hpp"

namespace instantly::webhooks {

/// The `event_type` of a payload. Open: custom workspace labels arrive as
/// their raw label and are kept as they are.
class EventType : public StringEnum<EventType> {
 public:
  using StringEnum::StringEnum;
  // The 19 subscription types...
  static const EventType AllEvents, EmailSent, EmailOpened, EmailLinkClicked, ReplyReceived, EmailBounced,
      LeadUnsubscribed, CampaignCompleted, AccountError, LeadNeutral, LeadInterested, LeadNotInterested,
      LeadMeetingBooked, LeadMeetingCompleted, LeadClosed, LeadOutOfOffice, LeadWrongPerson, LeadNoShow,
      SupersearchEnrichmentCompleted;
  // ...and the names payloads use that differ from them.
  static const EventType LinkClicked;        ///< "link_clicked": the payload of email_link_clicked
  static const EventType AutoReplyReceived;  ///< "auto_reply_received": arrives via all_events only

  /// The 19 types a subscription can name, in the order of the API's documentation.
  static const std::vector<EventType>& subscription_types();

  /// One of the 21 names above (a custom label is not).
  bool is_known() const noexcept;
  /// The subscription type that delivers this payload type: link_clicked → email_link_clicked,
  /// auto_reply_received and custom labels → all_events, the rest → themselves.
  EventType subscription_type() const;
  /// A lead status (the "interest" column): lead_neutral, lead_interested,
  /// lead_not_interested, lead_meeting_booked, lead_meeting_completed,
  /// lead_closed, lead_out_of_office, lead_wrong_person, lead_no_show, or a
  /// custom label (any type that is not known).
  bool is_lead_status() const noexcept;
};

inline const EventType EventType::AllEvents{"all_events"};
inline const EventType EventType::EmailSent{"email_sent"};
inline const EventType EventType::EmailOpened{"email_opened"};
inline const EventType EventType::EmailLinkClicked{"email_link_clicked"};
inline const EventType EventType::ReplyReceived{"reply_received"};
inline const EventType EventType::EmailBounced{"email_bounced"};
inline const EventType EventType::LeadUnsubscribed{"lead_unsubscribed"};
inline const EventType EventType::CampaignCompleted{"campaign_completed"};
inline const EventType EventType::AccountError{"account_error"};
inline const EventType EventType::LeadNeutral{"lead_neutral"};
inline const EventType EventType::LeadInterested{"lead_interested"};
inline const EventType EventType::LeadNotInterested{"lead_not_interested"};
inline const EventType EventType::LeadMeetingBooked{"lead_meeting_booked"};
inline const EventType EventType::LeadMeetingCompleted{"lead_meeting_completed"};
inline const EventType EventType::LeadClosed{"lead_closed"};
inline const EventType EventType::LeadOutOfOffice{"lead_out_of_office"};
inline const EventType EventType::LeadWrongPerson{"lead_wrong_person"};
inline const EventType EventType::LeadNoShow{"lead_no_show"};
inline const EventType EventType::SupersearchEnrichmentCompleted{"supersearch_enrichment_completed"};
inline const EventType EventType::LinkClicked{"link_clicked"};
inline const EventType EventType::AutoReplyReceived{"auto_reply_received"};

/// One delivery's payload. Known fields are typed; every other member (the
/// lead's own fields, fields Instantly adds later) stays in `extra`. A known
/// field sent as null reads as absent (empty for the plain strings).
struct Event {
  EventType event_type;
  std::string timestamp;  ///< ISO 8601, as sent
  std::string workspace;
  std::string campaign_id;
  std::string campaign_name;
  std::optional<std::string> lead_email;
  std::optional<std::string> email_account;
  std::optional<std::string> unibox_url;
  std::optional<std::int64_t> step;     ///< 1-based
  std::optional<std::int64_t> variant;  ///< 1-based
  std::optional<bool> is_first;
  std::optional<std::string> email_id;  ///< the reply_to_uuid to answer in-thread
  std::optional<std::string> email_subject;
  std::optional<std::string> email_text;
  std::optional<std::string> email_html;
  std::optional<std::string> reply_text_snippet;
  std::optional<std::string> reply_subject;
  std::optional<std::string> reply_text;
  std::optional<std::string> reply_html;
  /// Members not listed above, in the order they came.
  Json extra = Json::object();

  /// A key that is the same for every delivery of this event and differs
  /// between events: 64 hex digits of SHA-256 over a version tag and
  /// event_type, timestamp, workspace, campaign_id, lead_email (ASCII
  /// lower-cased), email_account (lower-cased), email_id, step and variant,
  /// each written as absent or length-prefixed so no two field lists collide.
  /// Instantly sends no event id; a retry repeats the payload byte for byte,
  /// so these fields repeat too. Member order, whitespace and `extra` play no
  /// part. The recipe is stable across releases (a new one would change the
  /// version tag).
  std::string dedupe_key() const;
  /// The payload as JSON again: event_type, timestamp, workspace, campaign_id
  /// and campaign_name always, the other known fields when present, then `extra`.
  /// parse_event(to_json().dump()) gives this event back.
  Json to_json() const;
  /// `timestamp` as a point in time (ISO 8601 / RFC 3339: date, `T` or space,
  /// time with optional fraction, `Z` or an offset; no offset means UTC), or
  /// nothing when it does not read as one.
  std::optional<std::chrono::sys_time<std::chrono::microseconds>> time() const;
};

struct ParseOptions {
  std::size_t max_body_bytes = 1 << 20;  ///< 1 MiB
};

/// Parses one delivery body. Throws DecodeError naming the problem (never
/// quoting the body): over the size limit, not UTF-8 (with the byte offset),
/// not JSON, not an object, no `event_type` string, a known field of the wrong
/// type (json_path() names it). Integer fields accept integral numbers
/// written as floats (`2.0`).
Event parse_event(std::string_view body, const ParseOptions& options = {});

}  // namespace instantly::webhooks
