#include "jobs.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "http_error.hpp"

namespace instantly::mock {
namespace {

// A job's course once a test set it, by job id: {"id", "finish_after_polls": n | null, "outcome"}.
// Kept beside the jobs, not in them, so API answers stay exactly the job's schema.
constexpr std::string_view kJobPlans = "background_job_plans";

bool finishes_well(std::string_view status) { return status == "success" || status == "completed"; }

void touch(State& state, Json& job) { job.set("updated_at", state.now_iso()); }

// One read of a job whose course a test set: holds still, or counts down to its outcome.
void follow_plan(State& state, Json& job, Collection& plans, Json& plan) {
  Json& remaining = plan["finish_after_polls"];
  if (remaining.is_null()) return;
  const std::int64_t left = remaining.as_int() - 1;
  if (left > 0) {
    remaining = Json(left);
    return;
  }
  const std::string outcome = plan.at("outcome").as_string();
  job.set("status", outcome);
  if (finishes_well(outcome)) job.set("progress", 100);
  touch(state, job);
  plans.erase(job.at("id").as_string());
}

constexpr std::array<std::string_view, 5> kStateMembers = {"status", "progress", "error", "finish_after_polls",
                                                            "outcome"};

void require(bool ok, const std::string& message) {
  if (!ok) bad_request(message);
}

/// Checks the whole body first, so a bad one changes nothing.
void validate_state(const Json& body) {
  require(body.is_object(), "the body must be a JSON object");
  for (const auto& [key, value] : body.as_object()) {
    bool known = false;
    for (std::string_view member : kStateMembers) known = known || key == member;
    require(known, "unknown member " + key);
  }
  for (std::string_view key : {"status", "error", "outcome"}) {
    if (const Json* v = body.find(key)) {
      require(v->is_string() && !v->as_string().empty(), std::string(key) + " must be a non-empty string");
    }
  }
  if (const Json* v = body.find("progress")) {
    require(v->is_number() && v->as_double() >= 0 && v->as_double() <= 100, "progress must be a number from 0 to 100");
  }
  if (const Json* v = body.find("finish_after_polls")) {
    require(v->is_int() && v->as_int() >= 1, "finish_after_polls must be an integer of at least 1");
  }
  require(!body.contains("outcome") || body.contains("finish_after_polls"), "outcome needs finish_after_polls");
}

Reply set_job_state(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  validate_state(body);
  auto lock = state.lock();
  Json* job = state.collection(collections::kBackgroundJobs).find(call.param("id"));
  if (!job) not_found("background job", call.param("id"));
  if (const Json* v = body.find("status")) job->set("status", *v);
  if (const Json* v = body.find("progress")) job->set("progress", *v);
  if (const Json* v = body.find("error")) (*job)["data"].set("error", *v);
  const Json* after = body.find("finish_after_polls");
  const Json* outcome = body.find("outcome");
  std::string id = job->at("id").as_string();
  state.collection(kJobPlans).put(id, Json::object({{"id", id},
                                                    {"finish_after_polls", after ? *after : Json(nullptr)},
                                                    {"outcome", outcome ? *outcome : Json("success")}}));
  touch(state, *job);
  return Reply::json(*job);
}

}  // namespace

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
  Collection& plans = state.collection(kJobPlans);
  if (Json* plan = plans.find(job.at("id").as_string())) {
    follow_plan(state, job, plans, *plan);
    return job;
  }
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
  touch(state, job);
  return job;
}

void fail_background_job(State& state, Json& job, std::string_view reason) {
  job.set("status", "failed");
  job["data"].set("error", reason);
  touch(state, job);
}

void register_background_job_admin_routes(AdminRouter& admin) {
  admin.on("POST", "/jobs/{id}/state", set_job_state);
}

}  // namespace instantly::mock
