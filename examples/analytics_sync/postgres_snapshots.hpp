// Snapshots in the pipeline's PostgreSQL database: `instantly_analytics_snapshots`,
// one row per campaign per sync, in the organisation's rows
// (instantly::postgres::record_analytics / latest_analytics).
#pragma once

#include <instantly/postgres.hpp>

#include <string>

#include "snapshots.hpp"

namespace analytics_sync {

class PostgresSnapshots final : public Snapshots {
 public:
  /// Connects and checks the schema: DatabaseError or SchemaError at start.
  PostgresSnapshots(const std::string& url, std::string organization_id);

  void append(const instantly::workflows::AnalyticsSyncResult& result) override;
  std::vector<instantly::workflows::CampaignSnapshot> latest() override;

 private:
  instantly::postgres::Database database_;
  std::string organization_id_;
};

}  // namespace analytics_sync
