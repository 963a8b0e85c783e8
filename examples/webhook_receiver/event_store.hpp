// The receiver's SQLite file: the `events` table (every accepted delivery,
// raw body kept, one row per dedupe key) and the `engagement` table the
// worker keeps (engagement_table.hpp). WAL mode with synchronous=FULL, so a
// committed transaction survives a crash of the process or the machine.
//
// One write connection, used by one transaction at a time (the group
// committer's and the worker's take turns), and one read connection for
// /healthz, which WAL lets read while a write is under way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sqlite.hpp"

namespace webhook_receiver {

/// A delivery to store: what the events table indexes, and the body as received.
struct NewEvent {
  std::string dedupe_key;
  std::string event_type;
  std::string campaign_id;
  std::optional<std::string> lead_email;
  std::string timestamp;
  std::string body;
};

/// A stored event the worker has not applied yet.
struct PendingEvent {
  std::int64_t id = 0;
  std::string body;
};

struct StoreCounts {
  std::int64_t events = 0;     ///< rows in `events`
  std::int64_t unapplied = 0;  ///< of them, not yet folded into `engagement`
  std::int64_t leads = 0;      ///< rows in `engagement`
};

class EventStore {
 public:
  /// Opens or creates the file, switches it to WAL, creates the tables. Throws SqliteError.
  explicit EventStore(const std::string& path);

  /// Runs `work` inside one write transaction (BEGIN IMMEDIATE ... COMMIT) and
  /// returns once the COMMIT has returned. When `work` throws or the COMMIT
  /// fails, everything is rolled back and the exception propagates.
  void write(const std::function<void(Database&)>& work);

  StoreCounts counts();

  /// Closes both connections (the last close checkpoints the WAL into the file).
  void close();

  // The events table's statements, for use inside write().
  static constexpr const char* kInsertEvent =
      "INSERT OR IGNORE INTO events (dedupe_key, event_type, campaign_id, lead_email, timestamp, body) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  /// Binds and runs kInsertEvent; true when the row is new, false for a dedupe key already stored.
  static bool insert(Database& db, Statement& insert_event, const NewEvent& event);
  /// The oldest events not applied yet, at most `limit`.
  static std::vector<PendingEvent> pending(Database& db, std::size_t limit);
  /// Marks an event applied (`error` set when it could not be).
  static void mark_applied(Database& db, std::int64_t id, const std::optional<std::string>& error = std::nullopt);

 private:
  std::mutex write_mutex_;  // one transaction at a time on writer_
  Database writer_;
  std::mutex read_mutex_;
  std::optional<Database> reader_;
};

}  // namespace webhook_receiver
