#include "snapshot_store.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace analytics_sync {

namespace {

using instantly::workflows::AnalyticsCounters;
using instantly::workflows::CampaignSnapshot;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS campaign_snapshots (
  taken_at TEXT NOT NULL,
  taken_at_ms INTEGER NOT NULL,
  campaign_id TEXT NOT NULL,
  campaign_name TEXT NOT NULL,
  campaign_status INTEGER,
  is_evergreen INTEGER NOT NULL,
  reported INTEGER NOT NULL,
  leads_count INTEGER NOT NULL,
  contacted INTEGER NOT NULL,
  new_leads_contacted INTEGER NOT NULL,
  emails_sent INTEGER NOT NULL,
  opened INTEGER NOT NULL,
  opened_unique INTEGER NOT NULL,
  replies INTEGER NOT NULL,
  replies_unique INTEGER NOT NULL,
  replies_automatic INTEGER NOT NULL,
  replies_automatic_unique INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  clicks_unique INTEGER NOT NULL,
  bounced INTEGER NOT NULL,
  unsubscribed INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  opportunities INTEGER NOT NULL,
  opportunity_value REAL NOT NULL,
  PRIMARY KEY (taken_at_ms, campaign_id)
);
CREATE INDEX IF NOT EXISTS campaign_snapshots_by_campaign ON campaign_snapshots (campaign_id, taken_at_ms);
-- The rates AnalyticsSync derives: each against contacted, NULL while contacted is 0.
CREATE VIEW IF NOT EXISTS campaign_rates AS
SELECT taken_at, campaign_id, campaign_name, contacted,
       CASE WHEN contacted > 0 THEN 1.0 * opened_unique / contacted END AS open_rate,
       CASE WHEN contacted > 0 THEN 1.0 * replies_unique / contacted END AS reply_rate,
       CASE WHEN contacted > 0 THEN 1.0 * clicks_unique / contacted END AS click_rate,
       CASE WHEN contacted > 0 THEN 1.0 * bounced / contacted END AS bounce_rate,
       CASE WHEN contacted > 0 THEN 1.0 * unsubscribed / contacted END AS unsubscribe_rate
FROM campaign_snapshots;
)sql";

// The counter columns, in schema order, with their members.
constexpr std::pair<const char*, std::int64_t AnalyticsCounters::*> kCounterColumns[] = {
    {"contacted", &AnalyticsCounters::contacted},
    {"new_leads_contacted", &AnalyticsCounters::new_leads_contacted},
    {"emails_sent", &AnalyticsCounters::emails_sent},
    {"opened", &AnalyticsCounters::opened},
    {"opened_unique", &AnalyticsCounters::opened_unique},
    {"replies", &AnalyticsCounters::replies},
    {"replies_unique", &AnalyticsCounters::replies_unique},
    {"replies_automatic", &AnalyticsCounters::replies_automatic},
    {"replies_automatic_unique", &AnalyticsCounters::replies_automatic_unique},
    {"clicks", &AnalyticsCounters::clicks},
    {"clicks_unique", &AnalyticsCounters::clicks_unique},
    {"bounced", &AnalyticsCounters::bounced},
    {"unsubscribed", &AnalyticsCounters::unsubscribed},
    {"completed", &AnalyticsCounters::completed},
    {"opportunities", &AnalyticsCounters::opportunities},
};
// Columns before the counters: taken_at, taken_at_ms, campaign_id, campaign_name,
// campaign_status, is_evergreen, reported, leads_count.
constexpr int kLeadingColumns = 8;
constexpr int kCounterCount = static_cast<int>(std::size(kCounterColumns));

std::string column_list() {
  std::string out = "taken_at, taken_at_ms, campaign_id, campaign_name, campaign_status, is_evergreen, reported, "
                    "leads_count";
  for (const auto& [name, member] : kCounterColumns) out += std::string(", ") + name;
  return out + ", opportunity_value";
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw std::runtime_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Statement prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) fail(db, "prepare");
  return Statement(statement);
}

