// Stopping a call through RequestOptions::stop, without a server: before it is
// sent, in a rate-limit wait, in a backoff, with its transfer in flight, and
// what a stop must never do (hide an answer that came, send anything more).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/rate_limiter.hpp"
#include "instantly/resources/campaigns.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"
#include "support/stop_after.hpp"

namespace {

using namespace std::chrono_literals;
using instantly::CancelledError;
using instantly::Client;
using instantly::ClientOptions;
using instantly::HttpRequest;
using instantly::HttpResponse;
using instantly::RequestOptions;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using instantly::testing::stop_after;

ClientOptions options_over(std::shared_ptr<instantly::Transport> transport) {
  ClientOptions options{.api_key = "unit-cancel-key", .base_url = "http://127.0.0.1:9"};
  options.transport = std::move(transport);
  options.rate_limit.enabled = false;
  options.retry.jitter = [] { return 0.0; };
  return options;
}

/// A transport whose transfer lasts until the request's stop token fires (or a
/// long time), as a slow server would; it abandons the transfer like CurlTransport.
class SlowTransport final : public instantly::Transport {
 public:
  HttpResponse send(const HttpRequest& request) override {
    ++sent;
    std::mutex mutex;
    std::condition_variable_any woken;
    std::unique_lock lock(mutex);
    woken.wait_for(lock, request.stop, 30s, [] { return false; });
    if (request.stop.stop_requested()) throw CancelledError("transfer abandoned: the call was stopped");
    return json_response(200, R"({"id":"late"})");
  }
  std::atomic<int> sent{0};
};

/// Counts what the core asks of a rate limiter.
class CountingLimiter final : public instantly::RateLimiter {
 public:
  bool acquire(const instantly::RateLimitRequest& request, const std::stop_token& stop) override {
    std::lock_guard lock(mutex_);
    asked.push_back(std::string(request.method) + " " + std::string(request.path));
    return !stop.stop_requested();
  }
  std::vector<std::string> asked;

 private:
  std::mutex mutex_;
};

}  // namespace

