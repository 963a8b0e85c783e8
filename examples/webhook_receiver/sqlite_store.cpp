#include "sqlite_store.hpp"

#include <stdexcept>
#include <tuple>
#include <utility>

#include "delivery_parse.hpp"
#include "engagement_fold.hpp"
#include "engagement_table.hpp"
#include "store_schema.hpp"

namespace webhook_receiver {

// The function-try-block names the file in whatever SQLite says ("file is not a database", a table
// of another shape that the schema cannot take), so the operator knows which file to look at.
SqliteStore::SqliteStore(const std::string& path) try : writer_(path) {
  // WAL: readers never block the writer. synchronous=FULL: the WAL is synced
  // at every COMMIT, so an acknowledged event survives a power cut, not only
  // a crash of the process (NORMAL would only promise the latter).
  writer_.exec("PRAGMA journal_mode = WAL");
  writer_.exec("PRAGMA synchronous = FULL");
  writer_.exec(kStoreSchema);
  reader_.emplace(path);
} catch (const std::exception& e) {
  throw std::runtime_error("cannot open the SQLite store " + path + ": " + e.what());
}

void SqliteStore::write(const std::function<void(Database&)>& work) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(writer_);
  work(writer_);
  transaction.commit();
}

namespace {

constexpr const char* kSqliteInsertEvent =
    "INSERT OR IGNORE INTO events (dedupe_key, event_type, campaign_id, lead_email, timestamp, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

bool sqlite_insert_event(Statement& insert, Database& db, const NewEvent& event) {
  insert.reset();
  insert.bind(1, std::string_view(event.dedupe_key))
      .bind(2, std::string_view(event.event_type))
      .bind(3, std::string_view(event.campaign_id))
      .bind(4, event.lead_email)
      .bind(5, std::string_view(event.timestamp))
      .bind(6, std::string_view(event.body));
  insert.step();
  return db.changes() == 1;
}

}  // namespace

StoreResult SqliteStore::store(const std::vector<NewEvent>& events, const std::vector<UnparsedDelivery>& unparsed) {
  StoreResult result;
  write([&](Database& db) {
    result = {};
    Statement insert = db.prepare(kSqliteInsertEvent);
    for (const NewEvent& event : events) result.inserted.push_back(sqlite_insert_event(insert, db, event));
    Statement keep = db.prepare(
        "INSERT OR IGNORE INTO unparsed_deliveries (body_sha256, body, received_at, error) VALUES (?1, ?2, ?3, ?4)");
    for (const UnparsedDelivery& delivery : unparsed) {
      keep.reset();
      keep.bind(1, std::string_view(delivery.body_sha256))
          .bind_blob(2, delivery.body)
          .bind(3, std::string_view(delivery.received_at))
          .bind(4, std::string_view(delivery.error));
      keep.step();
    }
  });
  return result;
}

ReparseResult SqliteStore::reparse() {
  ReparseResult result;
  write([&](Database& db) {
    result = {};
    std::vector<std::tuple<std::int64_t, std::string, std::string>> kept;
    Statement all = db.prepare("SELECT id, body, received_at FROM unparsed_deliveries ORDER BY id");
    while (all.step()) kept.emplace_back(all.int_column(0), all.blob_column(1), all.text_column(2));

    Statement insert = db.prepare(kSqliteInsertEvent);
    Statement forget = db.prepare("DELETE FROM unparsed_deliveries WHERE id = ?1");
    Statement note = db.prepare("UPDATE unparsed_deliveries SET error = ?2 WHERE id = ?1");
    for (const auto& [id, body, received_at] : kept) {
      ++result.tried;
      auto parsed = parse_delivery(body, received_at);
      if (const NewEvent* event = std::get_if<NewEvent>(&parsed)) {
        sqlite_insert_event(insert, db, *event);
        forget.reset();
        forget.bind(1, id);
        forget.step();
        ++result.became_events;
      } else {
        note.reset();
        note.bind(1, id).bind(2, std::string_view(std::get<UnparsedDelivery>(parsed).error));
        note.step();
      }
    }
  });
  return result;
}

std::size_t SqliteStore::apply_pending(std::size_t limit) {
  std::size_t applied = 0;
  write([&](Database& db) {
    // Read the batch first: the updates below change the index the query would be walking.
    std::vector<std::pair<std::int64_t, std::string>> batch;
    Statement pending = db.prepare("SELECT id, body FROM events WHERE applied = 0 ORDER BY id LIMIT ?1");
    pending.bind(1, static_cast<std::int64_t>(limit));
    while (pending.step()) batch.emplace_back(pending.int_column(0), pending.text_column(1));

    Statement mark = db.prepare("UPDATE events SET applied = 1, apply_error = ?2 WHERE id = ?1");
    for (const auto& [id, body] : batch) {
      const std::optional<std::string> error = fold_stored_event(
          body,
          [&](const std::string& campaign_id, const std::string& lead_email) {
            return load_lead(db, campaign_id, lead_email);
          },
          [&](const instantly::webhooks::LeadEngagement& lead) { save_lead(db, lead); });
      mark.reset();
      mark.bind(1, id).bind(2, error);
      mark.step();
      ++applied;
    }
  });
  return applied;
}

StoreCounts SqliteStore::counts() {
  std::lock_guard lock(read_mutex_);
  if (!reader_) throw SqliteError("the store is closed");
  Statement query = reader_->prepare(
      "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events WHERE applied = 0), "
      "(SELECT count(*) FROM engagement), (SELECT count(*) FROM unparsed_deliveries)");
  query.step();
  return {query.int_column(0), query.int_column(1), query.int_column(2), query.int_column(3)};
}

void SqliteStore::check_writable() {
  // BEGIN IMMEDIATE takes the write lock, which a full disk or a read-only file refuses.
  std::lock_guard lock(write_mutex_);
  writer_.exec("BEGIN IMMEDIATE");
  writer_.exec("ROLLBACK");
}

void SqliteStore::close() {
  {
    std::lock_guard lock(read_mutex_);
    reader_.reset();
  }
  std::lock_guard lock(write_mutex_);
  writer_.close();
}

}  // namespace webhook_receiver
