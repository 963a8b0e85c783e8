// "2026-12-07T00:00:00.123Z": a moment as ISO 8601 in UTC with milliseconds,
// the form of the log lines' timestamps and the webhook spool's arrival times.
#pragma once

#include <chrono>
#include <string>

namespace instantly::detail {

std::string utc_timestamp_millis(std::chrono::system_clock::time_point moment);

}  // namespace instantly::detail
