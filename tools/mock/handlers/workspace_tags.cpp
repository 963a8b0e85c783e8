// Custom tags, and their mappings to accounts (resource_type 1) and
// campaigns (resource_type 2) made by toggle-resource.
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "collection.hpp"
#include "handlers/workspace_parts.hpp"
#include "http_error.hpp"

namespace instantly::mock::workspace {

namespace {

Json& tag_or_404(State& state, std::string_view id) {
  Json* tag = state.collection(collections::kCustomTags).find(id);
  if (!tag) not_found("custom tag", id);
  return *tag;
}

/// The tag ids mapped to any of `resources`.
std::unordered_set<std::string> tags_on(State& state, const std::unordered_set<std::string>& resources) {
  std::unordered_set<std::string> tags;
  for (const auto& [id, mapping] : state.collection(collections::kCustomTagMappings).records()) {
    if (resources.contains(mapping.at("resource_id").as_string())) tags.insert(mapping.at("tag_id").as_string());
  }
  return tags;
}

Reply create_tag(const Call& call, State& state) {
  std::string id = state.new_id();
  std::string now = state.now_iso();
  Json tag = Json::object({{"id", id},
                           {"timestamp_created", now},
                           {"timestamp_updated", now},
                           {"organization_id", state.workspace().at("id")},
                           {"label", call.field("label")->as_string()}});
  return Reply::json(state.collection(collections::kCustomTags).put(std::move(id), std::move(tag)));
}

Reply list_tags(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  std::string search = lower(call.query_value("search").value_or(""));
  auto tag_ids = query_list(call, "tag_ids");
  auto resources = query_list(call, "resource_ids");
  std::optional<std::unordered_set<std::string>> on_resources;
  if (!resources.empty()) on_resources = tags_on(state, resources);
  return Reply::json(state.collection(collections::kCustomTags).page(request, [&](const Json& tag) {
    const std::string& id = tag.at("id").as_string();
    if (!tag_ids.empty() && !tag_ids.contains(id)) return false;
    if (on_resources && !on_resources->contains(id)) return false;
    return search.empty() || lower(tag.at("label").as_string()).find(search) != std::string::npos;
  }));
}

Reply patch_tag(const Call& call, State& state) {
  Json& tag = tag_or_404(state, call.param("id"));
  if (const Json* label = call.field("label")) tag.set("label", *label);
  tag.set("timestamp_updated", state.now_iso());
  return Reply::json(tag);
}

void erase_mappings(State& state, const std::function<bool(const Json&)>& doomed) {
  Collection& mappings = state.collection(collections::kCustomTagMappings);
  std::vector<std::string> ids;
  for (const auto& [id, mapping] : mappings.records()) {
    if (doomed(mapping)) ids.push_back(id);
  }
  for (const auto& id : ids) mappings.erase(id);
}

Reply delete_tag(const Call& call, State& state) {
  Json tag = tag_or_404(state, call.param("id"));
  const std::string& id = call.param("id");
  erase_mappings(state, [&id](const Json& mapping) { return mapping.at("tag_id").as_string() == id; });
  state.collection(collections::kCustomTags).erase(id);
  return Reply::json(std::move(tag));
}

/// The resources a toggle applies to: the listed ones, or with selected_all
/// every account/campaign except the excluded ones.
std::vector<std::string> toggle_targets(const Call& call, State& state, int resource_type) {
  std::vector<std::string> targets;
  const Json* selected_all = call.field("selected_all");
  if (selected_all && selected_all->is_bool() && selected_all->as_bool()) {
    std::unordered_set<std::string> excluded;
    if (const Json* ex = call.field("excluded_resource_ids")) {
      for (const Json& id : ex->as_array()) excluded.insert(id.as_string());
    }
    auto name = resource_type == 1 ? collections::kAccounts : collections::kCampaigns;
    for (const auto& [id, record] : state.collection(name).records()) {
      if (!excluded.contains(id)) targets.push_back(id);
    }
  } else if (const Json* ids = call.field("resource_ids")) {
    for (const Json& id : ids->as_array()) targets.push_back(id.as_string());
  } else {
    bad_request("send resource_ids, or selected_all: true");
  }
  return targets;
}

Reply toggle_resource(const Call& call, State& state) {
  auto resource_type = static_cast<int>(call.field("resource_type")->as_double());
  bool assign = call.field("assign")->as_bool();
  std::vector<std::string> tags;
  for (const Json& id : call.field("tag_ids")->as_array()) {
    tag_or_404(state, id.as_string());
    tags.push_back(id.as_string());
  }
  std::vector<std::string> targets = toggle_targets(call, state, resource_type);
  std::unordered_set<std::string> tag_set(tags.begin(), tags.end());
  std::unordered_set<std::string> target_set(targets.begin(), targets.end());

  // Drop existing pairs first; assigning then re-adds each pair exactly once.
  std::unordered_set<std::string> existing;
  erase_mappings(state, [&](const Json& mapping) {
    bool hit = tag_set.contains(mapping.at("tag_id").as_string()) &&
               target_set.contains(mapping.at("resource_id").as_string());
    if (hit && assign) existing.insert(mapping.at("tag_id").as_string() + '\n' + mapping.at("resource_id").as_string());
    return hit && !assign;
  });
  if (assign) {
    Collection& mappings = state.collection(collections::kCustomTagMappings);
    for (const auto& tag : tags) {
      for (const auto& target : targets) {
        if (!existing.insert(tag + '\n' + target).second) continue;
        std::string id = state.new_id();
        mappings.put(id, Json::object({{"id", id},
                                       {"tag_id", tag},
                                       {"resource_id", target},
                                       {"resource_type", resource_type},
                                       {"timestamp_created", state.now_iso()},
                                       {"organization_id", state.workspace().at("id")}}));
      }
    }
  }
  return Reply::json(Json::object({{"success", true}}));
}

Reply list_mappings(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  auto resources = query_list(call, "resource_ids");
  return Reply::json(state.collection(collections::kCustomTagMappings).page(request, [&](const Json& mapping) {
    return resources.empty() || resources.contains(mapping.at("resource_id").as_string());
  }));
}

}  // namespace

void register_custom_tag_handlers(Router& api) {
  api.on("createCustomTag", create_tag);
  api.on("listCustomTag", list_tags);
  api.on("getCustomTag", [](const Call& call, State& state) { return Reply::json(tag_or_404(state, call.param("id"))); });
  api.on("patchCustomTag", patch_tag);
  api.on("deleteCustomTag", delete_tag);
  api.on("toggleTagResource", toggle_resource);
  api.on("listCustomTagMapping", list_mappings);
}

}  // namespace instantly::mock::workspace
