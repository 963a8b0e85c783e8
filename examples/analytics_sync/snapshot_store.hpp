// Snapshots in SQLite: one row per campaign per sync in `campaign_snapshots`,
// a `campaign_rates` view with the derived rates, WAL journaling, and one
// transaction per sync (a sync is stored whole or not at all).
//
//   CREATE TABLE campaign_snapshots (
//     taken_at TEXT, taken_at_ms INTEGER,            -- the sync's time (UTC ISO 8601, Unix ms)
//     campaign_id TEXT, campaign_name TEXT, campaign_status INTEGER (NULL = unknown),
//     is_evergreen INTEGER, reported INTEGER,        -- reported = 0: the API had no row (zeros)
//     leads_count, contacted, new_leads_contacted, emails_sent, opened, opened_unique,
//     replies, replies_unique, replies_automatic, replies_automatic_unique, clicks,
//     clicks_unique, bounced, unsubscribed, completed, opportunities INTEGER,
//     opportunity_value REAL,
//     PRIMARY KEY (taken_at_ms, campaign_id))
//
// Not thread-safe: one store per thread.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include <instantly/workflows/analytics_sync.hpp>

#include "snapshots.hpp"

namespace analytics_sync {

class SnapshotStore final : public Snapshots {
 public:
  /// Opens (creating when needed) the file and its schema; throws std::runtime_error.
  explicit SnapshotStore(const std::string& path);
  ~SnapshotStore();
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  /// Appends every snapshot in one transaction; throws std::runtime_error (nothing stored then).
  void append(const std::vector<instantly::workflows::CampaignSnapshot>& snapshots);
  void append(const instantly::workflows::AnalyticsSyncResult& result) override { append(result.snapshots); }
  /// The snapshots of the most recent stored sync (empty for a new file), the
  /// baseline of the next sync's deltas after a restart.
  std::vector<instantly::workflows::CampaignSnapshot> latest() override;

 private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
};

}  // namespace analytics_sync
