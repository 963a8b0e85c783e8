// The one way workflows wait (pollers between polls, the unibox on a 429):
// through the client's Clock, and cut short by a stop request.
#pragma once

#include <stop_token>

#include "instantly/options.hpp"

namespace instantly::workflows::detail {

/// Sleeps until `wake` through `clock`; false when `stop` was requested before
/// or during the sleep. On the process's system clock the stop ends the sleep
/// at once; another Clock is asked to sleep_until(wake) and the stop is seen after.
bool sleep_unless_stopped(Clock& clock, Clock::time_point wake, const std::stop_token& stop);

}  // namespace instantly::workflows::detail
