// The retry rules of DESIGN.md, table-driven like the Stainless SDK suites:
// each row scripts the transport, and checks attempts, waits and the outcome.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/retry_policy.hpp"
#include "instantly/client.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

using namespace std::chrono_literals;
using instantly::ApiConnectionError;
using instantly::HttpResponse;
using instantly::testing::ConnectionFailure;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using Stage = instantly::ApiConnectionError::Stage;

namespace {

const std::string kOk = R"({"id":"c1"})";

HttpResponse with_retry_after(int status, std::string value) {
  return json_response(status, R"({"statusCode":429,"error":"Too Many Requests","message":"slow down"})",
                       {{"Retry-After", std::move(value)}});
}

struct Run {
  std::vector<std::chrono::milliseconds> waits;  // each retry wait, in order
  int attempts = 0;
  std::string error_type;  // "" on success
  std::string what;
};

Run run(std::vector<FakeTransport::Step> script, std::string method = "GET",
        instantly::RequestOptions call = {}, instantly::RetryPolicy policy = {},
        double jitter = 0.0) {
  auto clock = std::make_shared<FakeClock>();
  auto transport = std::make_shared<FakeTransport>(std::move(script));
  policy.jitter = [jitter] { return jitter; };
  instantly::Client client({.api_key = "sk_test_secret",
                            .base_url = "http://127.0.0.1:1",
                            .retry = policy,
                            .rate_limit = {.enabled = false},
                            .transport = transport,
                            .clock = clock});
  Run result;
  try {
    client.request(method, "/api/v2/campaigns", call);
  } catch (const instantly::RateLimitError& e) {
    result.error_type = "RateLimitError";
    result.what = e.what();
  } catch (const instantly::InternalServerError& e) {
    result.error_type = "InternalServerError";
    result.what = e.what();
    CHECK(e.attempts() == static_cast<int>(transport->request_count()));
  } catch (const instantly::ApiError& e) {
    result.error_type = "ApiError";
    result.what = e.what();
    CHECK(e.attempts() == static_cast<int>(transport->request_count()));
  } catch (const instantly::ApiTimeoutError& e) {
    result.error_type = "ApiTimeoutError";
    result.what = e.what();
  } catch (const instantly::ApiConnectionError& e) {
    result.error_type = "ApiConnectionError";
    result.what = e.what();
    CHECK(e.attempts() == static_cast<int>(transport->request_count()));
  }
  result.attempts = static_cast<int>(transport->request_count());
  auto previous = FakeClock::default_start();
  for (auto deadline : clock->sleeps()) {
    result.waits.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - previous));
    previous = deadline;
  }
  return result;
}

}  // namespace

TEST_CASE("Retry-After decides the wait when it is readable and at most 60 s") {
  struct Row {
    const char* name;
    std::string retry_after;  // "" = header absent
    std::chrono::milliseconds expected_wait;
  };
  // The fake wall clock starts at 2025-01-01T00:00:00Z.
  const std::vector<Row> rows = {
      {"seconds", "1", 1000ms},
      {"fractional seconds", "0.25", 250ms},
      {"HTTP date 3 s ahead", "Wed, 01 Jan 2025 00:00:03 GMT", 3000ms},
      {"HTTP date in the past", "Tue, 31 Dec 2024 23:59:00 GMT", 0ms},
      {"61 s is too long: backoff instead", "61", 500ms},
      {"garbage: backoff instead", "soon-ish", 500ms},
      {"negative: backoff instead", "-5", 500ms},
      {"absent: backoff", "", 500ms},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const HttpResponse limited =
        row.retry_after.empty() ? json_response(429, "{}") : with_retry_after(429, row.retry_after);
    Run r = run({limited, json_response(200, kOk)});
    CHECK(r.error_type == "");
    CHECK(r.attempts == 2);
    REQUIRE(r.waits.size() == 1);
    CHECK(r.waits[0] == row.expected_wait);
  }
}

