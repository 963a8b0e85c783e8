// Block list entries: CRUD, bulk create/delete and delete-all.
// Values are stored lower-cased so lookups need no per-entry work.
#include "handlers/lead_block_list.hpp"

#include <unordered_map>
#include <vector>

#include "collection.hpp"
#include "handlers/lead_handlers.hpp"
#include "handlers/lead_records.hpp"
#include "http_error.hpp"

namespace instantly::mock::leads {

namespace {

bool is_domain(std::string_view value) {
  auto last_dot = value.rfind('.');
  if (value.empty() || last_dot == std::string_view::npos || last_dot == 0 || last_dot + 2 > value.size()) return false;
  if (value.find("..") != std::string_view::npos || value.front() == '-' || value.front() == '.') return false;
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Json& entry_or_404(State& state, std::string_view id) {
  Json* entry = state.collection(collections::kBlockListEntries).find(id);
  if (!entry) not_found("block list entry", id);
  return *entry;
}

/// The entry with this (normalized) value, or nullptr: entries are unique by value.
Json* entry_with_value(State& state, std::string_view value) {
  for (auto& [id, entry] : state.collection(collections::kBlockListEntries).records()) {
    if (entry.at("bl_value").as_string() == value) return &entry;
  }
  return nullptr;
}

/// Stores a new entry for a value no entry holds yet.
Json& store_entry(State& state, const std::string& value) {
  std::string id = state.new_id();
  Json entry = Json::object({{"id", id},
                             {"timestamp_created", state.now_iso()},
                             {"organization_id", state.workspace().at("id")},
                             {"bl_value", value},
                             {"is_domain", value.find('@') == std::string::npos}});
  return state.collection(collections::kBlockListEntries).put(std::move(id), std::move(entry));
}

/// Creates the entry, or returns the one that already holds the value.
Json& add_entry(State& state, const std::string& value) {
  if (Json* existing = entry_with_value(state, value)) return *existing;
  return store_entry(state, value);
}

std::string valid_value_or_400(std::string_view raw) {
  auto value = normalize_block_value(raw);
  if (!value) bad_request("bl_value must be an email address or a domain (got \"" + std::string(raw) + "\")");
  return *value;
}

/// The `domains_only` and `search` query filters shared by list and delete-all.
std::function<bool(const Json&)> entry_filter(const Call& call) {
  bool domains_only = call.query_value("domains_only").value_or("false") == "true";
  std::string search = lower(call.query_value("search").value_or(""));
  return [domains_only, search](const Json& entry) {
    if (domains_only && !entry.at("is_domain").as_bool()) return false;
    return search.empty() || entry.at("bl_value").as_string().find(search) != std::string::npos;
  };
}

}  // namespace

std::optional<std::string> normalize_block_value(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string normalized = lower(value);
  if (normalized.find('@') != std::string::npos ? is_valid_email(normalized) : is_domain(normalized)) {
    return normalized;
  }
  return std::nullopt;
}

BlockListIndex::BlockListIndex(State& state) {
  const auto& entries = state.collection(collections::kBlockListEntries).records();
  values_.reserve(entries.size());
  for (const auto& [id, entry] : entries) values_.insert(entry.at("bl_value").as_string());
}

bool BlockListIndex::blocks(std::string_view email) const {
  if (values_.empty()) return false;
  return values_.contains(email) || values_.contains(email_domain(email));
}

void register_block_list_handlers(Router& api) {
  api.on("createBlockListEntry", [](const Call& call, State& state) {
    return Reply::json(add_entry(state, valid_value_or_400(call.field("bl_value")->as_string())));
  });

  api.on("createblukBlockListEntry", [](const Call& call, State& state) {
    // Existing values looked up once, not once per value (up to 1,000 a call).
    std::unordered_map<std::string, Json*> by_value;
    for (auto& [id, entry] : state.collection(collections::kBlockListEntries).records()) {
      by_value.emplace(entry.at("bl_value").as_string(), &entry);
    }
    Json items = Json::array();
    std::int64_t invalid = 0;
    for (const Json& raw : call.field("bl_values")->as_array()) {
      auto value = normalize_block_value(raw.as_string());
      if (!value) {
        ++invalid;
        continue;
      }
      Json*& entry = by_value[*value];
      if (!entry) entry = &store_entry(state, *value);
      items.push_back(*entry);
    }
    auto valid = static_cast<std::int64_t>(items.size());
    return Reply::json(Json::object({{"items", std::move(items)}, {"valid_count", valid}, {"invalid_count", invalid}}));
  });

  api.on("listBlockListEntry", [](const Call& call, State& state) {
    auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
    return Reply::json(state.collection(collections::kBlockListEntries).page(request, entry_filter(call)));
  });

  api.on("getBlockListEntry", [](const Call& call, State& state) {
    return Reply::json(entry_or_404(state, call.param("id")));
  });

  api.on("patchBlockListEntry", [](const Call& call, State& state) {
    Json& entry = entry_or_404(state, call.param("id"));
    if (const Json* raw = call.field("bl_value")) {
      std::string value = valid_value_or_400(raw->as_string());
      Json* holder = entry_with_value(state, value);
      if (holder && holder != &entry) {
        throw HttpError(409, "block list entry " + holder->at("id").as_string() + " already holds " + value);
      }
      entry.set("bl_value", value);
      entry.set("is_domain", value.find('@') == std::string::npos);
    }
    return Reply::json(entry);
  });

  api.on("deleteBlockListEntry", [](const Call& call, State& state) {
    Json entry = entry_or_404(state, call.param("id"));
    state.collection(collections::kBlockListEntries).erase(call.param("id"));
    return Reply::json(std::move(entry));
  });

  api.on("deletebulkBlockListEntry", [](const Call& call, State& state) {
    Collection& entries = state.collection(collections::kBlockListEntries);
    Json deleted = Json::array();
    for (const Json& id : call.field("ids")->as_array()) {
      if (const Json* entry = entries.find(id.as_string())) {
        deleted.push_back(*entry);
        entries.erase(id.as_string());
      }
    }
    return Reply::json(std::move(deleted));
  });

  api.on("deleteallBlockListEntry", [](const Call& call, State& state) {
    auto keep = entry_filter(call);
    Collection& entries = state.collection(collections::kBlockListEntries);
    Json deleted = Json::array();
    std::vector<std::string> ids;
    for (const auto& [id, entry] : entries.records()) {
      if (!keep(entry)) continue;
      deleted.push_back(entry);
      ids.push_back(id);
    }
    for (const auto& id : ids) entries.erase(id);
    return Reply::json(std::move(deleted));
  });
}

}  // namespace instantly::mock::leads
