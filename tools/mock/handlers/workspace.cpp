// The current workspace (GET/PATCH /workspaces/current), plus the
// workspace-wide resources registered from workspace_*.cpp: background jobs,
// custom tags and API keys.
#include "handlers/handlers.hpp"
#include "handlers/workspace_parts.hpp"

namespace instantly::mock {

namespace workspace {

std::unordered_set<std::string> query_list(const Call& call, std::string_view key) {
  std::unordered_set<std::string> values;
  for (const std::string& raw : call.query_values(key)) {
    std::string_view rest = raw;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      if (!item.empty()) values.emplace(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return values;
}

namespace {

Reply patch_current(const Call& call, State& state) {
  Json& current = state.workspace();
  for (std::string_view field : {"name", "org_logo_url"}) {
    if (const Json* value = call.field(field)) current.set(std::string(field), *value);
  }
  current.set("timestamp_updated", state.now_iso());
  return Reply::json(current);
}

}  // namespace

}  // namespace workspace

void register_workspace_handlers(Router& api, AdminRouter&) {
  api.on("getWorkspace", [](const Call&, State& state) { return Reply::json(state.workspace()); });
  api.on("patchWorkspace", workspace::patch_current);
  workspace::register_background_job_handlers(api);
  workspace::register_custom_tag_handlers(api);
  workspace::register_api_key_handlers(api);
}

}  // namespace instantly::mock
