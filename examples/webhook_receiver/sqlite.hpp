// A thin RAII layer over the SQLite C API: a connection, prepared statements
// and a transaction guard, each throwing SqliteError with SQLite's message.
// Connections are not shared between threads without a lock (SqliteStore
// holds one).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace webhook_receiver {

class SqliteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Parameters are 1-based, as in SQLite. Text is copied.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  /// NULL when empty.
  Statement& bind(int index, const std::optional<std::string>& text);
  /// Bytes as a BLOB (any bytes, not only UTF-8).
  Statement& bind_blob(int index, std::string_view bytes);

  /// Runs one step: true when a row is ready, false when done.
  bool step();
  /// Ready for the next use: reset, bindings cleared.
  void reset();

  std::int64_t int_column(int index) const;
  std::string text_column(int index) const;
  std::optional<std::string> optional_text_column(int index) const;
  std::string blob_column(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

class Database {
 public:
  /// Opens the file, creating it when needed.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs SQL that returns no rows (several statements allowed).
  void exec(const std::string& sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
  /// Closes the connection (the destructor does it too); throws when SQLite cannot.
  void close();

 private:
  sqlite3* db_ = nullptr;
};

/// BEGIN IMMEDIATE (the write lock is taken at once, so COMMIT cannot fail on
/// a lock); rolled back by the destructor unless commit() returned.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  /// Returns once the data is durable (with synchronous=FULL).
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace webhook_receiver
