#include <stdexcept>

#include "options.hpp"
#include "receiver_store.hpp"
#include "sqlite_store.hpp"
#ifdef WEBHOOK_RECEIVER_HAVE_POSTGRES
#include "postgres_store.hpp"
#endif

namespace webhook_receiver {

std::unique_ptr<ReceiverStore> open_store(const Options& options) {
  if (options.database_url.empty()) return std::make_unique<SqliteStore>(options.db_path);
#ifdef WEBHOOK_RECEIVER_HAVE_POSTGRES
  return std::make_unique<PostgresStore>(options.database_url, options.organization);
#else
  throw std::runtime_error("--database: this build has no PostgreSQL support (install libpq-dev and rebuild)");
#endif
}

}  // namespace webhook_receiver