std::int64_t unix_ms(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

std::string iso_utc(std::chrono::system_clock::time_point at) {
  const std::int64_t ms = unix_ms(at);
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

void bind_text(sqlite3* db, sqlite3_stmt* s, int index, const std::string& text) {
  if (sqlite3_bind_text(s, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(db, "bind");
  }
}

void bind_int(sqlite3* db, sqlite3_stmt* s, int index, std::int64_t value) {
  if (sqlite3_bind_int64(s, index, value) != SQLITE_OK) fail(db, "bind");
}

}  // namespace

SnapshotStore::SnapshotStore(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string message = "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    throw std::runtime_error(message);
  }
  sqlite3_busy_timeout(db_, 5000);  // a reader (a dashboard) may hold the file for a moment
  try {
    // WAL: readers see the last committed sync while the next one is written.
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    exec(kSchema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SnapshotStore::~SnapshotStore() { sqlite3_close(db_); }

void SnapshotStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw std::runtime_error("sqlite: " + message);
  }
}

void SnapshotStore::append(const std::vector<CampaignSnapshot>& snapshots) {
  std::string placeholders = "?";
  for (int i = 1; i < kLeadingColumns + kCounterCount + 1; ++i) placeholders += ", ?";
  Statement insert = prepare(db_, "INSERT INTO campaign_snapshots (" + column_list() + ") VALUES (" +
                                      placeholders + ")");
  exec("BEGIN IMMEDIATE");
  try {
    for (const CampaignSnapshot& s : snapshots) {
      sqlite3_stmt* st = insert.get();
      sqlite3_reset(st);
      bind_text(db_, st, 1, iso_utc(s.taken_at));
      bind_int(db_, st, 2, unix_ms(s.taken_at));
      bind_text(db_, st, 3, s.campaign_id);
      bind_text(db_, st, 4, s.campaign_name);
      if (s.campaign_status) {
        bind_int(db_, st, 5, static_cast<std::int64_t>(*s.campaign_status));
      } else if (sqlite3_bind_null(st, 5) != SQLITE_OK) {
        fail(db_, "bind");
      }
      bind_int(db_, st, 6, s.is_evergreen ? 1 : 0);
      bind_int(db_, st, 7, s.reported ? 1 : 0);
      bind_int(db_, st, 8, s.leads_count);
      int index = kLeadingColumns + 1;
      for (const auto& [name, member] : kCounterColumns) bind_int(db_, st, index++, s.counters.*member);
      if (sqlite3_bind_double(st, index, s.counters.opportunity_value) != SQLITE_OK) fail(db_, "bind");
      if (sqlite3_step(st) != SQLITE_DONE) fail(db_, "insert");
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<CampaignSnapshot> SnapshotStore::latest() {
  Statement query = prepare(db_, "SELECT " + column_list() +
                                     " FROM campaign_snapshots WHERE taken_at_ms ="
                                     " (SELECT MAX(taken_at_ms) FROM campaign_snapshots)");
  std::vector<CampaignSnapshot> snapshots;
  sqlite3_stmt* st = query.get();
  for (int rc = sqlite3_step(st); rc != SQLITE_DONE; rc = sqlite3_step(st)) {
    if (rc != SQLITE_ROW) fail(db_, "select");
    CampaignSnapshot s;
    s.taken_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(sqlite3_column_int64(st, 1)));
    s.campaign_id = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    s.campaign_name = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
    if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
      s.campaign_status = static_cast<instantly::CampaignStatus>(sqlite3_column_int64(st, 4));
    }
    s.is_evergreen = sqlite3_column_int64(st, 5) != 0;
    s.reported = sqlite3_column_int64(st, 6) != 0;
    s.leads_count = sqlite3_column_int64(st, 7);
    int index = kLeadingColumns;
    for (const auto& [name, member] : kCounterColumns) s.counters.*member = sqlite3_column_int64(st, index++);
    s.counters.opportunity_value = sqlite3_column_double(st, index);
    snapshots.push_back(std::move(s));
  }
  return snapshots;
}

}  // namespace analytics_sync
