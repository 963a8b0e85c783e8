#include "instantly/postgres/migrations.hpp"

#include <map>
#include <utility>

#include "webhooks/digest.hpp"

namespace instantly::postgres {
namespace {

// Taken for the whole migration transaction, so processes starting together queue here.
constexpr const char* kTakeMigrationLock = "SELECT pg_advisory_xact_lock(7236281946265519475)";

constexpr const char* kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS instantly_schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  sha256     text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
))sql";

std::string sha256_of(const std::string& sql) {
  return webhooks::detail::to_hex(webhooks::detail::sha256({sql}));
}

struct Applied {
  std::string name;
  std::string sha256;
};

std::map<int, Applied> applied_migrations(Rows rows) {
  std::map<int, Applied> applied;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    applied.emplace(std::stoi(rows.at(i, 0)), Applied{rows.at(i, 1), rows.at(i, 2)});
  }
  return applied;
}

/// Throws SchemaError for a migration the database has and this build does not, or has
/// with other contents; returns the shipped migrations it lacks.
std::vector<const Migration*> pending(const std::map<int, Applied>& applied, const std::string& where) {
  std::map<int, const Migration*> shipped;
  for (const Migration& migration : migrations()) shipped.emplace(migration.version, &migration);
  for (const auto& [version, record] : applied) {
    auto it = shipped.find(version);
    if (it == shipped.end()) {
      throw SchemaError(where + " holds migration " + record.name + ", which this build of instantly does not know " +
                        "(a newer build applied it; its latest is " + std::to_string(latest_schema_version()) + ")");
    }
    if (sha256_of(it->second->sql) != record.sha256) {
      throw SchemaError(where + ": migration " + record.name +
                        " was applied from a file with other contents than this build's (shipped migrations are "
                        "never edited: a change is a new file)");
    }
  }
  std::vector<const Migration*> missing;
  for (const Migration& migration : migrations()) {
    if (!applied.contains(migration.version)) missing.push_back(&migration);
  }
  return missing;
}

constexpr const char* kSelectApplied = "SELECT version, name, sha256 FROM instantly_schema_migrations ORDER BY version";

bool has_migrations_table(Database& database) {
  return database.execute("SELECT to_regclass('instantly_schema_migrations') IS NOT NULL").at(0, 0) == "t";
}

}  // namespace

int latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

MigrationReport apply_migrations(Database& owner) {
  MigrationReport report;
  owner.in_transaction([&](Transaction& transaction) {
    transaction.execute(kTakeMigrationLock);
    transaction.execute(kCreateMigrationsTable);
    const auto applied = applied_migrations(transaction.execute(kSelectApplied));
    report.from_version = applied.empty() ? 0 : applied.rbegin()->first;
    for (const Migration* migration : pending(applied, owner.describe())) {
      transaction.execute_script(migration->sql);
      transaction.execute("INSERT INTO instantly_schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
                          {std::to_string(migration->version), migration->name, sha256_of(migration->sql)});
      report.applied.push_back(migration->name);
    }
  });
  report.to_version = latest_schema_version();
  return report;
}

int Database::schema_version() {
  if (!has_migrations_table(*this)) return 0;
  return std::stoi(execute("SELECT coalesce(max(version), 0) FROM instantly_schema_migrations").at(0, 0));
}

void Database::require_current_schema() {
  const std::string how = "apply the migrations as the tables' owner (instantly::postgres::apply_migrations)";
  if (!has_migrations_table(*this)) {
    throw SchemaError(describe() + " has no instantly schema: " + how);
  }
  const auto missing = pending(applied_migrations(execute(kSelectApplied)), describe());
  if (!missing.empty()) {
    std::string names;
    for (const Migration* migration : missing) names += (names.empty() ? "" : ", ") + migration->name;
    throw SchemaError(describe() + " is at schema version " + std::to_string(schema_version()) +
                      "; this build needs " + std::to_string(latest_schema_version()) + " (missing " + names + "): " +
                      how);
  }
}

}  // namespace instantly::postgres
