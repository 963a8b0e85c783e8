// Stopping calls over real sockets: the curl transport abandons a slow
// transfer at once, a call failing 503 after 503 stops between attempts, and
// after the stop the server sees nothing more.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "support/local_server.hpp"
#include "support/stop_after.hpp"

namespace {

using namespace std::chrono_literals;
using instantly::CancelledError;
using instantly::Client;
using instantly::ClientOptions;
using instantly::testing::LocalServer;
using instantly::testing::stop_after;

ClientOptions options_for(const LocalServer& server) {
  ClientOptions options{.api_key = "integration-cancel-key", .base_url = server.url()};
  options.transport = instantly::testing::make_local_transport();
  options.rate_limit.enabled = false;
  options.retry.jitter = [] { return 0.0; };
  return options;
}

/// Sleeps in short steps until `done` (the test is over) or `limit` passes, so the
/// server never waits out a whole slow answer at shutdown.
void wait_for_test_end(const std::atomic<bool>& done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
}

}  // namespace

TEST_SUITE("integration cancellation") {
  TEST_CASE("a stop abandons a slow transfer within milliseconds, and nothing more is sent") {
    std::atomic<int> requests{0};
    std::atomic<bool> done{false};
    LocalServer server([&](httplib::Server& s) {
      s.Get("/api/v2/campaigns", [&](const httplib::Request&, httplib::Response& res) {
        ++requests;
        wait_for_test_end(done, 10s);  // the answer would take ten seconds
        res.set_content(R"({"items":[]})", "application/json");
      });
    });
    ClientOptions options = options_for(server);
    options.retry.max_retries = 5;
    Client client(options);

    std::stop_source stop;
    const auto started = std::chrono::steady_clock::now();
    {
      std::jthread stopper = stop_after(stop, 200ms);
      try {
        client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()});
        FAIL("expected CancelledError");
      } catch (const CancelledError& e) {
        CHECK(e.abandoned_in_flight());
        CHECK(e.attempts() == 1);
      }
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(elapsed < 2s);  // the stop, not the answer, ended the call
    std::this_thread::sleep_for(300ms);
    CHECK(requests == 1);
    done = true;
  }

  TEST_CASE("503 after 503 with eight retries: a stop between attempts ends it, the server hears no more") {
    std::atomic<int> requests{0};
    LocalServer server([&](httplib::Server& s) {
      s.Get("/api/v2/campaigns", [&](const httplib::Request&, httplib::Response& res) {
        ++requests;
        res.status = 503;
        res.set_content(R"({"message":"busy"})", "application/json");
      });
    });
    ClientOptions options = options_for(server);
    options.retry.max_retries = 8;
    options.retry.initial_backoff = 400ms;
    Client client(options);

    std::stop_source stop;
    const auto started = std::chrono::steady_clock::now();
    int attempts = 0;
    {
      std::jthread stopper = stop_after(stop, 1s);
      try {
        client.request("GET", "/api/v2/campaigns", {.stop = stop.get_token()});
        FAIL("expected CancelledError");
      } catch (const CancelledError& e) {
        attempts = e.attempts();
      }
    }
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(attempts >= 2);  // 0 ms, 400 ms, then the stop in the 800 ms wait
    const int seen = requests;
    CHECK(seen == attempts);
    std::this_thread::sleep_for(2s);  // what eight retries would have filled
    CHECK(requests == seen);
  }

  TEST_CASE("finish_transfer_on_stop lets the answer in flight arrive and returns it") {
    LocalServer server([&](httplib::Server& s) {
      s.Post("/api/v2/leads/add", [&](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(300ms);
        res.set_content(R"({"leads_uploaded":1})", "application/json");
      });
    });
    Client client(options_for(server));
    std::stop_source stop;
    std::jthread stopper = stop_after(stop, 50ms);
    const instantly::Json answer = client.request(
        "POST", "/api/v2/leads/add",
        {.body = instantly::Json::object({{"leads", instantly::Json::array()}}), .stop = stop.get_token(),
         .finish_transfer_on_stop = true});
    CHECK(answer.at("leads_uploaded").as_int() == 1);
  }

  TEST_CASE("a connection stopped mid-transfer is not reused: the next call works") {
    std::atomic<bool> done{false};
    LocalServer server([&](httplib::Server& s) {
      s.Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
        wait_for_test_end(done, 10s);
        res.set_content("{}", "application/json");
      });
      s.Get("/fast", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"fast":true})", "application/json");
      });
    });
    ClientOptions options = options_for(server);
    options.transport = instantly::testing::make_local_transport({.max_idle_connections = 1});
    Client client(options);
    std::stop_source stop;
    {
      std::jthread stopper = stop_after(stop, 100ms);
      CHECK_THROWS_AS(client.request("GET", "/slow", {.stop = stop.get_token()}), CancelledError);
    }
    CHECK(client.request("GET", "/fast").at("fast").as_bool());
    done = true;
  }
}
