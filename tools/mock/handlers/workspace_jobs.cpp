// Reading background jobs. Jobs are started elsewhere (leads/move, warmup);
// each GET of one advances it a step so pollers see it progress.
#include "collection.hpp"
#include "handlers/workspace_parts.hpp"
#include "http_error.hpp"
#include "jobs.hpp"

namespace instantly::mock::workspace {

namespace {

Reply get_job(const Call& call, State& state) {
  Json* job = state.collection(collections::kBackgroundJobs).find(call.param("id"));
  if (!job) not_found("background job", call.param("id"));
  Json reply = poll_background_job(state, *job);
  // data_fields narrows `data` to the named keys (comma-separated).
  auto wanted = query_list(call, "data_fields");
  if (!wanted.empty()) {
    Json data = Json::object();
    for (const auto& [key, value] : reply.at("data").as_object()) {
      if (wanted.contains(key)) data.set(key, value);
    }
    reply.set("data", std::move(data));
  }
  return Reply::json(std::move(reply));
}

bool string_is(const Json& job, std::string_view key, const std::optional<std::string>& wanted) {
  if (!wanted) return true;
  const Json* value = job.find(key);
  return value && value->is_string() && value->as_string() == *wanted;
}

Reply list_jobs(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  auto ids = query_list(call, "ids");
  auto included = query_list(call, "included_ids");
  auto excluded = query_list(call, "excluded_ids");
  auto statuses = query_list(call, "status");
  auto type = call.query_value("type");
  auto entity_type = call.query_value("entity_type");
  auto entity_id = call.query_value("entity_id");
  return Reply::json(state.collection(collections::kBackgroundJobs).page(request, [&](const Json& job) {
    const std::string& id = job.at("id").as_string();
    if (!ids.empty() && !ids.contains(id)) return false;
    if (!included.empty() && !included.contains(id)) return false;
    if (excluded.contains(id)) return false;
    if (!statuses.empty() && !statuses.contains(job.at("status").as_string())) return false;
    return string_is(job, "type", type) && string_is(job, "entity_type", entity_type) &&
           string_is(job, "entity_id", entity_id);
  }));
}

}  // namespace

void register_background_job_handlers(Router& api) {
  api.on("getBackgroundJob", get_job);
  api.on("listBackgroundJob", list_jobs);
}

}  // namespace instantly::mock::workspace
