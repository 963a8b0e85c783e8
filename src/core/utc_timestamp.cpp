#include "core/utc_timestamp.hpp"

#include <cstdio>
#include <ctime>

namespace instantly::detail {

std::string utc_timestamp_millis(std::chrono::system_clock::time_point moment) {
  using namespace std::chrono;
  const std::time_t seconds = system_clock::to_time_t(moment);
  const auto millis = duration_cast<milliseconds>(moment.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];  // room for any year the compiler can imagine, not only ours
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

}  // namespace instantly::detail
