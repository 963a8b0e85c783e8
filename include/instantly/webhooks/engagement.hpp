// Per-lead engagement from webhook events: the columns the users' lead table
// keeps (email_sent_at, email_opened_at, email_replied_at, reply_count,
// email_status, ...), folded from events one at a time.
//
//   instantly::webhooks::LeadEngagement row = load_row(...);  // or {} for a new lead
//   if (store.insert_if_new(event.dedupe_key(), body)) {      // ON CONFLICT DO NOTHING said "new"
//     instantly::webhooks::apply(row, event);
//     save_row(row);                                            // in the same transaction
//   }
//
// Part of the `instantly::workflows` component (link it to use these).
//
// Thread-safety: plain values and a pure function; EngagementTracker is not synchronised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "instantly/webhooks/event.hpp"

namespace instantly::webhooks {

/// Where a lead stands, as the users' lead table keeps it.
struct LeadEngagement {
  std::string campaign_id;
  std::string lead_email;  ///< trimmed and ASCII lower-cased (lead_key)
  std::optional<std::string> email_sent_at;      ///< earliest email_sent
  std::optional<std::string> email_opened_at;    ///< earliest email_opened
  std::optional<std::string> email_clicked_at;   ///< earliest link_clicked
  std::optional<std::string> email_replied_at;   ///< earliest reply_received
  std::optional<std::string> email_bounced_at;
  std::optional<std::string> unsubscribed_at;
  std::int64_t reply_count = 0;  ///< reply_received events applied
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

/// The form lead emails are keyed by: surrounding spaces and tabs removed,
/// ASCII letters lower-cased (`" Ann@Cafe.COM"` → `"ann@cafe.com"`).
std::string lead_key(std::string_view email);

/// Whether `event` changes one lead's engagement: it names a lead, and its
/// type is about that lead (not campaign_completed, account_error,
/// supersearch_enrichment_completed or all_events).
bool concerns_a_lead(const Event& event);

/// The engagement fold: `lead` with `event` applied. A pure function of the
/// two, so a store can keep rows anywhere: load the row, apply, save it.
///
/// - The "_at" columns keep the earliest time, interest the latest, and
///   email_status follows from the columns, so for every column but
///   reply_count the order of events does not matter and applying an event
///   twice changes nothing.
/// - reply_count counts the reply_received events applied, so each event
///   must be applied once: apply it when the store says its dedupe key is
///   new (`INSERT ... ON CONFLICT (dedupe_key) DO NOTHING` inserted a row),
///   in the transaction that records it. EngagementTracker does this in memory.
/// - Timestamps are ordered as points in time (Event::time), so `...Z` and
///   `...+02:00` compare correctly; equal instants fall back to the text, and
///   unreadable timestamps order after readable ones for the "earliest"
///   columns and before them for interest, so they never win over a readable one.
/// - auto_reply_received concerns the lead but changes no column (it is not a reply).
///
/// A `lead` with an empty lead_email is a new row: it takes the event's
/// campaign and lead. Returns false, leaving `lead` untouched, when the event
/// does not concern a lead or concerns another one than `lead` (campaign or lead_key differ).
bool apply(LeadEngagement& lead, const Event& event);

/// Per-lead engagement in memory: a map of LeadEngagement, each event applied
/// once by its dedupe key. Applying events in any order gives the same state.
class EngagementTracker {
 public:
  /// Returns false when the event was already applied (same dedupe key) or
  /// concerns no lead (see concerns_a_lead).
  bool apply(const Event& event);

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
