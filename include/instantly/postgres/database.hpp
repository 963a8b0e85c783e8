// The pipeline's PostgreSQL database, one organisation per transaction: the
// `instantly::postgres` component (link it; built when libpq-dev is installed).
//
//   instantly::postgres::Database db({.url = "postgresql://app:PASSWORD@db.internal/pipeline"});
//   db.require_current_schema();                       // SchemaError if migrations are missing
//   db.in_organization(org_id, [&](instantly::postgres::Transaction& tx) {
//     tx.execute("UPDATE businesses SET icebreaker = $1 WHERE id = $2", {text, id});
//   });
//
// Isolation is the database's job, not ours: every table carries
// `organization_id`, row-level security lets a transaction see and write only
// the rows of the organisation it names, and the application connects as a
// role that cannot bypass it (migrations/postgresql/0002_row_level_security.sql).
// `in_organization` names the organisation for exactly one transaction
// (`set_config(..., true)`), so a pooled connection never carries it over.
//
// Errors: DatabaseError (with PostgreSQL's SQLSTATE) for a failed connection or
// statement, SchemaError for a schema this build does not match, ValidationError
// for an organisation id that is not a UUID or a URL that does not parse.
// Messages name the server, never a password.
//
// Thread-safety: a Database is one connection; use it from one thread at a
// time (or one Database per thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/error.hpp"

namespace instantly::postgres {

struct DatabaseOptions {
  /// `postgresql://user:password@host:port/database?...` or a libpq `key=value`
  /// string. libpq's environment variables (PGHOST, PGPASSWORD, ...) fill what
  /// it leaves out.
  std::string url;
  std::chrono::seconds connect_timeout{10};
  /// Shown in pg_stat_activity, so an operator sees which process holds a connection.
  std::string application_name = "instantly";
};

/// A statement's parameters: text values ($1, $2, ...), std::nullopt for NULL.
using Parameters = std::vector<std::optional<std::string>>;

/// The rows a statement returned (text values), and how many it changed.
class Rows {
 public:
  Rows();
  ~Rows();
  Rows(Rows&&) noexcept;
  Rows& operator=(Rows&&) noexcept;

  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  /// The value at (row, column); std::nullopt for SQL NULL. Throws std::out_of_range.
  std::optional<std::string> get(std::size_t row, std::size_t column) const;
  /// The value at (row, column); a DatabaseError for NULL.
  std::string at(std::size_t row, std::size_t column) const;
  /// Rows changed by an INSERT, UPDATE or DELETE (0 for other statements).
  std::size_t affected() const noexcept;

 private:
  friend class Database;
  friend class Transaction;
  struct Result;
  explicit Rows(std::unique_ptr<Result> result);
  std::unique_ptr<Result> result_;
};

class Database;

/// The transaction `Database::in_organization` runs: every statement sees only
/// the named organisation's rows.
class Transaction {
 public:
  Rows execute(std::string_view sql, const Parameters& parameters = {});
  /// Several statements separated by `;`, without parameters (a migration file).
  void execute_script(std::string_view sql);
  /// The organisation it acts for; empty in `Database::in_transaction`.
  const std::string& organization_id() const noexcept { return organization_id_; }

 private:
  friend class Database;
  Transaction(Database& database, std::string organization_id)
      : database_(database), organization_id_(std::move(organization_id)) {}
  Database& database_;
  std::string organization_id_;
};

class Database {
 public:
  /// Connects at once, so a wrong URL or password fails here, not mid-stream.
  explicit Database(DatabaseOptions options);
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs `work` in one transaction acting for `organization_id` (a UUID):
  /// commits when it returns, rolls back and rethrows when it throws.
  void in_organization(std::string_view organization_id, const std::function<void(Transaction&)>& work);

  /// Runs `work` in one transaction acting for no organisation: row-level
  /// security shows it no organisation's rows. For the tables' owner
  /// (migrations) and for tables outside the policies.
  void in_transaction(const std::function<void(Transaction&)>& work);

  /// One statement in its own transaction, acting for no organisation (so it
  /// sees no organisation's rows): for the schema's version, or for a
  /// migration role's own work.
  Rows execute(std::string_view sql, const Parameters& parameters = {});

  /// The highest migration applied, 0 for a database without the schema.
  int schema_version();
  /// Throws SchemaError unless every migration this build ships is applied
  /// and no other: say which are missing, or that a newer build migrated it.
  void require_current_schema();

  /// "postgresql://user@host:port/database": for messages and logs, never with the password.
  const std::string& describe() const noexcept;

 private:
  friend class Transaction;
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace instantly::postgres
