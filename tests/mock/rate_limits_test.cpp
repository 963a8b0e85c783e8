// The API's rate limits as the mock enforces them: the windows on a fixed
// clock, then the whole path over HTTP.
#include <doctest/doctest.h>

#include <chrono>

#include "mock_fixture.hpp"
#include "rate_limits.hpp"

using instantly::mock::RateLimits;
using instantly::mock::testing::MockFixture;
using namespace std::chrono_literals;

namespace {

int admitted(RateLimits& limits, const std::string& bucket, int calls, RateLimits::Clock::time_point at,
             const char* path = "/api/v2/campaigns", const char* method = "GET") {
  int ok = 0;
  for (int i = 0; i < calls; ++i) ok += limits.admit(bucket, method, path, at) ? 0 : 1;
  return ok;
}

}  // namespace

TEST_SUITE("mock rate limits") {
  TEST_CASE("100 per second, then 429 with the wait until a slot frees") {
    RateLimits limits(true);
    auto t0 = RateLimits::Clock::time_point{} + 1h;
    CHECK(admitted(limits, "key", 100, t0) == 100);
    auto wait = limits.admit("key", "GET", "/api/v2/campaigns", t0 + 500ms);
    REQUIRE(wait.has_value());
    CHECK(*wait == 1);
    CHECK_FALSE(limits.admit("key", "GET", "/api/v2/campaigns", t0 + 1001ms).has_value());
  }

  TEST_CASE("6,000 per minute even when every second stays under 100") {
    RateLimits limits(true);
    auto t0 = RateLimits::Clock::time_point{} + 1h;
    for (int second = 0; second < 60; ++second) {
      CHECK(admitted(limits, "key", 100, t0 + std::chrono::seconds(second)) == 100);
    }
    auto wait = limits.admit("key", "GET", "/api/v2/campaigns", t0 + 59500ms);
    REQUIRE(wait.has_value());
    CHECK(*wait >= 1);
    // The first second's calls leave the minute window at t0 + 60 s.
    CHECK_FALSE(limits.admit("key", "GET", "/api/v2/campaigns", t0 + 60001ms).has_value());
  }

  TEST_CASE("GET /emails allows 20 per minute, other endpoints are unaffected") {
    RateLimits limits(true);
    auto t0 = RateLimits::Clock::time_point{} + 1h;
    CHECK(admitted(limits, "key", 25, t0, "/api/v2/emails") == 20);
    CHECK(admitted(limits, "key", 5, t0 + 10s, "/api/v2/emails/{id}") == 5);
    CHECK(admitted(limits, "key", 1, t0 + 61s, "/api/v2/emails") == 1);
  }

  TEST_CASE("buckets are per key, rejected calls do not count, and disabled means unlimited") {
    RateLimits limits(true);
    auto t0 = RateLimits::Clock::time_point{} + 1h;
    CHECK(admitted(limits, "a", 150, t0) == 100);
    CHECK(admitted(limits, "b", 100, t0) == 100);
    CHECK(admitted(limits, "a", 100, t0 + 1001ms) == 100);
    limits.set_enabled(false);
    CHECK(admitted(limits, "a", 500, t0 + 1002ms) == 500);
  }

  TEST_CASE("over HTTP: the 21st GET /emails in a minute is 429 with Retry-After, in the error envelope") {
    auto options = instantly::mock::testing::test_options();
    options.rate_limit = true;
    MockFixture mock(options);
    for (int i = 0; i < 20; ++i) REQUIRE(mock.get("/api/v2/emails?limit=1").status == 200);
    auto limited = mock.get("/api/v2/emails?limit=1");
    CHECK(limited.status == 429);
    CHECK(limited.json.at("statusCode").as_int() == 429);
    CHECK(std::stoi(limited.header("Retry-After")) >= 1);
    // Another key is another bucket.
    CHECK(mock.get("/api/v2/emails?limit=1", MockFixture::auth_headers("other-key")).status == 200);
  }
}
