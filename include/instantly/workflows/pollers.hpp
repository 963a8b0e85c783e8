// Waiting for work the API finishes in the background: background jobs
// (`leads/move`, warmup enable/disable, imports, ...) and single email
// verifications.
//
//   instantly::BackgroundJob job = client.leads().move({...});
//   job = instantly::workflows::wait_for_background_job(client, job.id, {.timeout = std::chrono::minutes(5)});
//   if (!instantly::workflows::job_succeeded(job)) { /* failed or cancelled: inspect job.data */ }
//
//   instantly::EmailVerification v = instantly::workflows::verify_email(client, "jane@example.com");
//   v.verification_status == instantly::EmailVerificationStatusValue::Verified
//
// Polling: one GET right away, then one after each wait; the waits start at
// `initial_interval` and grow by `multiplier` up to `max_interval`
// (1 s, 2 s, 4 s, ... 30 s by default). The last wait is cut short at the
// deadline so the final poll happens exactly when the timeout runs out. Every
// poll is an ordinary call through the client: rate limited, and retried on
// 429/5xx/connection failures as the client's RetryPolicy says.
//
// Waiting goes through the client's Clock (ClientOptions::clock), so tests
// with a fake clock never really sleep. `stop` reaches every wait and every
// poll's request: on the real clock a wait (the poller's, the rate limiter's,
// a retry's backoff) ends as soon as `stop` is triggered, and a poll in flight
// is abandoned; a custom Clock's Clock::wait_until decides how its waits see it.
//
// Final states are returned, not thrown: a failed or cancelled job is a
// result the caller inspects (`job_succeeded`). What throws:
//   ValidationError     bad options or an empty id / address, before any call
//   PollTimeoutError    the timeout ran out (last_status(): what the last poll saw)
//   PollCancelledError  `stop` was triggered (also before the first poll)
//   ApiError, ApiConnectionError, DecodeError from a poll, unchanged (a 404
//                       for an unknown job id, a 401, retries exhausted, ...)
//   whatever `on_update` throws, unchanged (it ends the wait)
//
// Thread-safety: the functions keep no state between calls; any number may
// run at once on one Client. `on_update` runs on the calling thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string_view>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/models/background_job.hpp"
#include "instantly/models/email_verification.hpp"

namespace instantly::workflows {

/// How long and how often a poller asks. `Snapshot` is what each poll reads.
template <class Snapshot>
struct PollOptions {
  /// Give up (PollTimeoutError) after this long; nothing = wait until finished or stopped.
  std::optional<std::chrono::milliseconds> timeout{std::chrono::minutes(10)};
  /// The first wait, between the first and second poll. Must be positive.
  std::chrono::milliseconds initial_interval{1'000};
  /// Waits never grow beyond this. Must be at least `initial_interval`.
  std::chrono::milliseconds max_interval{30'000};
  /// Each wait is the previous one times this (at least 1; 1 = a fixed interval).
  double multiplier = 2.0;
  /// Triggering it ends the wait with PollCancelledError.
  std::stop_token stop;
  /// Called with every snapshot read, the final one included, on the calling thread.
  std::function<void(const Snapshot&)> on_update;
};

using BackgroundJobPollOptions = PollOptions<BackgroundJob>;
using EmailVerificationPollOptions = PollOptions<EmailVerification>;

// ---------------------------------------------------------------- background jobs

/// Whether a job status is final: `success`, `failed` and `cancelled` from the
/// API's schema, plus `completed` and `error`, which the API also reports.
/// Everything else (`pending`, `in-progress`, `paused`, `draining`, values not
/// known yet) means the job may still change.
bool is_terminal_job_status(std::string_view status) noexcept;
/// is_terminal_job_status(job.status).
bool job_finished(const BackgroundJob& job) noexcept;
/// The job finished well: status `success` or `completed`.
bool job_succeeded(const BackgroundJob& job) noexcept;

/// Polls `GET /api/v2/background-jobs/{job_id}` until the job is finished and
/// returns it (successful or not; see job_succeeded). Throws as the header says.
BackgroundJob wait_for_background_job(const Client& client, std::string_view job_id,
                                      const BackgroundJobPollOptions& options = {});

// ---------------------------------------------------------------- email verification

/// Whether a verification has a result: its verification_status is no longer
/// `pending` (`verified`, `invalid`, or a value not known yet). `catch_all`
/// may still be "pending" for a finished verification.
bool verification_finished(const EmailVerification& verification) noexcept;

/// Starts a verification (`POST /api/v2/email-verification`) and, while it is
/// pending, polls `GET /api/v2/email-verification/{email}` until it has a
/// result, which it returns. One call when the API answers at once. Throws as
/// the header says; ValidationError for an address without '@'.
EmailVerification verify_email(const Client& client, std::string_view email,
                               const EmailVerificationPollOptions& options = {});

/// Only the polling half of verify_email, for a verification started elsewhere
/// (every poll is a GET).
EmailVerification wait_for_email_verification(const Client& client, std::string_view email,
                                              const EmailVerificationPollOptions& options = {});

}  // namespace instantly::workflows
