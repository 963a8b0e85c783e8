#include "postgres_store.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <instantly/webhooks/engagement.hpp>

#include "delivery_parse.hpp"
#include "engagement_fold.hpp"

namespace webhook_receiver {

namespace postgres = instantly::postgres;
using instantly::webhooks::LeadEngagement;

namespace {

constexpr const char* kInsertEvent =
    "INSERT INTO instantly_email_events "
    "(organization_id, dedupe_key, event_type, campaign_id, lead_email, occurred_at, body) "
    "VALUES (instantly_current_organization(), $1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (organization_id, dedupe_key) DO NOTHING";

// Skips events another receiver's worker holds: it is folding them right now.
constexpr const char* kTakePending =
    "SELECT id, body, campaign_id, lead_email FROM instantly_email_events WHERE NOT applied "
    "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED";

// The lead's row exists before it is locked, so two receivers folding a new lead's first two
// events both lock the same row rather than each inserting its own.
constexpr const char* kEnsureLead =
    "INSERT INTO instantly_lead_engagement (organization_id, campaign_id, lead_email) "
    "VALUES (instantly_current_organization(), $1, $2) ON CONFLICT DO NOTHING";

constexpr const char* kLockLead =
    "SELECT email_sent_at, email_opened_at, email_clicked_at, email_replied_at, email_bounced_at, "
    "unsubscribed_at, reply_count, email_status, interest, interest_at "
    "FROM instantly_lead_engagement WHERE campaign_id = $1 AND lead_email = $2 FOR UPDATE";

constexpr const char* kSaveLead =
    "UPDATE instantly_lead_engagement SET email_sent_at = $3, email_opened_at = $4, email_clicked_at = $5, "
    "email_replied_at = $6, email_bounced_at = $7, unsubscribed_at = $8, reply_count = $9, email_status = $10, "
    "interest = $11, interest_at = $12, updated_at = now() WHERE campaign_id = $1 AND lead_email = $2";

// The old pipeline kept engagement on the business row; the business is found by its email.
constexpr const char* kSaveBusiness =
    "UPDATE businesses SET email_sent_at = instantly_try_timestamptz($2), "
    "email_opened_at = instantly_try_timestamptz($3), email_replied_at = instantly_try_timestamptz($4), "
    "email_bounced_at = instantly_try_timestamptz($5), unsubscribed_at = instantly_try_timestamptz($6), "
    "reply_count = $7, email_status = $8, updated_at = now() WHERE lower(btrim(email)) = $1";

// Bodies travel as hex text (parameters are text): bytea takes any bytes, not only UTF-8.
constexpr const char* kKeepUnparsed =
    "INSERT INTO instantly_unparsed_deliveries (organization_id, body_sha256, body, received_at, error) "
    "VALUES (instantly_current_organization(), $1, decode($2, 'hex'), $3::timestamptz, $4) "
    "ON CONFLICT (organization_id, body_sha256) DO NOTHING";
constexpr const char* kAllUnparsed =
    "SELECT id, encode(body, 'hex'), to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
    "FROM instantly_unparsed_deliveries ORDER BY id FOR UPDATE";
constexpr const char* kForgetUnparsed = "DELETE FROM instantly_unparsed_deliveries WHERE id = $1";
constexpr const char* kNoteUnparsed = "UPDATE instantly_unparsed_deliveries SET error = $2 WHERE id = $1";

std::string from_hex(std::string_view hex) {
  auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>((digit(hex[i]) << 4) | digit(hex[i + 1]));
  }
  return bytes;
}

constexpr const char* kMarkApplied = "UPDATE instantly_email_events SET applied = true, apply_error = $2 WHERE id = $1";

LeadEngagement lead_from(const postgres::Rows& row, const std::string& campaign_id, const std::string& lead_email) {
  LeadEngagement lead;
  lead.campaign_id = campaign_id;
  lead.lead_email = lead_email;
  lead.email_sent_at = row.get(0, 0);
  lead.email_opened_at = row.get(0, 1);
  lead.email_clicked_at = row.get(0, 2);
  lead.email_replied_at = row.get(0, 3);
  lead.email_bounced_at = row.get(0, 4);
  lead.unsubscribed_at = row.get(0, 5);
  lead.reply_count = std::stoi(row.at(0, 6));
  lead.email_status = row.at(0, 7);
  lead.interest = row.get(0, 8);
  lead.interest_at = row.get(0, 9);
  return lead;
}

// The order in which a batch is folded. Every receiver's worker locks lead rows in one global
// order, (campaign, lead key), so two workers folding overlapping leads wait for each other instead
// of deadlocking; one lead's events keep their arrival order (the sort is stable over ids).
std::vector<std::size_t> fold_order(const postgres::Rows& pending) {
  std::vector<std::size_t> order(pending.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<std::pair<std::string, std::string>> keys;
  keys.reserve(pending.size());
  for (std::size_t i = 0; i < pending.size(); ++i) {
    keys.emplace_back(pending.get(i, 2).value_or(""),
                      instantly::webhooks::lead_key(pending.get(i, 3).value_or("")));
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  return order;
}

void save(postgres::Transaction& tx, const LeadEngagement& lead) {
  const std::string replies = std::to_string(lead.reply_count);
  tx.execute(kSaveLead, {lead.campaign_id, lead.lead_email, lead.email_sent_at, lead.email_opened_at,
                         lead.email_clicked_at, lead.email_replied_at, lead.email_bounced_at, lead.unsubscribed_at,
                         replies, lead.email_status, lead.interest, lead.interest_at});
  tx.execute(kSaveBusiness, {lead.lead_email, lead.email_sent_at, lead.email_opened_at, lead.email_replied_at,
                             lead.email_bounced_at, lead.unsubscribed_at, replies, lead.email_status});
}

}  // namespace

PostgresStore::PostgresStore(const std::string& url, std::string organization_id)
    : organization_id_(std::move(organization_id)) {
  writer_.emplace(connect(url));
  writer_->require_current_schema();
  // An organisation id that is not a UUID fails here, at start.
  writer_->in_organization(organization_id_, [](postgres::Transaction&) {});
  folder_.emplace(connect(url));
  reader_.emplace(connect(url));
}

postgres::Database PostgresStore::connect(const std::string& url) const {
  return postgres::Database({.url = url, .application_name = "instantly webhook_receiver"});
}

StoreResult PostgresStore::store(const std::vector<NewEvent>& events, const std::vector<UnparsedDelivery>& unparsed) {
  StoreResult result;
  writer_->in_organization(organization_id_, [&](postgres::Transaction& tx) {
    result = {};
    for (const NewEvent& event : events) {
      const auto rows = tx.execute(kInsertEvent, {event.dedupe_key, event.event_type, event.campaign_id,
                                                  event.lead_email, event.timestamp, event.body});
      result.inserted.push_back(rows.affected() == 1);
    }
    for (const UnparsedDelivery& delivery : unparsed) {
      tx.execute(kKeepUnparsed, {delivery.body_sha256, to_hex(delivery.body), delivery.received_at, delivery.error});
    }
  });
  return result;
}

ReparseResult PostgresStore::reparse() {
  ReparseResult result;
  writer_->in_organization(organization_id_, [&](postgres::Transaction& tx) {
    result = {};
    const postgres::Rows kept = tx.execute(kAllUnparsed);
    for (std::size_t i = 0; i < kept.size(); ++i) {
      ++result.tried;
      auto parsed = parse_delivery(from_hex(kept.at(i, 1)), kept.at(i, 2));
      if (const NewEvent* event = std::get_if<NewEvent>(&parsed)) {
        tx.execute(kInsertEvent, {event->dedupe_key, event->event_type, event->campaign_id, event->lead_email,
                                  event->timestamp, event->body});
        tx.execute(kForgetUnparsed, {kept.at(i, 0)});
        ++result.became_events;
      } else {
        tx.execute(kNoteUnparsed, {kept.at(i, 0), std::get<UnparsedDelivery>(parsed).error});
      }
    }
  });
  return result;
}

std::size_t PostgresStore::apply_pending(std::size_t limit) {
  std::size_t applied = 0;
  folder_->in_organization(organization_id_, [&](postgres::Transaction& tx) {
    applied = 0;
    const postgres::Rows pending = tx.execute(kTakePending, {std::to_string(limit)});
    for (const std::size_t i : fold_order(pending)) {
      const std::optional<std::string> error = fold_stored_event(
          pending.at(i, 1),
          [&](const std::string& campaign_id, const std::string& lead_email) -> std::optional<LeadEngagement> {
            tx.execute(kEnsureLead, {campaign_id, lead_email});
            return lead_from(tx.execute(kLockLead, {campaign_id, lead_email}), campaign_id, lead_email);
          },
          [&](const LeadEngagement& lead) { save(tx, lead); });
      tx.execute(kMarkApplied, {pending.at(i, 0), error});
      ++applied;
    }
  });
  return applied;
}

StoreCounts PostgresStore::counts() {
  std::lock_guard lock(reader_mutex_);
  StoreCounts counts;
  reader_->in_organization(organization_id_, [&](postgres::Transaction& tx) {
    const auto row = tx.execute(
        "SELECT (SELECT count(*) FROM instantly_email_events), "
        "(SELECT count(*) FROM instantly_email_events WHERE NOT applied), "
        "(SELECT count(*) FROM instantly_lead_engagement), (SELECT count(*) FROM instantly_unparsed_deliveries)");
    counts = {std::stoll(row.at(0, 0)), std::stoll(row.at(0, 1)), std::stoll(row.at(0, 2)), std::stoll(row.at(0, 3))};
  });
  return counts;
}

void PostgresStore::check_writable() {
  std::lock_guard lock(reader_mutex_);
  if (!reader_) throw std::runtime_error("the store is closed");
  bool writable = false;
  reader_->in_organization(organization_id_, [&](postgres::Transaction& tx) {
    // A standby, or a database set default_transaction_read_only, would refuse every store.
    writable = tx.execute("SELECT current_setting('transaction_read_only') = 'off' AND NOT pg_is_in_recovery()")
                   .at(0, 0) == "t";
  });
  if (!writable) throw std::runtime_error("the database is read-only");
}

void PostgresStore::close() {
  std::lock_guard lock(reader_mutex_);
  reader_.reset();
  folder_.reset();
  writer_.reset();
}

}  // namespace webhook_receiver
