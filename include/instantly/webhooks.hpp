// Receiving Instantly webhooks: verify a delivery, parse its event, derive a
// key that is the same for every retry of one event, and fold events into the
// per-lead engagement state a database keeps. No network here.
//
// Instantly does not sign deliveries and sends no event id (api-facts.md).
// Its only authentication is the `headers` map of the subscription, sent
// verbatim with every delivery: put a secret there (generate_secret()) and
// check it with SecretHeaderVerifier. Deliveries that come through a signing
// relay use the Standard Webhooks scheme: StandardWebhooksVerifier. To create
// a subscription with a fresh secret header, see instantly/webhook_subscription.hpp.
//
//   instantly::webhooks::SecretHeaderVerifier verify("X-Webhook-Secret", {secret});
//   verify(request_headers);                      // throws WebhookVerificationError
//   instantly::webhooks::Event event = instantly::webhooks::parse_event(body);
//   store(event.dedupe_key(), body);              // INSERT OR IGNORE
//
// Thread-safety: verifiers and trackers are plain values; a const verifier may
// be shared by threads. EngagementTracker is not synchronised.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/open_enum.hpp"
#include "instantly/transport.hpp"

namespace instantly::webhooks {

// ---- verification ---------------------------------------------------------------

/// A random secret for a subscription's header: 32 bytes from OpenSSL's
/// CSPRNG, URL-safe base64 without padding (43 characters of `A-Za-z0-9-_`,
/// safe in any header value). Throws instantly::Error if the CSPRNG fails.
std::string generate_secret();

/// The Instantly mechanism: one header whose value must equal one of the
/// accepted secrets (several during a rotation: accept old and new, switch the
/// subscription, then drop the old one). Header names match
/// case-insensitively (the first header of that name counts); surrounding
/// spaces and tabs of the value are ignored. With `allow_bearer_prefix`, a
/// value `Bearer <secret>` (scheme in any case) is accepted too, for
/// subscriptions that send `Authorization: Bearer <secret>`.
///
/// Comparison is constant-time and length-independent: the SHA-256 digests of
/// the received value and of every accepted secret are compared with
/// CRYPTO_memcmp, all of them, without stopping at the first match. Only the
/// digests are kept, not the secrets.
class SecretHeaderVerifier {
 public:
  /// Throws WebhookVerificationError(InvalidSecret) for an empty header name,
  /// no secrets, or an empty secret.
  SecretHeaderVerifier(std::string header_name, const std::vector<std::string>& secrets,
                       bool allow_bearer_prefix = true);

  /// Throws WebhookVerificationError (MissingHeader, BadSecret).
  void verify(const HttpHeaders& headers) const;
  void operator()(const HttpHeaders& headers) const { verify(headers); }
  /// The same check, without throwing.
  bool is_valid(const HttpHeaders& headers) const noexcept;

  const std::string& header_name() const noexcept { return header_name_; }
  bool allows_bearer_prefix() const noexcept { return allow_bearer_prefix_; }

 private:
  using Digest = std::array<unsigned char, 32>;
  bool matches(std::string_view value) const noexcept;

  std::string header_name_;
  std::vector<Digest> secret_digests_;  // SHA-256 of each accepted secret
  bool allow_bearer_prefix_;
};

/// Standard Webhooks (standardwebhooks.com): headers `webhook-id`,
/// `webhook-timestamp` (Unix seconds) and `webhook-signature` holding one or
/// more space-separated `v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
/// Secrets are `whsec_<base64 key>` (the prefix is optional; padding too); several may be
/// given for rotation. A timestamp further than `tolerance` from now, in either
/// direction, is refused.
///
/// Checks, in order: the three headers are present (MissingHeader; for the
/// timestamp MissingTimestamp, also when it is not a decimal number), the
/// timestamp is within the window (StaleTimestamp, FutureTimestamp), the
/// signature header holds at least one readable `v1,<base64 of 32 bytes>`
/// (MalformedSignature; other versions such as `v1a,` are skipped), and one of
/// them equals the HMAC of one of the keys (BadSignature). Signatures compare
/// with CRYPTO_memcmp.
class StandardWebhooksVerifier {
 public:
  using Clock = std::chrono::system_clock;

