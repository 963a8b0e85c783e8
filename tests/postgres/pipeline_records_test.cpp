// The workflows' results written into the pipeline's database: an export log
// that accounts for every lead, analytics and account-health snapshots that a
// retried job does not double, all in the acting organisation only.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/postgres.hpp"
#include "postgres/pipeline_database.hpp"

namespace {

using instantly::Json;
using instantly::postgres::Transaction;
using instantly::testing::kOrgA;
using instantly::testing::kOrgB;
using instantly::testing::PipelineDatabase;
using instantly::workflows::LeadOutcome;
using namespace std::chrono_literals;

const auto kStarted = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 14h + 30min;

instantly::workflows::ImportReport an_import() {
  instantly::workflows::ImportReport report;
  report.total = 10;
  report.counts[static_cast<std::size_t>(LeadOutcome::Uploaded)] = 6;
  report.counts[static_cast<std::size_t>(LeadOutcome::DuplicateInPayload)] = 1;
  report.counts[static_cast<std::size_t>(LeadOutcome::InvalidEmail)] = 1;
  report.counts[static_cast<std::size_t>(LeadOutcome::Failed)] = 2;
  report.outcomes = {{.index = 3, .outcome = LeadOutcome::Failed, .status = 500, .reason = "server error"},
                     {.index = 7, .outcome = LeadOutcome::Failed, .status = 500, .reason = "server error"}};
  report.requests = 3;
  report.elapsed = 1500ms;
  return report;
}

}  // namespace

TEST_SUITE("postgres pipeline records") {
  TEST_CASE("an export log accounts for every lead and names the ones that failed") {
    PipelineDatabase pipeline;
    auto app = pipeline.app();
    app.in_organization(kOrgA, [&](Transaction& tx) {
      instantly::postgres::record_export(tx, "c-1", an_import(), kStarted, "nightly export");
      const auto row = tx.execute(
          "SELECT total, uploaded, duplicates, invalid, failed, requested_by, "
          "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
          "extract(epoch FROM finished_at - started_at), outcome_summary::text FROM instantly_export_logs");
      REQUIRE(row.size() == 1);
      CHECK(row.at(0, 0) == "10");
      CHECK(row.at(0, 1) == "6");
      CHECK(row.at(0, 2) == "1");
      CHECK(row.at(0, 3) == "1");
      CHECK(row.at(0, 4) == "2");
      CHECK(row.at(0, 5) == "nightly export");
      CHECK(row.at(0, 6) == "2026-12-06 14:30:00");
      CHECK(std::stod(row.at(0, 7)) == doctest::Approx(1.5));
      const Json summary = Json::parse(row.at(0, 8));
      CHECK(summary.at("counts").at("uploaded").as_int() == 6);
      CHECK(summary.at("counts").at("failed").as_int() == 2);
      REQUIRE(summary.at("failed_leads").size() == 2);
      CHECK(summary.at("failed_leads").at(std::size_t{1}).at("index").as_int() == 7);
      CHECK(summary.at("failed_leads").at(std::size_t{1}).at("reason").as_string() == "server error");
    });
    app.in_organization(kOrgB, [&](Transaction& tx) {
      CHECK(tx.execute("SELECT count(*) FROM instantly_export_logs").at(0, 0) == "0");
    });
  }

  TEST_CASE("analytics and account health snapshots: one row each, a retried job stores nothing twice") {
    PipelineDatabase pipeline;
    auto app = pipeline.app();
    instantly::workflows::AnalyticsSyncResult sync;
    sync.taken_at = kStarted;
    sync.snapshots.reserve(2);
    for (const char* id : {"c-1", "c-2"}) {
      instantly::workflows::CampaignSnapshot snapshot;
      snapshot.campaign_id = id;
      snapshot.campaign_name = std::string("Cafes ") + id;
      snapshot.leads_count = 120;
      snapshot.counters.emails_sent = 100;
      snapshot.counters.opened_unique = 40;
      snapshot.counters.replies_unique = 7;
      snapshot.counters.opportunity_value = 1250.5;
      snapshot.taken_at = kStarted;
      sync.snapshots.push_back(snapshot);
    }
    instantly::workflows::AccountReadings readings;
    readings.email = "sender@acme.example";
    readings.warmup_score = 45;
    const auto health = instantly::workflows::classify_account(readings);
    REQUIRE(health.level == instantly::workflows::HealthLevel::Critical);

    sync.snapshots.front().campaign_status = instantly::CampaignStatus::Active;
    app.in_organization(kOrgA, [&](Transaction& tx) {
      CHECK(instantly::postgres::latest_analytics(tx).empty());
      CHECK(instantly::postgres::record_analytics(tx, sync) == 2);
      CHECK(instantly::postgres::record_analytics(tx, sync) == 0);  // the same sync again
      CHECK(instantly::postgres::record_account_health(tx, {health}, kStarted) == 1);
      CHECK(instantly::postgres::record_account_health(tx, {health}, kStarted) == 0);
    });
    app.in_organization(kOrgA, [&](Transaction& tx) {
      const auto analytics = tx.execute(
          "SELECT campaign_id, leads_count, emails_sent, opened, replied, payload->>'campaign_name' "
          "FROM instantly_analytics_snapshots ORDER BY campaign_id");
      REQUIRE(analytics.size() == 2);
      CHECK(analytics.at(1, 0) == "c-2");
      CHECK(analytics.at(1, 1) == "120");
      CHECK(analytics.at(1, 2) == "100");
      CHECK(analytics.at(1, 3) == "40");
      CHECK(analytics.at(1, 4) == "7");
      CHECK(analytics.at(1, 5) == "Cafes c-2");
      // Read back whole: the baseline of the next sync after a restart.
      CHECK(instantly::postgres::latest_analytics(tx) == sync.snapshots);
      const auto accounts = tx.execute(
          "SELECT account_email, status, reasons->0->>'code', payload->>'warmup_score' "
          "FROM instantly_account_health_snapshots");
      REQUIRE(accounts.size() == 1);
      CHECK(accounts.at(0, 0) == "sender@acme.example");
      CHECK(accounts.at(0, 1) == "critical");
      CHECK(accounts.at(0, 2) == std::string(to_string(health.reasons.front().code)));
      CHECK(std::stod(accounts.at(0, 3)) == 45);
    });
    // Another organisation's later sync is its own.
    app.in_organization(kOrgB, [&](Transaction& tx) {
      CHECK(tx.execute("SELECT count(*) FROM instantly_analytics_snapshots").at(0, 0) == "0");
      CHECK(instantly::postgres::record_analytics(tx, sync) == 2);
    });
  }
}
