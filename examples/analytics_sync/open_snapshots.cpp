#include <stdexcept>

#include "options.hpp"
#include "snapshot_store.hpp"
#include "snapshots.hpp"
#ifdef ANALYTICS_SYNC_HAVE_POSTGRES
#include "postgres_snapshots.hpp"
#endif

namespace analytics_sync {

std::unique_ptr<Snapshots> open_snapshots(const Options& options) {
  if (options.database_url.empty()) return std::make_unique<SnapshotStore>(options.db_path);
#ifdef ANALYTICS_SYNC_HAVE_POSTGRES
  return std::make_unique<PostgresSnapshots>(options.database_url, options.organization);
#else
  throw std::runtime_error("--database: this build has no PostgreSQL support (install libpq-dev and rebuild)");
#endif
}

}  // namespace analytics_sync
