#include "state.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace instantly::mock {

State::State(std::uint64_t seed) : seed_(seed), rng_(seed) { init_workspace(); }

Collection& State::collection(std::string_view name) {
  auto it = collections_.find(name);
  if (it == collections_.end()) it = collections_.emplace(std::string(name), Collection{}).first;
  return it->second;
}

std::int64_t State::now_ms() const {
  if (frozen_ms_) return *frozen_ms_;
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return wall.count() + clock_offset_ms_;
}

std::string State::iso8601(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(unix_ms % 1000));
  return text;
}

std::string State::date_of(std::int64_t unix_ms) { return iso8601(unix_ms).substr(0, 10); }

std::string State::new_id() {
  // UUIDv7 layout: 48 bits of milliseconds, then a 12-bit sequence. When more
  // than 4096 ids are made in one millisecond the timestamp runs ahead by one,
  // so ids stay strictly increasing (and sort in creation order) regardless.
  std::int64_t ms = now_ms();
  if (ms > last_id_ms_) {
    last_id_ms_ = ms;
    id_sequence_ = 0;
  } else if (++id_sequence_ > 0xfff) {
    ++last_id_ms_;
    id_sequence_ = 0;
  }
  auto time = static_cast<unsigned long long>(last_id_ms_);
  auto random = rng_();
  char text[64];
  std::snprintf(text, sizeof text, "%08llx-%04llx-7%03x-%04llx-%012llx", (time >> 16) & 0xffffffffULL,
                time & 0xffffULL, id_sequence_, 0x8000ULL | ((random >> 48) & 0x3fffULL),
                random & 0xffffffffffffULL);
  return text;
}

bool State::chance(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

std::string State::lead_key(std::string_view scope, std::string_view email) {
  std::string key(scope);
  key += '\n';
  key += lower(email);
  return key;
}

void State::rebuild_indexes() {
  lead_index_.clear();
  leads_by_email_.clear();
  for (const auto& [id, lead] : collection(collections::kLeads).records()) {
    const Json* email = lead.find("email");
    if (!email || !email->is_string()) continue;
    leads_by_email_[lower(email->as_string())].push_back(id);
    for (const char* scope_field : {"campaign", "list_id"}) {
      const Json* scope = lead.find(scope_field);
      if (scope && scope->is_string()) lead_index_[lead_key(scope->as_string(), email->as_string())] = id;
    }
  }
}

void State::publish(const Json& payload) {
  if (listener_) listener_(payload);
}

void State::init_workspace() {
  workspace_ = Json::object({{"id", "019a0000-0000-7000-8000-000000000001"},
                             {"name", "Mock Workspace"},
                             {"owner", "019a0000-0000-7000-8000-000000000002"},
                             {"plan_id", "pid_growth"},
                             {"org_logo_url", nullptr},
                             {"timestamp_created", "2026-01-01T00:00:00.000Z"},
                             {"timestamp_updated", "2026-01-01T00:00:00.000Z"}});
}

void State::reset() {
  collections_.clear();
  lead_index_.clear();
  leads_by_email_.clear();
  clock_offset_ms_ = 0;
  rng_.seed(seed_);
  init_workspace();
}

Json State::to_json() const {
  Json data = Json::object();
  for (const auto& [name, records] : collections_) data.set(name, records.to_json());
  return Json::object({{"format", "instantly-mock-state/1"},
                       {"clock_offset_ms", clock_offset_ms_},
                       {"workspace", workspace_},
                       {"collections", std::move(data)}});
}

void State::load(const Json& saved) {
  reset();
  if (const Json* offset = saved.find("clock_offset_ms"); offset && offset->is_int()) {
    clock_offset_ms_ = offset->as_int();
  }
  if (const Json* ws = saved.find("workspace"); ws && ws->is_object()) workspace_ = *ws;
  if (const Json* data = saved.find("collections"); data && data->is_object()) {
    for (const auto& [name, records] : data->as_object()) {
      collection(name).load(records, name == collections::kAccounts ? "email" : "id");
    }
  }
  rebuild_indexes();
}

}  // namespace instantly::mock
