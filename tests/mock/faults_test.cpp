// Injected faults over real HTTP, and their repeatability under a seed.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;

namespace {

MockFixture with_faults(const std::string& spec, std::uint64_t seed = 1) {
  auto options = instantly::mock::testing::test_options();
  options.faults = instantly::mock::parse_fault_rates(spec);
  options.seed = seed;
  return MockFixture(options);
}

}  // namespace

TEST_SUITE("mock faults") {
  TEST_CASE("429 faults carry Retry-After, 500 and 503 use the envelope, 502 is a proxy's HTML") {
    {
      MockFixture mock = with_faults("429=1");
      auto r = mock.get("/api/v2/campaigns");
      CHECK(r.status == 429);
      CHECK(r.header("Retry-After") == "1");
    }
    {
      MockFixture mock = with_faults("500=1");
      auto r = mock.get("/api/v2/campaigns");
      CHECK(r.status == 500);
      CHECK(r.json.at("statusCode").as_int() == 500);
    }
    {
      MockFixture mock = with_faults("503=1");
      CHECK(mock.get("/api/v2/campaigns").status == 503);
    }
    {
      MockFixture mock = with_faults("502=1");
      auto r = mock.get("/api/v2/campaigns");
      CHECK(r.status == 502);
      CHECK(r.header("Content-Type").find("text/html") != std::string::npos);
    }
  }

  TEST_CASE("a dropped connection gives the client no response at all") {
    MockFixture mock = with_faults("drop=1");
    auto r = mock.get("/api/v2/campaigns");
    CHECK(r.status == 0);
  }

  TEST_CASE("a truncated body is shorter than its Content-Length") {
    MockFixture mock = with_faults("truncate=1");
    httplib::Client raw("127.0.0.1", mock.port());
    auto result = raw.Get("/api/v2/campaigns", MockFixture::auth_headers());
    // cpp-httplib reports the short read as an error rather than a response.
    CHECK_FALSE(result);
  }

  TEST_CASE("the same seed fails the same requests, faults can be changed at run time") {
    auto statuses = [](std::uint64_t seed) {
      MockFixture mock = with_faults("429=0.3,500=0.3", seed);
      std::vector<int> seen;
      for (int i = 0; i < 40; ++i) seen.push_back(mock.get("/api/v2/campaigns").status);
      return seen;
    };
    auto first = statuses(7);
    CHECK(first == statuses(7));
    CHECK(first != statuses(8));
    CHECK(std::count(first.begin(), first.end(), 200) > 0);
    CHECK(std::count(first.begin(), first.end(), 200) < 40);

    MockFixture mock;
    CHECK(mock.get("/api/v2/campaigns").status == 200);
    CHECK(mock.admin("POST", "/faults", Json::object({{"500", 1.0}})).status == 200);
    CHECK(mock.get("/api/v2/campaigns").status == 500);
    CHECK(mock.admin("POST", "/faults", Json::object()).status == 200);
    CHECK(mock.get("/api/v2/campaigns").status == 200);
  }
}
