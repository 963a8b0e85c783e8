// What a Client puts on the wire and how it is configured.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include "instantly/instantly.hpp"
#include "support/env_var.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

using namespace std::chrono_literals;
using instantly::HttpRequest;
using instantly::Json;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

namespace {

struct Harness {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>(
      std::vector<FakeTransport::Step>{json_response(200, R"({"ok":true})")});
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();

  instantly::ClientOptions options(std::string key = "sk_test_1") const {
    return {.api_key = std::move(key),
            .base_url = "http://127.0.0.1:4010/",
            .rate_limit = {.enabled = false},
            .transport = transport,
            .clock = clock};
  }
  HttpRequest last() const { return transport->requests().back(); }
};

using instantly::testing::EnvVar;

}  // namespace

TEST_CASE("every request carries Bearer auth, a product User-Agent and JSON Accept") {
  Harness h;
  instantly::Client client(h.options());
  client.request("GET", "/api/v2/campaigns");
  const HttpRequest sent = h.last();
  CHECK(sent.method == "GET");
  CHECK(sent.url == "http://127.0.0.1:4010/api/v2/campaigns");
  CHECK(sent.headers.get("authorization") == "Bearer sk_test_1");
  CHECK(sent.headers.get("User-Agent") == std::string("instantly-cpp/") + instantly::kVersion);
  CHECK(sent.headers.get("Accept") == "application/json");
  CHECK_FALSE(sent.headers.contains("x-as-workspace"));
}

TEST_CASE("workspace and user agent options become headers") {
  Harness h;
  auto options = h.options();
  options.workspace = "ws_42";
  options.user_agent = "acme-leadgen/2.1";
  instantly::Client(options).request("GET", "/api/v2/workspaces/current");
  CHECK(h.last().headers.get("x-as-workspace") == "ws_42");
  CHECK(h.last().headers.get("User-Agent") == "acme-leadgen/2.1");
}

TEST_CASE("a body and Content-Type are sent only when the body has fields") {
  Harness h;
  instantly::Client client(h.options());

  client.request("POST", "/api/v2/campaigns/c1/activate");
  CHECK_FALSE(h.last().body.has_value());
  CHECK_FALSE(h.last().headers.contains("Content-Type"));

  client.request("POST", "/api/v2/campaigns/c1/pause", {.body = Json::object()});
  CHECK_FALSE(h.last().body.has_value());
  CHECK_FALSE(h.last().headers.contains("Content-Type"));

  client.request("DELETE", "/api/v2/campaigns/c1", {.body = Json()});
  CHECK_FALSE(h.last().body.has_value());
  CHECK_FALSE(h.last().headers.contains("Content-Type"));

  // Bulk DELETE /leads is one of the endpoints that needs a JSON body.
  client.request("DELETE", "/api/v2/leads", {.body = Json::object({{"campaign_id", "c1"}})});
  REQUIRE(h.last().body.has_value());
  CHECK(*h.last().body == R"({"campaign_id":"c1"})");
  CHECK(h.last().headers.get("Content-Type") == "application/json");
}

TEST_CASE("query parameters repeat keys and are percent-encoded") {
  Harness h;
  instantly::Client client(h.options());
  client.request("GET", "/api/v2/campaigns/analytics",
                 {.query = {{"ids", "a"}, {"ids", "b"}, {"search", "cafe & bar+1@x.io"}}});
  CHECK(h.last().url ==
        "http://127.0.0.1:4010/api/v2/campaigns/analytics?ids=a&ids=b&search=cafe%20%26%20bar%2B1%40x.io");
}

TEST_CASE("extra headers override defaults but never the Authorization header") {
  Harness h;
  instantly::Client client(h.options());
  client.request("GET", "/api/v2/campaigns",
                 {.headers = {{"Accept", "text/csv"}, {"AUTHORIZATION", "Bearer other"}, {"X-Trace", "t1"}}});
  CHECK(h.last().headers.get("Accept") == "text/csv");
  CHECK(h.last().headers.get("Authorization") == "Bearer sk_test_1");
  CHECK(h.last().headers.get("x-trace") == "t1");
}

TEST_CASE("per-call timeout overrides the client's") {
  Harness h;
  auto options = h.options();
  options.timeout = 30s;
  options.connect_timeout = 2s;
  instantly::Client client(options);
  client.request("GET", "/api/v2/campaigns");
  CHECK(h.last().timeout == 30s);
  CHECK(h.last().connect_timeout == 2s);
  client.request("GET", "/api/v2/campaigns", {.timeout = 1500ms});
  CHECK(h.last().timeout == 1500ms);
}

TEST_CASE("request decodes JSON, passes text through, and gives null for no body") {
  using instantly::HttpResponse;
  Harness h;
  h.transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
      json_response(200, R"({"items":[1,2]})"),
      HttpResponse{200, {{"Content-Type", "text/csv"}}, "email,name\na@x.io,A\n"},
      HttpResponse{204, {}, ""},
  });
  instantly::Client client(h.options());
  CHECK(client.request("GET", "/api/v2/campaigns") == Json::object({{"items", Json::array({1, 2})}}));
  CHECK(client.request("GET", "/api/v2/leads/export") == Json("email,name\na@x.io,A\n"));
  CHECK(client.request("POST", "/api/v2/campaigns/c1/share").is_null());
}

