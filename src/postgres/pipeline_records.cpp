#include "instantly/postgres/pipeline_records.hpp"

#include <cmath>
#include <ctime>
#include <string>

#include "instantly/json.hpp"

namespace instantly::postgres {
namespace {

using workflows::LeadOutcome;

// How many failed leads an export log names; the counts cover the rest.
constexpr std::size_t kFailedLeadsNamed = 20;

/// "2026-12-06T14:27:12.345Z": what timestamptz reads, in UTC, to the millisecond.
std::string iso8601(std::chrono::system_clock::time_point when) {
  const auto milliseconds = std::chrono::floor<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(milliseconds / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(milliseconds % 1000));
  return std::string(text) + fraction;
}

std::uint64_t sum(const workflows::ImportReport& report, std::initializer_list<LeadOutcome> outcomes) {
  std::uint64_t total = 0;
  for (LeadOutcome outcome : outcomes) total += report.count(outcome);
  return total;
}

Json outcome_summary(const workflows::ImportReport& report) {
  Json counts = Json::object();
  for (std::size_t i = 0; i < workflows::kLeadOutcomeCount; ++i) {
    const auto outcome = static_cast<LeadOutcome>(i);
    if (report.count(outcome) > 0) counts.set(std::string(to_string(outcome)), report.count(outcome));
  }
  Json failed = Json::array();
  for (const workflows::LeadRecord& record : report.outcomes) {
    if (failed.size() == kFailedLeadsNamed) break;
    if (record.outcome == LeadOutcome::Failed || record.outcome == LeadOutcome::NotUploaded) {
      failed.push_back(Json::object({{"index", record.index},
                                     {"outcome", to_string(record.outcome)},
                                     {"status", static_cast<std::int64_t>(record.status)},
                                     {"reason", record.reason}}));
    }
  }
  return Json::object({{"counts", std::move(counts)},
                       {"failed_leads", std::move(failed)},
                       {"cancelled", report.cancelled},
                       {"stop_reason", report.stop_reason},
                       {"chunks", report.chunks},
                       {"requests", report.requests},
                       {"elapsed_ms", static_cast<std::int64_t>(report.elapsed.count())}});
}

// Every counter by its field name, so latest_analytics reads back exactly what was recorded.
#define INSTANTLY_ANALYTICS_COUNTERS(X)                                                                             \
  X(contacted) X(new_leads_contacted) X(emails_sent) X(opened) X(opened_unique) X(replies) X(replies_unique)       \
  X(replies_automatic) X(replies_automatic_unique) X(clicks) X(clicks_unique) X(bounced) X(unsubscribed)           \
  X(completed) X(opportunities)

Json counters_json(const workflows::AnalyticsCounters& c) {
  Json counters = Json::object();
#define INSTANTLY_WRITE_COUNTER(name) counters.set(#name, c.name);
  INSTANTLY_ANALYTICS_COUNTERS(INSTANTLY_WRITE_COUNTER)
#undef INSTANTLY_WRITE_COUNTER
  counters.set("opportunity_value", c.opportunity_value);
  return counters;
}

workflows::AnalyticsCounters counters_from(const Json& counters) {
  workflows::AnalyticsCounters c;
#define INSTANTLY_READ_COUNTER(name) c.name = counters.at(#name).as_int();
  INSTANTLY_ANALYTICS_COUNTERS(INSTANTLY_READ_COUNTER)
#undef INSTANTLY_READ_COUNTER
  c.opportunity_value = counters.at("opportunity_value").as_double();
  return c;
}

#undef INSTANTLY_ANALYTICS_COUNTERS

/// The milliseconds since the epoch that PostgreSQL's extract(epoch ...) * 1000 gives.
std::chrono::system_clock::time_point from_epoch_ms(const std::string& milliseconds) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(std::llround(std::stod(milliseconds))));
}

}  // namespace

std::int64_t record_export(Transaction& transaction, std::string_view campaign_id,
                           const workflows::ImportReport& report, std::chrono::system_clock::time_point started_at,
                           std::string_view requested_by) {
  const std::uint64_t uploaded = report.count(LeadOutcome::Uploaded);
  const std::uint64_t duplicates =
      sum(report, {LeadOutcome::DuplicateInCampaign, LeadOutcome::DuplicateInList, LeadOutcome::DuplicateInPayload,
                   LeadOutcome::SkippedByFlags});
  const std::uint64_t invalid = sum(report, {LeadOutcome::Blocklisted, LeadOutcome::InvalidEmail,
                                             LeadOutcome::Incomplete, LeadOutcome::RejectedClientSide});
  const std::uint64_t failed = sum(report, {LeadOutcome::NotUploaded, LeadOutcome::Failed, LeadOutcome::NotAttempted});
  const auto finished_at = started_at + report.elapsed;
  const Rows row = transaction.execute(
      "INSERT INTO instantly_export_logs (organization_id, campaign_id, requested_by, started_at, finished_at, total, "
      "uploaded, duplicates, invalid, failed, outcome_summary) "
      "VALUES (instantly_current_organization(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {std::string(campaign_id), requested_by.empty() ? std::nullopt : std::optional<std::string>(requested_by),
       iso8601(started_at), iso8601(finished_at), std::to_string(report.total), std::to_string(uploaded),
       std::to_string(duplicates), std::to_string(invalid), std::to_string(failed), outcome_summary(report).dump()});
  return std::stoll(row.at(0, 0));
}

