#include "instantly/postgres/pipeline_records.hpp"

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

Json counters_json(const workflows::AnalyticsCounters& c) {
  return Json::object({{"contacted", c.contacted},           {"new_leads_contacted", c.new_leads_contacted},
                       {"emails_sent", c.emails_sent},       {"opened", c.opened},
                       {"opened_unique", c.opened_unique},   {"replies", c.replies},
                       {"replies_unique", c.replies_unique}, {"replies_automatic", c.replies_automatic},
                       {"clicks", c.clicks},                 {"clicks_unique", c.clicks_unique},
                       {"bounced", c.bounced},               {"unsubscribed", c.unsubscribed},
                       {"completed", c.completed},           {"opportunities", c.opportunities},
                       {"opportunity_value", c.opportunity_value}});
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
    const Json payload = Json::object({{"campaign_name", snapshot.campaign_name},
                                       {"reported", snapshot.reported},
                                       {"is_evergreen", snapshot.is_evergreen},
                                       {"counters", counters_json(c)}});
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
