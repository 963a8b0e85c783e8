#include "event_store.hpp"

#include "store_schema.hpp"

namespace webhook_receiver {

EventStore::EventStore(const std::string& path) : writer_(path) {
  // WAL: readers never block the writer. synchronous=FULL: the WAL is synced
  // at every COMMIT, so an acknowledged event survives a power cut, not only
  // a crash of the process (NORMAL would only promise the latter).
  writer_.exec("PRAGMA journal_mode = WAL");
  writer_.exec("PRAGMA synchronous = FULL");
  writer_.exec(kStoreSchema);
  reader_.emplace(path);
}

void EventStore::write(const std::function<void(Database&)>& work) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(writer_);
  work(writer_);
  transaction.commit();
}

StoreCounts EventStore::counts() {
  std::lock_guard lock(read_mutex_);
  if (!reader_) throw SqliteError("the store is closed");
  Statement query = reader_->prepare(
      "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM events WHERE applied = 0), "
      "(SELECT count(*) FROM engagement)");
  query.step();
  return {query.int_column(0), query.int_column(1), query.int_column(2)};
}

void EventStore::close() {
  {
    std::lock_guard lock(read_mutex_);
    reader_.reset();
  }
  std::lock_guard lock(write_mutex_);
  writer_.close();
}

bool EventStore::insert(Database& db, Statement& insert_event, const NewEvent& event) {
  insert_event.reset();
  insert_event.bind(1, std::string_view(event.dedupe_key))
      .bind(2, std::string_view(event.event_type))
      .bind(3, std::string_view(event.campaign_id))
      .bind(4, event.lead_email)
      .bind(5, std::string_view(event.timestamp))
      .bind(6, std::string_view(event.body));
  insert_event.step();
  return db.changes() == 1;
}

std::vector<PendingEvent> EventStore::pending(Database& db, std::size_t limit) {
  Statement query = db.prepare("SELECT id, body FROM events WHERE applied = 0 ORDER BY id LIMIT ?1");
  query.bind(1, static_cast<std::int64_t>(limit));
  std::vector<PendingEvent> events;
  while (query.step()) events.push_back({query.int_column(0), query.text_column(1)});
  return events;
}

void EventStore::mark_applied(Database& db, std::int64_t id, const std::optional<std::string>& error) {
  Statement update = db.prepare("UPDATE events SET applied = 1, apply_error = ?2 WHERE id = ?1");
  update.bind(1, id).bind(2, error);
  update.step();
}

}  // namespace webhook_receiver