std::size_t record_analytics(Transaction& transaction, const workflows::AnalyticsSyncResult& result) {
  std::size_t written = 0;
  for (const workflows::CampaignSnapshot& snapshot : result.snapshots) {
    const workflows::AnalyticsCounters& c = snapshot.counters;
    Json payload = Json::object({{"campaign_name", snapshot.campaign_name},
                                 {"reported", snapshot.reported},
                                 {"is_evergreen", snapshot.is_evergreen},
                                 {"counters", counters_json(c)}});
    if (snapshot.campaign_status) payload.set("campaign_status", static_cast<std::int64_t>(*snapshot.campaign_status));
    written += transaction
                   .execute("INSERT INTO instantly_analytics_snapshots (organization_id, campaign_id, taken_at, "
                            "leads_count, contacted_count, emails_sent, opened, replied, bounced, unsubscribed, payload) "
                            "VALUES (instantly_current_organization(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                            "ON CONFLICT (organization_id, campaign_id, taken_at) DO NOTHING",
                            {snapshot.campaign_id, iso8601(result.taken_at), std::to_string(snapshot.leads_count),
                             std::to_string(c.contacted), std::to_string(c.emails_sent), std::to_string(c.opened_unique),
                             std::to_string(c.replies_unique), std::to_string(c.bounced),
                             std::to_string(c.unsubscribed), payload.dump()})
                   .affected();
  }
  return written;
}

std::vector<workflows::CampaignSnapshot> latest_analytics(Transaction& transaction) {
  const Rows rows = transaction.execute(
      "SELECT campaign_id, leads_count, payload::text, extract(epoch FROM taken_at) * 1000 "
      "FROM instantly_analytics_snapshots "
      "WHERE taken_at = (SELECT max(taken_at) FROM instantly_analytics_snapshots) ORDER BY id");
  std::vector<workflows::CampaignSnapshot> snapshots;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Json payload = Json::parse(rows.at(i, 2));
    workflows::CampaignSnapshot snapshot;
    snapshot.campaign_id = rows.at(i, 0);
    snapshot.leads_count = std::stoll(rows.get(i, 1).value_or("0"));
    snapshot.campaign_name = payload.at("campaign_name").as_string();
    snapshot.reported = payload.at("reported").as_bool();
    snapshot.is_evergreen = payload.at("is_evergreen").as_bool();
    if (payload.contains("campaign_status")) {
      snapshot.campaign_status = static_cast<CampaignStatus>(payload.at("campaign_status").as_int());
    }
    snapshot.counters = counters_from(payload.at("counters"));
    snapshot.taken_at = from_epoch_ms(rows.at(i, 3));
    snapshots.push_back(std::move(snapshot));
  }
  return snapshots;
}

std::size_t record_account_health(Transaction& transaction, const std::vector<workflows::AccountHealthResult>& results,
                                  std::chrono::system_clock::time_point taken_at) {
  std::size_t written = 0;
  for (const workflows::AccountHealthResult& account : results) {
    Json reasons = Json::array();
    for (const workflows::HealthReason& reason : account.reasons) {
      reasons.push_back(Json::object(
          {{"code", to_string(reason.code)}, {"level", to_string(reason.level)}, {"message", reason.message}}));
    }
    Json payload = Json::object({{"found", account.found}, {"sent", account.sent}, {"bounced", account.bounced}});
    if (account.warmup_score) payload.set("warmup_score", *account.warmup_score);
    if (account.bounce_rate) payload.set("bounce_rate", *account.bounce_rate);
    if (!account.status_detail.empty()) payload.set("status_detail", account.status_detail);
    written += transaction
                   .execute("INSERT INTO instantly_account_health_snapshots (organization_id, account_email, taken_at, "
                            "status, reasons, payload) VALUES (instantly_current_organization(), $1, $2, $3, $4, $5) "
                            "ON CONFLICT (organization_id, account_email, taken_at) DO NOTHING",
                            {account.email, iso8601(taken_at), std::string(to_string(account.level)), reasons.dump(),
                             payload.dump()})
                   .affected();
  }
  return written;
}

}  // namespace instantly::postgres
