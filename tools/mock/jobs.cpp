#include "jobs.hpp"

namespace instantly::mock {

Json& start_background_job(State& state, std::string_view type, std::string_view entity_type,
                           std::string_view entity_id, Json data) {
  std::string id = state.new_id();
  std::string now = state.now_iso();
  Json job = Json::object({{"id", id},
                           {"workspace_id", state.workspace().at("id")},
                           {"user_id", nullptr},
                           {"type", type},
                           {"entity_id", entity_id.empty() ? Json(nullptr) : Json(entity_id)},
                           {"entity_type", entity_type},
                           {"data", data.is_object() ? std::move(data) : Json::object()},
                           {"progress", 0},
                           {"status", "pending"},
                           {"created_at", now},
                           {"updated_at", now}});
  return state.collection(collections::kBackgroundJobs).put(std::move(id), std::move(job));
}

Json& poll_background_job(State& state, Json& job) {
  const std::string& status = job.at("status").as_string();
  if (status == "pending") {
    job.set("status", "in-progress");
    job.set("progress", 50);
  } else if (status == "in-progress") {
    job.set("status", "success");
    job.set("progress", 100);
  } else {
    return job;
  }
  job.set("updated_at", state.now_iso());
  return job;
}

void fail_background_job(State& state, Json& job, std::string_view reason) {
  job.set("status", "failed");
  job["data"].set("error", reason);
  job.set("updated_at", state.now_iso());
}

}  // namespace instantly::mock
