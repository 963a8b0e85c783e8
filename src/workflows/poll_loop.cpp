#include "workflows/poll_loop.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "instantly/error.hpp"

namespace instantly::workflows::detail {
namespace {

using std::chrono::milliseconds;

// Beyond this a timeout cannot be added to a steady time_point (nanoseconds)
// without overflowing; it means "no deadline" in practice anyway.
constexpr milliseconds kLongestDeadline = std::chrono::hours(24 * 365 * 100);

std::string seconds_text(Clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

std::string polls_text(int polls) { return std::to_string(polls) + (polls == 1 ? " poll" : " polls"); }

std::string status_text(const std::string& status) {
  return status.empty() ? "no status yet" : "status '" + status + "'";
}

}  // namespace

void validate_schedule(const PollSchedule& schedule, std::string_view what) {
  const std::string name(what);
  if (schedule.timeout && schedule.timeout->count() <= 0) {
    throw ValidationError(name + ": timeout must be positive (or empty to wait without one)");
  }
  if (schedule.initial_interval.count() <= 0) {
    throw ValidationError(name + ": initial_interval must be positive");
  }
  if (schedule.max_interval < schedule.initial_interval) {
    throw ValidationError(name + ": max_interval must be at least initial_interval");
  }
  if (!std::isfinite(schedule.multiplier) || schedule.multiplier < 1.0) {
    throw ValidationError(name + ": multiplier must be a finite number of at least 1");
  }
}

milliseconds next_interval(milliseconds previous, double multiplier, milliseconds max) noexcept {
  // In double first: the product of a long interval and a multiplier may not fit the integer.
  const double grown = static_cast<double>(previous.count()) * multiplier;
  if (!(grown < static_cast<double>(max.count()))) return max;
  return milliseconds(static_cast<milliseconds::rep>(std::llround(grown)));
}

void run_polls(Clock& clock, const PollSchedule& schedule, std::string_view subject, const PollOnce& poll) {
  const Clock::time_point start = clock.now();
  std::optional<Clock::time_point> deadline;
  if (schedule.timeout && *schedule.timeout < kLongestDeadline) deadline = start + *schedule.timeout;

  milliseconds interval = schedule.initial_interval;
  std::string status;
  int polls = 0;
  const auto cancelled = [&] {
    return PollCancelledError(std::string(subject) + ": cancelled after " + polls_text(polls) + " (" +
                                  status_text(status) + ")",
                              status, polls);
  };
  const RequestOptions request{.stop = schedule.stop};
  for (;;) {
    if (schedule.stop.stop_requested()) throw cancelled();
    ++polls;
    try {
      if (poll(status, request)) return;
    } catch (const CancelledError&) {
      throw cancelled();
    }
    const Clock::time_point now = clock.now();
    if (deadline && now >= *deadline) {
      throw PollTimeoutError(std::string(subject) + ": not finished after " + seconds_text(now - start) + " and " +
                                 polls_text(polls) + " (" + status_text(status) + ")",
                             status, polls);
    }
    Clock::time_point wake = now + interval;
    if (deadline && wake > *deadline) wake = *deadline;
    if (!clock.wait_until(wake, schedule.stop)) throw cancelled();
    interval = next_interval(interval, schedule.multiplier, schedule.max_interval);
  }
}

}  // namespace instantly::workflows::detail
