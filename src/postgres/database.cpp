#include "instantly/postgres/database.hpp"

#include <libpq-fe.h>

#include <array>
#include <stdexcept>
#include <utility>

#include "postgres/connection_target.hpp"

namespace instantly::postgres {
namespace detail {

// Named, not anonymous: the classes of the public header hold them.
struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
struct ConnectionDeleter {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};

}  // namespace detail
namespace {

using ResultHandle = std::unique_ptr<PGresult, detail::ResultDeleter>;

std::string trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// 8-4-4-4-12 hex digits: what the policies cast the organisation to.
bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

}  // namespace

// ---- Rows ----------------------------------------------------------------------------------

struct Rows::Result {
  ResultHandle handle;
};

Rows::Rows() = default;
Rows::Rows(std::unique_ptr<Result> result) : result_(std::move(result)) {}
Rows::~Rows() = default;
Rows::Rows(Rows&&) noexcept = default;
Rows& Rows::operator=(Rows&&) noexcept = default;

std::size_t Rows::size() const noexcept {
  return result_ ? static_cast<std::size_t>(PQntuples(result_->handle.get())) : 0;
}

std::optional<std::string> Rows::get(std::size_t row, std::size_t column) const {
  if (!result_ || row >= size() || column >= static_cast<std::size_t>(PQnfields(result_->handle.get()))) {
    throw std::out_of_range("instantly::postgres::Rows: no value at (" + std::to_string(row) + ", " +
                            std::to_string(column) + ")");
  }
  PGresult* result = result_->handle.get();
  const int r = static_cast<int>(row), c = static_cast<int>(column);
  if (PQgetisnull(result, r, c)) return std::nullopt;
  return std::string(PQgetvalue(result, r, c), static_cast<std::size_t>(PQgetlength(result, r, c)));
}

std::string Rows::at(std::size_t row, std::size_t column) const {
  auto value = get(row, column);
  if (!value) {
    throw DatabaseError("instantly::postgres::Rows: the value at (" + std::to_string(row) + ", " +
                        std::to_string(column) + ") is NULL");
  }
  return *std::move(value);
}

std::size_t Rows::affected() const noexcept {
  if (!result_) return 0;
  const char* count = PQcmdTuples(result_->handle.get());
  return count != nullptr && *count != '\0' ? std::stoul(count) : 0;
}

// ---- Connection ----------------------------------------------------------------------------

struct Database::Connection {
  std::unique_ptr<PGconn, detail::ConnectionDeleter> handle;
  detail::ConnectionTarget target;

  explicit Connection(const DatabaseOptions& options) : target(detail::read_connection_target(options.url)) {
    const std::string timeout = std::to_string(options.connect_timeout.count());
    const std::array<const char*, 4> keywords{"dbname", "connect_timeout", "application_name", nullptr};
    const std::array<const char*, 4> values{options.url.c_str(), timeout.c_str(), options.application_name.c_str(),
                                            nullptr};
    // expand_dbname = 1: the URL's own settings come first, ours fill what it leaves out.
    handle.reset(PQconnectdbParams(keywords.data(), values.data(), 1));
    if (!handle) throw DatabaseError("cannot connect to PostgreSQL at " + target.display + ": out of memory");
    if (PQstatus(handle.get()) != CONNECTION_OK) {
      throw DatabaseError("cannot connect to PostgreSQL at " + target.display + ": " + error_text());
    }
    // libpq prints the server's notices ("relation ... already exists, skipping") to stderr;
    // a library has no business writing there.
    PQsetNoticeProcessor(handle.get(), [](void*, const char*) {}, nullptr);
  }

  std::string error_text() const { return detail::scrub(trimmed(PQerrorMessage(handle.get())), target.password); }

  /// A connection the server closed (restart, idle timeout) is opened again once, before a
  /// statement: never inside a transaction, whose work would be gone with it.
  void reconnect_if_lost() {
    if (PQstatus(handle.get()) == CONNECTION_OK) return;
    PQreset(handle.get());
    if (PQstatus(handle.get()) != CONNECTION_OK) {
      throw DatabaseError("lost the connection to PostgreSQL at " + target.display + ": " + error_text());
    }
  }

  Rows checked(PGresult* raw, std::string_view sql) {
    ResultHandle result(raw);
    if (!result) throw DatabaseError("PostgreSQL at " + target.display + ": " + error_text());
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return Rows(std::make_unique<Rows::Result>(Rows::Result{std::move(result)}));
    }
    const char* sqlstate = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    // The statement's first line says which one failed without dumping a whole script.
    std::string statement(sql.substr(0, sql.find('\n')));
    if (statement.size() > 80) statement = statement.substr(0, 77) + "...";
    throw DatabaseError("PostgreSQL at " + target.display + " refused `" + statement + "`: " +
                            detail::scrub(trimmed(PQresultErrorMessage(result.get())), target.password),
                        sqlstate != nullptr ? sqlstate : "");
  }

  Rows execute(std::string_view sql, const Parameters& parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
    const std::string statement(sql);
    return checked(PQexecParams(handle.get(), statement.c_str(), static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0),
                   sql);
  }

  void execute_script(std::string_view sql) { checked(PQexec(handle.get(), std::string(sql).c_str()), sql); }

  void run_transaction(const std::string& organization_id, Transaction& transaction,
                       const std::function<void(Transaction&)>& work) {
    reconnect_if_lost();
    execute("BEGIN", {});
    try {
      if (!organization_id.empty()) {
        // Local to this transaction (the `true`): the setting ends with it.
        execute("SELECT set_config('instantly.organization_id', $1, true)", {organization_id});
      }
      work(transaction);
      execute("COMMIT", {});
    } catch (...) {
      // A failed statement already aborted the transaction; ROLLBACK ends it either way.
      // Its own failure (a lost connection) must not hide the error that got us here.
      ResultHandle ignored(PQexec(handle.get(), "ROLLBACK"));
      throw;
    }
  }
};

// ---- Transaction ---------------------------------------------------------------------------

Rows Transaction::execute(std::string_view sql, const Parameters& parameters) {
  return database_.connection_->execute(sql, parameters);
}

void Transaction::execute_script(std::string_view sql) { database_.connection_->execute_script(sql); }

// ---- Database ------------------------------------------------------------------------------

Database::Database(DatabaseOptions options) : connection_(std::make_unique<Connection>(options)) {}
Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

void Database::in_organization(std::string_view organization_id, const std::function<void(Transaction&)>& work) {
  if (!is_uuid(organization_id)) {
    throw ValidationError("an organisation id is a UUID (8-4-4-4-12 hex digits); got " +
                          std::to_string(organization_id.size()) + " characters that are not one");
  }
  Transaction transaction(*this, std::string(organization_id));
  connection_->run_transaction(transaction.organization_id(), transaction, work);
}

void Database::in_transaction(const std::function<void(Transaction&)>& work) {
  Transaction transaction(*this, {});
  connection_->run_transaction({}, transaction, work);
}

Rows Database::execute(std::string_view sql, const Parameters& parameters) {
  connection_->reconnect_if_lost();
  return connection_->execute(sql, parameters);
}

const std::string& Database::describe() const noexcept { return connection_->target.display; }

}  // namespace instantly::postgres