TEST_CASE("which failures are retried, for which methods") {
  struct Row {
    const char* name;
    std::vector<FakeTransport::Step> script;
    std::string method;
    int expected_attempts;
    std::string expected_error;  // "" = success
  };
  const auto ok = json_response(200, kOk);
  const auto e500 = json_response(500, R"({"statusCode":500,"error":"Internal Server Error","message":"boom"})");
  const std::vector<Row> rows = {
      {"GET 500 then 200", {e500, ok}, "GET", 2, ""},
      {"GET 502, 503 then 200", {json_response(502, "{}"), json_response(503, "{}"), ok}, "GET", 3, ""},
      {"GET 408 then 200", {json_response(408, "{}"), ok}, "GET", 2, ""},
      {"DELETE 500 then 200", {e500, ok}, "DELETE", 2, ""},
      {"GET connection refused then 200", {ConnectionFailure{Stage::Connect}, ok}, "GET", 2, ""},
      {"POST connection refused then 200", {ConnectionFailure{Stage::Connect}, ok}, "POST", 2, ""},
      {"POST DNS failure then 200", {ConnectionFailure{Stage::Resolve}, ok}, "POST", 2, ""},
      {"POST connect timeout then 200", {ConnectionFailure{Stage::Connect, true}, ok}, "POST", 2, ""},
      {"POST 429 then 200", {json_response(429, "{}"), ok}, "POST", 2, ""},
      {"PATCH 429 then 200", {json_response(429, "{}"), ok}, "PATCH", 2, ""},
      {"POST 500 is not retried", {e500, ok}, "POST", 1, "InternalServerError"},
      {"PATCH 503 is not retried", {json_response(503, "{}"), ok}, "PATCH", 1, "InternalServerError"},
      {"POST read timeout is not retried", {ConnectionFailure{Stage::Timeout, true}, ok}, "POST", 1, "ApiTimeoutError"},
      {"POST dropped mid-transfer is not retried", {ConnectionFailure{Stage::Transfer}, ok}, "POST", 1, "ApiConnectionError"},
      {"GET read timeout then 200", {ConnectionFailure{Stage::Timeout, true}, ok}, "GET", 2, ""},
      {"GET 500 three times: exhausted", {e500}, "GET", 3, "InternalServerError"},
      {"GET 429 three times: exhausted", {json_response(429, "{}")}, "GET", 3, "RateLimitError"},
      {"GET connection refused three times", {ConnectionFailure{Stage::Connect}}, "GET", 3, "ApiConnectionError"},
      {"GET 400 is final", {json_response(400, "{}"), ok}, "GET", 1, "ApiError"},
      {"GET 401 is final", {json_response(401, "{}"), ok}, "GET", 1, "ApiError"},
      {"GET 402 is final", {json_response(402, "{}"), ok}, "GET", 1, "ApiError"},
      {"GET 404 is final", {json_response(404, "{}"), ok}, "GET", 1, "ApiError"},
      {"GET 200 error body is final", {json_response(200, R"({"error":"ACC_AUTH_ERROR"})"), ok}, "GET", 1, "ApiError"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    Run r = run(row.script, row.method);
    CHECK(r.attempts == row.expected_attempts);
    CHECK(r.error_type == row.expected_error);
  }
}

TEST_CASE("a per-call idempotent flag makes a POST retryable after a 500") {
  const auto e500 = json_response(500, "{}");
  Run r = run({e500, json_response(200, kOk)}, "POST", {.idempotent = true});
  CHECK(r.attempts == 2);
  CHECK(r.error_type == "");
}

TEST_CASE("the final error says how many attempts were made and why it stopped") {
  SUBCASE("exhausted") {
    Run r = run({json_response(503, "{}")}, "GET");
    CHECK(r.what.find("after 3 attempts") != std::string::npos);
    CHECK(r.what.find("retries exhausted") != std::string::npos);
    CHECK(r.what.find("GET /api/v2/campaigns") != std::string::npos);
  }
  SUBCASE("unsafe to repeat") {
    Run r = run({json_response(500, "{}")}, "POST");
    CHECK(r.what.find("after 1 attempt") != std::string::npos);
    CHECK(r.what.find("not idempotent") != std::string::npos);
  }
  SUBCASE("connection failures too") {
    Run r = run({ConnectionFailure{Stage::Connect}}, "GET");
    CHECK(r.what.find("after 3 attempts; retries exhausted") != std::string::npos);
  }
}

TEST_CASE("backoff doubles from 0.5 s and is capped at 8 s") {
  instantly::RetryPolicy policy;
  policy.max_retries = 6;
  Run r = run({json_response(503, "{}")}, "GET", {}, policy);
  CHECK(r.attempts == 7);
  CHECK(r.waits == std::vector<std::chrono::milliseconds>{500ms, 1000ms, 2000ms, 4000ms, 8000ms, 8000ms});
}

TEST_CASE("jitter shortens each wait by up to a quarter") {
  Run r = run({json_response(503, "{}"), json_response(200, kOk)}, "GET", {}, {}, 0.5);
  REQUIRE(r.waits.size() == 1);
  CHECK(r.waits[0] == 438ms);  // 500 × (1 − 0.25 × 0.5), rounded
}

TEST_CASE("max_retries = 0 disables retrying, per client and per call") {
  instantly::RetryPolicy none;
  none.max_retries = 0;
  CHECK(run({json_response(503, "{}")}, "GET", {}, none).attempts == 1);
  CHECK(run({json_response(503, "{}")}, "GET", {.max_retries = 0}).attempts == 1);
  CHECK(run({json_response(503, "{}")}, "GET", {.max_retries = 4}).attempts == 5);
}

TEST_CASE("a RateLimitError carries the server's Retry-After") {
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{with_retry_after(429, "7")});
  instantly::Client client({.api_key = "k", .base_url = "http://127.0.0.1:1",
                            .retry = {.max_retries = 0}, .rate_limit = {.enabled = false},
                            .transport = transport, .clock = std::make_shared<FakeClock>()});
  try {
    client.request("GET", "/api/v2/campaigns");
    FAIL("expected RateLimitError");
  } catch (const instantly::RateLimitError& e) {
    REQUIRE(e.retry_after().has_value());
    CHECK(*e.retry_after() == 7000ms);
    CHECK(e.message() == "slow down");
  }
}

TEST_CASE("parse_retry_after reads the three HTTP date forms") {
  using instantly::detail::parse_retry_after;
  const auto now = std::chrono::sys_days{std::chrono::year{1994} / std::chrono::November / 6} + 8h + 49min + 30s;
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 7000ms);
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == 7000ms);
  CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", now) == 7000ms);
  CHECK(parse_retry_after("  12  ", now) == 12000ms);
  CHECK_FALSE(parse_retry_after("", now).has_value());
  CHECK_FALSE(parse_retry_after("12abc", now).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994", now).has_value());
}