  /// Throws WebhookVerificationError(InvalidSecret) for no secrets or a secret
  /// that is not base64 (or decodes to nothing), and ValidationError for a
  /// negative tolerance.
  explicit StandardWebhooksVerifier(const std::vector<std::string>& secrets,
                                    std::chrono::seconds tolerance = std::chrono::minutes(5));

  /// Throws WebhookVerificationError (MissingHeader, MissingTimestamp,
  /// StaleTimestamp, FutureTimestamp, MalformedSignature, BadSignature).
  void verify(const HttpHeaders& headers, std::string_view body, Clock::time_point now = Clock::now()) const;
  bool is_valid(const HttpHeaders& headers, std::string_view body, Clock::time_point now = Clock::now()) const noexcept;

  /// The `webhook-signature` value for a delivery (`v1,<base64>`), signed with the first secret:
  /// for relays and tests.
  std::string sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;

  std::chrono::seconds tolerance() const noexcept { return tolerance_; }

 private:
  std::vector<std::string> keys_;  // decoded secret bytes
  std::chrono::seconds tolerance_;
};

// ---- events ---------------------------------------------------------------------

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

// ---- engagement -------------------------------------------------------------------

/// Where a lead stands, as the users' lead table keeps it.
struct LeadEngagement {
  std::string campaign_id;
  std::string lead_email;  ///< lower-cased
  std::optional<std::string> email_sent_at;      ///< earliest email_sent
  std::optional<std::string> email_opened_at;    ///< earliest email_opened
  std::optional<std::string> email_clicked_at;   ///< earliest link_clicked
  std::optional<std::string> email_replied_at;   ///< earliest reply_received
  std::optional<std::string> email_bounced_at;
  std::optional<std::string> unsubscribed_at;
  std::int64_t reply_count = 0;  ///< distinct reply_received events (by dedupe key)
  /// The furthest state reached, by precedence not arrival order:
  /// "sent" < "opened" < "clicked" < "replied" < "bounced" < "unsubscribed"
  /// (the last two are terminal and win over the rest). Empty before any of these.
  std::string email_status;
  /// The latest lead status by timestamp (lead_interested, lead_not_interested, ...,
  /// or a custom label: EventType::is_lead_status), and its timestamp.
  std::optional<std::string> interest;
  std::optional<std::string> interest_at;

  friend bool operator==(const LeadEngagement&, const LeadEngagement&) = default;
};

/// Folds events into per-lead state. Applying the same event twice changes
/// nothing; applying events in any order gives the same state (earliest
/// times for the "_at" columns, latest timestamp wins for interest).
///
/// Timestamps are ordered as points in time (Event::time), so `...Z` and
/// `...+02:00` compare correctly; equal instants fall back to the text, and
/// unreadable timestamps order after readable ones for the "earliest"
/// columns and before them for interest, so they never win over a readable one.
/// auto_reply_received concerns the lead but changes no column (it is not a reply).
class EngagementTracker {
 public:
  /// Returns false when the event was already applied (same dedupe key) or
  /// concerns no lead: no lead_email, or a type that is not about one lead
  /// (campaign_completed, account_error, supersearch_enrichment_completed, all_events).
  bool apply(const Event& event);

  /// Puts one lead's state as a store kept it (a database row) into the
  /// tracker, replacing what it held for that lead (`lead_email` is
  /// lower-cased; email_status is recomputed from the columns). With this a
  /// store can fold events one lead at a time: load the row, apply, write the
  /// row back. The tracker does not learn which events built the state, so
  /// applying one of them again would count its reply twice: such a store
  /// applies each dedupe key once itself (examples/webhook_receiver marks
  /// events applied in the transaction that writes the row).
  void load(LeadEngagement lead);

  /// `lead_email` in any case.
  const LeadEngagement* find(std::string_view campaign_id, std::string_view lead_email) const;
  /// Every lead, ordered by (campaign_id, lead_email).
  std::vector<LeadEngagement> leads() const;
  std::size_t size() const noexcept { return leads_.size(); }
  /// Events applied (distinct dedupe keys that concerned a lead).
  std::size_t applied() const noexcept { return seen_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, LeadEngagement> leads_;
  std::unordered_set<std::string> seen_;  // dedupe keys applied
};

}  // namespace instantly::webhooks
