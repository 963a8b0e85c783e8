// Background jobs (`GET /background-jobs/{id}`), started by leads/move and
// warmup enable/disable.
//
// The work itself is applied when the job starts (the mock has no queue), but
// the job reports `pending` → `in-progress` → `success` over the polls that
// follow, so SDK pollers really poll: each read of a job advances it one step.
//
// Tests that need another course (a job that never finishes, one that fails,
// one that takes many polls) set it with POST /__mock/jobs/{id}/state:
//
//   {"status": "in-progress",       // the job's status from now on (any text: "error", "completed", ...)
//    "progress": 40,                // 0..100
//    "error": "quota exceeded",     // kept under data.error
//    "finish_after_polls": 3,       // the 3rd read from now answers `outcome`; without it the job holds still
//    "outcome": "success"}          // default "success" (progress becomes 100 for success/completed)
//
// All members are optional; unknown ones are a 400. The answer is the job.
#pragma once

#include <string>
#include <string_view>

#include "instantly/json.hpp"
#include "router.hpp"
#include "state.hpp"

namespace instantly::mock {

/// Creates a job record and returns it. `type` is the API's job type
/// ("move-leads", "update-warmup-accounts", ...); `entity_type` "campaign", "list" or "workspace".
Json& start_background_job(State& state, std::string_view type, std::string_view entity_type,
                           std::string_view entity_id, Json data);

/// Advances a job by one poll and returns it (the caller copies it into the reply).
Json& poll_background_job(State& state, Json& job);

/// Marks a job failed with a reason (kept under data.error).
void fail_background_job(State& state, Json& job, std::string_view reason);

/// POST /__mock/jobs/{id}/state (see above).
void register_background_job_admin_routes(AdminRouter& admin);

}  // namespace instantly::mock
