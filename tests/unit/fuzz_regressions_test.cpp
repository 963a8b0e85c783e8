// Inputs the fuzz targets (fuzz/, docs/fuzzing.md) once crashed on, fed
// through the same entry points. Each input is also a file under
// fuzz/regressions/<target>/, which scripts/fuzz replays before fuzzing.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/retry_policy.hpp"
#include "instantly/json.hpp"

using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1'700'000'000)};

}  // namespace

// fuzz/regressions/retry_after/http-date-year-94-overflows-clock.txt: strptime reads
// "Nov94" as November of the year 94, whose time_t overflowed system_clock's nanoseconds
// (signed overflow, UBSan). A date before 1970 is in the past: no wait.
TEST_CASE("fuzz regression: a Retry-After date in the year 94 means no wait") {
  const auto wait = instantly::detail::parse_retry_after("Sun, 06 Nov94 08:49:37 GMT", kNow);
  REQUIRE(wait.has_value());
  CHECK(*wait == 0ms);
}

// fuzz/regressions/retry_after/http-date-year-9999-overflows-clock.txt: the same overflow
// the other way (system_clock ends in 2262). Far in the future stays a long wait, never
// a negative one; the retry policy's max_retry_after decides whether to honour it.
TEST_CASE("fuzz regression: a Retry-After date in the year 9999 is a long wait, not an overflow") {
  const auto wait = instantly::detail::parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kNow);
  REQUIRE(wait.has_value());
  CHECK(*wait > std::chrono::hours(24 * 365 * 100));
}

// fuzz/regressions/json_parse/rapidjson-stack-null-offset.json: RapidJSON 1.1.0's writer
// stack does arithmetic on a null pointer before its first allocation (third-party UB,
// excluded from the fuzz build's UBSan by fuzz/ubsan_ignorelist.txt). Writing still works.
TEST_CASE("fuzz regression: the first JSON text written round-trips") {
  const auto value = instantly::Json::parse(R"({"a":[1,"x"]})");
  CHECK(value.dump() == R"({"a":[1,"x"]})");
  CHECK(instantly::Json::parse(value.dump()) == value);
}
