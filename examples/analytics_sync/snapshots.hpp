// Where the example keeps its snapshots: a SQLite file (snapshot_store.hpp, the
// default) or the pipeline's PostgreSQL database (postgres_snapshots.hpp).
#pragma once

#include <memory>
#include <vector>

#include <instantly/workflows/analytics_sync.hpp>

namespace analytics_sync {

struct Options;

class Snapshots {
 public:
  virtual ~Snapshots() = default;
  /// Stores one sync's snapshots in one transaction; throws (nothing stored then).
  virtual void append(const instantly::workflows::AnalyticsSyncResult& result) = 0;
  /// The snapshots of the most recent stored sync: the baseline after a restart.
  virtual std::vector<instantly::workflows::CampaignSnapshot> latest() = 0;
};

/// --db FILE, or --database URL with --organization. Throws with a message for the user.
std::unique_ptr<Snapshots> open_snapshots(const Options& options);

}  // namespace analytics_sync
