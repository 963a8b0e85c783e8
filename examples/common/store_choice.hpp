// The examples' choice of store, the same on every command line: `--db FILE`
// (SQLite), or `--database URL` (PostgreSQL; default INSTANTLY_DATABASE_URL,
// which keeps the password out of `ps`) with `--organization UUID`.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace examples {

/// Fills `database_url` from INSTANTLY_DATABASE_URL when neither option was
/// given, then throws std::invalid_argument (a message for the user) unless
/// exactly one store is named, with an organisation exactly when it is PostgreSQL.
/// `rows` says whose rows they are, for the message ("the snapshots").
inline void check_store_choice(const std::string& db_path, std::string& database_url, const std::string& organization,
                               const std::string& rows) {
  if (db_path.empty() && database_url.empty()) {
    const char* url = std::getenv("INSTANTLY_DATABASE_URL");
    if (url != nullptr) database_url = url;
  }
  if (db_path.empty() && database_url.empty()) {
    throw std::invalid_argument("give --db FILE (SQLite) or --database URL (PostgreSQL, or INSTANTLY_DATABASE_URL)");
  }
  if (!database_url.empty() && organization.empty()) {
    throw std::invalid_argument("--database needs --organization UUID: the organisation " + rows + " belong to");
  }
  if (database_url.empty() && !organization.empty()) {
    throw std::invalid_argument("--organization goes with --database (a SQLite file holds one organisation)");
  }
}

}  // namespace examples
