// The loop every poller shares: poll, wait with backoff, poll again, until the
// caller's poll says finished, the deadline passes or the stop is requested.
// Type-erased so that each poller only writes its own fetch and status test.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "instantly/client.hpp"
#include "instantly/options.hpp"
#include "instantly/workflows/pollers.hpp"
#include "workflows/client_clock.hpp"

namespace instantly::workflows::detail {

/// PollOptions without the snapshot type.
struct PollSchedule {
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds initial_interval;
  std::chrono::milliseconds max_interval;
  double multiplier;
  std::stop_token stop;
};

template <class Snapshot>
PollSchedule schedule_of(const PollOptions<Snapshot>& options) {
  return {options.timeout, options.initial_interval, options.max_interval, options.multiplier, options.stop};
}

/// Throws ValidationError naming `what` ("wait_for_background_job") for a
/// schedule that could never work: a non-positive timeout or interval, a cap
/// below the first interval, a multiplier below 1 or not finite.
void validate_schedule(const PollSchedule& schedule, std::string_view what);

/// One poll: reads the current state with `request` (it carries the stop
/// token, so a stop also ends a poll in flight), stores its status text in
/// `status` and returns whether it is final.
using PollOnce = std::function<bool(std::string& status, const RequestOptions& request)>;

/// Runs `poll` on the schedule (validated first). `subject` names what is
/// awaited in error messages ("background job 0199...").
/// Throws PollTimeoutError / PollCancelledError, or whatever `poll` throws.
void run_polls(Clock& clock, const PollSchedule& schedule, std::string_view subject, const PollOnce& poll);

/// The wait after `previous`: previous * multiplier, capped at `max`.
std::chrono::milliseconds next_interval(std::chrono::milliseconds previous, double multiplier,
                                        std::chrono::milliseconds max) noexcept;

}  // namespace instantly::workflows::detail
