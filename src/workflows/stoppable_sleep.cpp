// Why the system clock is special-cased: Clock::sleep_until cannot be
// interrupted, and a poller (or the unibox) waiting 30 s must end as soon as its stop_token
// fires (Ctrl-C in Python, a shutdown in a service). condition_variable_any
// waits on the same steady clock and wakes on the stop request.
#include <condition_variable>
#include <mutex>

#include "workflows/stoppable_sleep.hpp"

namespace instantly::workflows::detail {

bool sleep_unless_stopped(Clock& clock, Clock::time_point wake, const std::stop_token& stop) {
  if (stop.stop_requested()) return false;
  if (&clock == system_clock().get()) {
    std::mutex mutex;
    std::condition_variable_any woken;
    std::unique_lock lock(mutex);
    // Nothing ever notifies: the wait ends at `wake` or on the stop request.
    woken.wait_until(lock, stop, wake, [] { return false; });
  } else {
    clock.sleep_until(wake);
  }
  return !stop.stop_requested();
}

}  // namespace instantly::workflows::detail
