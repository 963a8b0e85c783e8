// The receiver's SQLite file: the `events` table (every accepted delivery,
// raw body kept, one row per dedupe key) and the `engagement` table
// (engagement_table.hpp). WAL mode with synchronous=FULL, so a committed
// transaction survives a crash of the process or the machine.
//
// One write connection, used by one transaction at a time (the group
// committer's and the worker's take turns), and one read connection for
// /healthz, which WAL lets read while a write is under way. One receiver per
// file: several receivers share a PostgreSQL database instead (postgres_store.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "receiver_store.hpp"
#include "sqlite.hpp"

namespace webhook_receiver {

class SqliteStore final : public ReceiverStore {
 public:
  /// Opens or creates the file, switches it to WAL, creates the tables. Throws SqliteError.
  explicit SqliteStore(const std::string& path);

  StoreResult store(const std::vector<NewEvent>& events, const std::vector<UnparsedDelivery>& unparsed) override;
  ReparseResult reparse() override;
  std::size_t apply_pending(std::size_t limit) override;
  StoreCounts counts() override;
  void check_writable() override;
  /// Closes both connections (the last close checkpoints the WAL into the file).
  void close() override;

 private:
  /// Runs `work` inside one write transaction (BEGIN IMMEDIATE ... COMMIT) and
  /// returns once the COMMIT has returned. When `work` throws or the COMMIT
  /// fails, everything is rolled back and the exception propagates.
  void write(const std::function<void(Database&)>& work);

  std::mutex write_mutex_;  // one transaction at a time on writer_
  Database writer_;
  std::mutex read_mutex_;
  std::optional<Database> reader_;
};

}  // namespace webhook_receiver
