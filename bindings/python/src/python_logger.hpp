// The core's log lines as records of the Python logger `instantly`, so that
// Python programs see retries, waits and failures through the standard
// `logging` module (caplog, handlers, levels) instead of a second channel.
#pragma once

#include <memory>

#include "instantly/log.hpp"

namespace instantly_python {

/// The process's one logger for `instantly.Client` cores. The core's events
/// fire on C++ threads with the GIL released; which levels Python wants is
/// cached, so an event Python would drop costs no GIL at all. The cache is
/// read again at most once a second, and by `refresh_python_log_level`.
std::shared_ptr<instantly::Logger> python_logger();

/// Reads which levels `logging.getLogger("instantly")` wants now. Called with
/// the GIL held, when a Client is built, so that a level set before it counts at once.
void refresh_python_log_level();

}  // namespace instantly_python
