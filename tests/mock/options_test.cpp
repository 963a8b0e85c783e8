// The command line (CLI11) and the fault-rate syntax.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "mock_options.hpp"

using instantly::mock::CommandLine;
using instantly::mock::parse_command_line;
using instantly::mock::parse_fault_rates;

namespace {

CommandLine parse(std::vector<const char*> args) {
  args.insert(args.begin(), "instantly-mock");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST_SUITE("mock options") {
  TEST_CASE("every option reaches MockOptions") {
    auto line = parse({"--host", "0.0.0.0", "--port", "0", "--api-key", "a", "--api-key", "b", "--latency-ms",
                       "25:10", "--faults", "429=0.1,drop=0.05", "--seed", "9", "--no-rate-limit", "--state",
                       "s.json", "--webhook-retry-delays", "10,20,30", "--threads", "4", "--verbose"});
    const auto& o = line.options;
    CHECK(o.host == "0.0.0.0");
    CHECK(o.port == 0);
    CHECK(o.api_keys == std::vector<std::string>{"a", "b"});
    CHECK(o.latency_ms == 25);
    CHECK(o.latency_jitter_ms == 10);
    CHECK(o.faults.rate_limited == doctest::Approx(0.1));
    CHECK(o.faults.drop_connection == doctest::Approx(0.05));
    CHECK(o.seed == 9);
    CHECK_FALSE(o.rate_limit);
    CHECK(o.state_file == "s.json");
    CHECK(o.webhook_retry_delays_ms == std::vector<int>{10, 20, 30});
    CHECK(o.threads == 4);
    CHECK(o.verbose);
  }

  TEST_CASE("defaults: port 4010, rate limits on, three webhook retries within 30 s") {
    auto o = parse({}).options;
    CHECK(o.port == 4010);
    CHECK(o.rate_limit);
    CHECK(o.api_keys.empty());
    CHECK(o.webhook_retry_delays_ms == std::vector<int>{2000, 8000, 20000});
  }

  TEST_CASE("bad input is rejected with a message naming it") {
    CHECK_THROWS_WITH_AS(parse({"--port", "70000"}), doctest::Contains("--port"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse({"--latency-ms", "fast"}), doctest::Contains("--latency-ms"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse({"--bogus"}), doctest::Contains("--bogus"), std::invalid_argument);
    CHECK(parse({"--help"}).show_help);
  }

  TEST_CASE("fault rates: kinds, the 5xx shorthand, bounds") {
    auto rates = parse_fault_rates("5xx=0.3,truncate=0.1");
    CHECK(rates.server_error == doctest::Approx(0.1));
    CHECK(rates.bad_gateway == doctest::Approx(0.1));
    CHECK(rates.unavailable == doctest::Approx(0.1));
    CHECK(rates.truncate_body == doctest::Approx(0.1));
    CHECK_THROWS_WITH_AS(parse_fault_rates("429=2"), doctest::Contains("from 0 to 1"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_fault_rates("429=0.6,500=0.6"), doctest::Contains("more than 1"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_fault_rates("429"), doctest::Contains("KIND=RATE"), std::invalid_argument);
  }
}