TEST_CASE("a malformed JSON success body is a DecodeError") {
  Harness h;
  h.transport = std::make_shared<FakeTransport>(
      std::vector<FakeTransport::Step>{json_response(200, R"({"items":[1,)")});
  CHECK_THROWS_AS(instantly::Client(h.options()).request("GET", "/api/v2/campaigns"), instantly::DecodeError);
}

TEST_CASE("bad options are a ValidationError that does not quote the key") {
  Harness h;
  CHECK_THROWS_AS(instantly::Client(h.options("")), instantly::ValidationError);
  try {
    instantly::Client client(h.options(""));
  } catch (const instantly::ValidationError& e) {
    CHECK(std::string(e.what()).find("INSTANTLY_API_KEY") != std::string::npos);
  }
  try {
    instantly::Client client(h.options("sk_secret_value\n"));
    FAIL("expected ValidationError");
  } catch (const instantly::ValidationError& e) {
    CHECK(std::string(e.what()).find("sk_secret_value") == std::string::npos);
  }
  auto bad_url = h.options();
  bad_url.base_url = "api.instantly.ai";
  CHECK_THROWS_AS(instantly::Client{bad_url}, instantly::ValidationError);
  auto bad_limits = h.options();
  bad_limits.rate_limit = {.enabled = true, .per_second = {0, 1s}};
  CHECK_THROWS_AS(instantly::Client{bad_limits}, instantly::ValidationError);
  auto bad_retries = h.options();
  bad_retries.retry.max_retries = -1;
  CHECK_THROWS_AS(instantly::Client{bad_retries}, instantly::ValidationError);
}

TEST_CASE("from_env reads the environment, explicit options win") {
  Harness h;
  EnvVar key("INSTANTLY_API_KEY", "sk_from_env");
  EnvVar url("INSTANTLY_BASE_URL", "http://127.0.0.1:9999");
  EnvVar workspace("INSTANTLY_WORKSPACE", "ws_env");

  instantly::ClientOptions overrides;
  overrides.transport = h.transport;
  overrides.rate_limit.enabled = false;
  auto from_env = instantly::Client::from_env(overrides);
  CHECK(from_env.base_url() == "http://127.0.0.1:9999");
  CHECK(from_env.workspace() == "ws_env");
  from_env.request("GET", "/api/v2/campaigns");
  CHECK(h.last().headers.get("Authorization") == "Bearer sk_from_env");
  CHECK(h.last().url == "http://127.0.0.1:9999/api/v2/campaigns");

  overrides.api_key = "sk_explicit";
  overrides.base_url = "http://127.0.0.1:4010";
  auto explicit_wins = instantly::Client::from_env(overrides);
  CHECK(explicit_wins.base_url() == "http://127.0.0.1:4010");
  explicit_wins.request("GET", "/api/v2/campaigns");
  CHECK(h.last().headers.get("Authorization") == "Bearer sk_explicit");
}

TEST_CASE("from_env without a key says how to provide one") {
  EnvVar key("INSTANTLY_API_KEY", nullptr);
  try {
    instantly::Client::from_env();
    FAIL("expected ValidationError");
  } catch (const instantly::ValidationError& e) {
    CHECK(std::string(e.what()).find("INSTANTLY_API_KEY") != std::string::npos);
  }
}

TEST_CASE("one Client used from many threads at once, and copies share the core") {
  Harness h;
  instantly::Client client(h.options());
  instantly::Client copy = client;
  CHECK(&copy.options() == &client.options());  // one core, shared
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const instantly::Client& c = t % 2 ? client : copy;
      for (int i = 0; i < 50; ++i) {
        if (c.request("GET", "/api/v2/campaigns").at("ok") == Json(true)) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 400);
  CHECK(h.transport->request_count() == 400);
}

TEST_CASE("clients with the same key share rate limits, other keys do not") {
  Harness h;
  auto limited = [&](std::string key) {
    auto options = h.options(std::move(key));
    options.rate_limit = {.enabled = true, .per_second = {2, 1s}, .per_minute = {100, 60s}};
    return instantly::Client(options);
  };
  auto a = limited("sk_shared");
  auto b = limited("sk_shared");
  auto other = limited("sk_other_tenant");
  const auto start = h.clock->now();
  a.request("GET", "/api/v2/campaigns");
  b.request("GET", "/api/v2/campaigns");
  other.request("GET", "/api/v2/campaigns");
  other.request("GET", "/api/v2/campaigns");
  CHECK(h.clock->now() == start);  // four calls, but two per key: nobody waited
  a.request("GET", "/api/v2/campaigns");  // third call on the shared key waits a second
  CHECK(h.clock->now() == start + 1s);
}
