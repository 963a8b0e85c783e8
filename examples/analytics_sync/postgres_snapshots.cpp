#include "postgres_snapshots.hpp"

#include <utility>

namespace analytics_sync {

namespace postgres = instantly::postgres;

PostgresSnapshots::PostgresSnapshots(const std::string& url, std::string organization_id)
    : database_({.url = url, .application_name = "instantly analytics_sync"}),
      organization_id_(std::move(organization_id)) {
  database_.require_current_schema();
}

void PostgresSnapshots::append(const instantly::workflows::AnalyticsSyncResult& result) {
  database_.in_organization(organization_id_,
                            [&](postgres::Transaction& tx) { postgres::record_analytics(tx, result); });
}

std::vector<instantly::workflows::CampaignSnapshot> PostgresSnapshots::latest() {
  std::vector<instantly::workflows::CampaignSnapshot> snapshots;
  database_.in_organization(organization_id_,
                            [&](postgres::Transaction& tx) { snapshots = postgres::latest_analytics(tx); });
  return snapshots;
}

}  // namespace analytics_sync