TEST_SUITE("cancellation") {
  TEST_CASE("a call stopped before it starts sends nothing") {
    auto transport = std::make_shared<FakeTransport>();
    Client client(options_over(transport));
    std::stop_source stop;
    stop.request_stop();
    try {
      client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()});
      FAIL("expected CancelledError");
    } catch (const CancelledError& e) {
      CHECK(e.attempts() == 0);
      CHECK_FALSE(e.abandoned_in_flight());
      CHECK(e.method() == "GET");
      CHECK(e.path() == "/api/v2/campaigns");
      CHECK(std::string(e.what()).find("unit-cancel-key") == std::string::npos);
    }
    CHECK(transport->request_count() == 0);
  }

  TEST_CASE("a stop during a backoff ends the wait at once and nothing more is sent") {
    // Every attempt fails with 503; eight retries 10 s apart would take minutes.
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        json_response(503, R"({"message":"busy"})")});
    ClientOptions options = options_over(transport);
    options.retry.max_retries = 8;
    options.retry.initial_backoff = 10s;
    Client client(options);
    std::stop_source stop;
    const auto started = std::chrono::steady_clock::now();
    {
      std::jthread stopper = stop_after(stop, 100ms);
      try {
        client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()});
        FAIL("expected CancelledError");
      } catch (const CancelledError& e) {
        CHECK(e.attempts() == 1);
        CHECK(std::string(e.what()).find("retry after HTTP 503") != std::string::npos);
      }
    }
    CHECK(std::chrono::steady_clock::now() - started < 5s);  // not the 10 s backoff
    std::this_thread::sleep_for(50ms);
    CHECK(transport->request_count() == 1);
  }

  TEST_CASE("a stop during a rate-limit wait ends it without sending") {
    auto transport = std::make_shared<FakeTransport>();
    ClientOptions options = options_over(transport);
    options.rate_limit = {.enabled = true, .per_second = {1, 10min}, .per_minute = {100, 1min}};
    options.api_key = "unit-cancel-rate-limit-key";  // a budget of its own in this process
    Client client(options);
    client.request("GET", "/api/v2/campaigns");  // spends the one slot for ten minutes
    std::stop_source stop;
    std::jthread stopper = stop_after(stop, 100ms);
    try {
      client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()});
      FAIL("expected CancelledError");
    } catch (const CancelledError& e) {
      CHECK(e.attempts() == 0);
      CHECK(std::string(e.what()).find("rate limit") != std::string::npos);
    }
    CHECK(transport->request_count() == 1);
  }

  TEST_CASE("a stop with the transfer in flight abandons it, nothing is retried") {
    auto transport = std::make_shared<SlowTransport>();
    ClientOptions options = options_over(transport);
    options.retry.max_retries = 5;
    Client client(options);
    std::stop_source stop;
    const auto started = std::chrono::steady_clock::now();
    std::jthread stopper = stop_after(stop, 100ms);
    try {
      client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()});
      FAIL("expected CancelledError");
    } catch (const CancelledError& e) {
      CHECK(e.abandoned_in_flight());
      CHECK(e.attempts() == 1);
    }
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(transport->sent == 1);
  }

  TEST_CASE("finish_transfer_on_stop: the transfer is not handed the stop, its answer is returned") {
    std::stop_source stop;
    auto transport = std::make_shared<FakeTransport>(FakeTransport::Handler([&stop](const HttpRequest& request) {
      CHECK_FALSE(request.stop.stop_possible());
      stop.request_stop();  // arrives while the request is on the wire
      return json_response(200, R"({"ok":true})");
    }));
    Client client(options_over(transport));
    const instantly::Json answer =
        client.request("POST", "/api/v2/leads/add", {.stop = stop.get_token(), .finish_transfer_on_stop = true});
    CHECK(answer.at("ok").as_bool());
  }

  TEST_CASE("an error answer that came after the stop is thrown as it is, not retried") {
    std::stop_source stop;
    auto transport = std::make_shared<FakeTransport>(FakeTransport::Handler([&stop](const HttpRequest&) {
      stop.request_stop();
      return json_response(503, R"({"message":"busy"})");
    }));
    ClientOptions options = options_over(transport);
    options.retry.max_retries = 5;
    Client client(options);
    try {
      client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token(), .finish_transfer_on_stop = true});
      FAIL("expected InternalServerError");
    } catch (const instantly::InternalServerError& e) {
      CHECK(e.attempts() == 1);
      CHECK(e.stop_reason() == "call stopped, not retried");
    }
    CHECK(transport->request_count() == 1);
  }

  TEST_CASE("typed calls take the stop too") {
    auto transport = std::make_shared<FakeTransport>();
    Client client(options_over(transport));
    std::stop_source stop;
    stop.request_stop();
    CHECK_THROWS_AS(client.campaigns().get("c1", {.stop = stop.get_token()}), CancelledError);
    CHECK(transport->request_count() == 0);
  }

  TEST_CASE("an injected clock's wait sees the stop before and after sleeping") {
    FakeClock clock;
    std::stop_source stop;
    const auto start = clock.now();
    CHECK(clock.wait_until(start + 5s, stop.get_token()));
    CHECK(clock.now() == start + 5s);
    stop.request_stop();
    CHECK_FALSE(clock.wait_until(start + 10s, stop.get_token()));
    CHECK(clock.now() == start + 5s);  // did not sleep at all
  }
}

TEST_SUITE("rate limiter seam") {
  TEST_CASE("ClientOptions::rate_limiter is asked before every attempt, retries included") {
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        json_response(503, "{}"), json_response(200, "{}")});
    auto limiter = std::make_shared<CountingLimiter>();
    ClientOptions options = options_over(transport);
    options.rate_limit.enabled = true;
    options.rate_limiter = limiter;
    options.clock = std::make_shared<FakeClock>();
    Client client(options);
    client.request("GET", "/api/v2/emails?limit=5");
    CHECK(limiter->asked == std::vector<std::string>{"GET /api/v2/emails", "GET /api/v2/emails"});
  }

  TEST_CASE("a limiter that says no stops the call, and rate_limit.enabled = false bypasses it") {
    auto transport = std::make_shared<FakeTransport>();
    auto limiter = std::make_shared<CountingLimiter>();
    ClientOptions options = options_over(transport);
    options.rate_limit.enabled = true;
    options.rate_limiter = limiter;
    std::stop_source stop;
    stop.request_stop();
    Client client(options);
    CHECK_THROWS_AS(client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()}), CancelledError);
    CHECK(transport->request_count() == 0);

    options.rate_limit.enabled = false;
    Client unlimited(options);
    unlimited.request("GET", "/api/v2/campaigns");
    CHECK(limiter->asked.empty());
    CHECK(transport->request_count() == 1);
  }

  TEST_CASE("the documented endpoint limits are public for other limiters to enforce") {
    bool emails = false;
    for (const instantly::EndpointLimit& limit : instantly::documented_endpoint_limits()) {
      if (limit.method == "GET" && limit.path == "/api/v2/emails") {
        emails = limit.windows.size() == 1 && limit.windows[0].count == 20 && limit.windows[0].window == 1min;
      }
    }
    CHECK(emails);
  }
}
