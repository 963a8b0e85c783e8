// wait_for_background_job: GET /api/v2/background-jobs/{id} on the shared schedule.
#include <array>
#include <string>
#include <string_view>

#include "instantly/resources/background_jobs.hpp"
#include "instantly/workflows/pollers.hpp"
#include "workflows/poll_loop.hpp"

namespace instantly::workflows {

bool is_terminal_job_status(std::string_view status) noexcept {
  // The schema lists success, failed and cancelled; the API is also known to
  // report completed and error, which end a job just the same.
  static constexpr std::array<std::string_view, 5> kTerminal = {"success", "completed", "failed", "error",
                                                                "cancelled"};
  for (std::string_view terminal : kTerminal) {
    if (status == terminal) return true;
  }
  return false;
}

bool job_finished(const BackgroundJob& job) noexcept { return is_terminal_job_status(job.status.value()); }

bool job_succeeded(const BackgroundJob& job) noexcept {
  return job.status.value() == "success" || job.status.value() == "completed";
}

BackgroundJob wait_for_background_job(const Client& client, std::string_view job_id,
                                      const BackgroundJobPollOptions& options) {
  const detail::PollSchedule schedule = detail::schedule_of(options);
  detail::validate_schedule(schedule, "wait_for_background_job");
  if (job_id.empty()) throw ValidationError("wait_for_background_job: job_id must not be empty");

  const BackgroundJobs jobs = client.background_jobs();
  BackgroundJob job;
  detail::run_polls(detail::clock_of(client), schedule, "background job " + std::string(job_id),
                    [&](std::string& status, const RequestOptions& request) {
                      job = jobs.get(job_id, {}, request);
                      status = job.status.value();
                      if (options.on_update) options.on_update(job);
                      return job_finished(job);
                    });
  return job;
}

}  // namespace instantly::workflows
