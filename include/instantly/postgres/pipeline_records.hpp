// What the pipeline's workflows found, written into the PostgreSQL database's
// tables (migrations/postgresql/0001): one export log per import, one
// analytics snapshot per campaign and sync, one health snapshot per account
// and check. Each writes inside a transaction the caller opened for an
// organisation, so the rows are that organisation's (row-level security):
//
//   db.in_organization(org, [&](instantly::postgres::Transaction& tx) {
//     instantly::postgres::record_export(tx, campaign_id, report, started, "nightly export");
//     instantly::postgres::record_analytics(tx, sync.sync());
//   });
//
// Snapshots are keyed by (campaign or account, taken_at): recording the same
// result twice (a retried job) stores it once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "instantly/postgres/database.hpp"
#include "instantly/workflows/account_health.hpp"
#include "instantly/workflows/analytics_sync.hpp"
#include "instantly/workflows/lead_import.hpp"

namespace instantly::postgres {

/// One row of `instantly_export_logs`: the report's counts (uploaded; duplicates
/// of every kind; invalid = rejected here or by the API; failed = failed, not
/// uploaded or not attempted), and in `outcome_summary` every outcome's count,
/// the first failed leads with their reasons (when the report kept outcomes),
/// why the import stopped, and its request count. Returns the row's id.
std::int64_t record_export(Transaction& transaction, std::string_view campaign_id,
                           const workflows::ImportReport& report, std::chrono::system_clock::time_point started_at,
                           std::string_view requested_by = {});

/// One row of `instantly_analytics_snapshots` per snapshot of `result`, taken
/// at result.taken_at (every counter kept, in `payload`). Returns how many rows were new.
std::size_t record_analytics(Transaction& transaction, const workflows::AnalyticsSyncResult& result);

/// The snapshots of the most recent recorded sync (empty when none was
/// recorded), as record_analytics received them: the baseline of the next
/// sync's deltas after a restart.
std::vector<workflows::CampaignSnapshot> latest_analytics(Transaction& transaction);

/// One row of `instantly_account_health_snapshots` per account, taken at
/// `taken_at`: its level, its reasons (code, level, message) and its readings.
/// Returns how many rows were new.
std::size_t record_account_health(Transaction& transaction, const std::vector<workflows::AccountHealthResult>& results,
                                  std::chrono::system_clock::time_point taken_at);

}  // namespace instantly::postgres
