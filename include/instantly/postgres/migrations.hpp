// The PostgreSQL schema, as versioned migrations (migrations/postgresql/*.sql,
// compiled into the library): applied in order, each once, recorded in
// `instantly_schema_migrations` (version, name, SHA-256 of the file, when).
//
//   instantly::postgres::Database owner({.url = "postgresql://owner:PASSWORD@db.internal/pipeline"});
//   auto report = instantly::postgres::apply_migrations(owner);   // report.applied: file names
//
// Run it as the role that owns the tables (not the application's role, which
// row-level security binds and which cannot create tables). Every pending
// migration and its record go in one transaction, under an advisory lock, so
// several processes starting at once apply each migration exactly once and a
// failure leaves the database as it was.
//
// Throws SchemaError when the database holds a migration this build does not
// know (a newer build applied it) or one whose file has changed since;
// DatabaseError when a statement fails.
#pragma once

#include <string>
#include <vector>

#include "instantly/postgres/database.hpp"

namespace instantly::postgres {

struct Migration {
  int version;       ///< the file's number
  std::string name;  ///< the file's name, e.g. "0001_pipeline_schema.sql"
  std::string sql;
};

/// The migrations this build ships, in order.
const std::vector<Migration>& migrations();
/// The version the last of them brings a database to.
int latest_schema_version();

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  ///< the files applied now, in order (empty: already current)
};

MigrationReport apply_migrations(Database& owner);

}  // namespace instantly::postgres
