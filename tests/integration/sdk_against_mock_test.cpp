// The SDK end to end against instantly-mock: typed calls, pagination, errors
// by status, retries and the client's rate limiter, all over real HTTP.
//
// One mock serves the whole suite (started on first use, stopped at exit);
// each test case starts from POST /__mock/reset.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "instantly/instantly.hpp"
#include "mock_server.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace instantly;

mock::MockServer& suite_mock() {
  mock::MockOptions options;
  options.threads = 16;
  return testing::suite_mock<struct SdkSuite>(options);
}

/// A client for the suite's mock, reset to an empty state; fast retries.
Client fresh_client(ClientOptions options = {}) {
  auto& mock = suite_mock();
  if (options.api_key.empty()) options.api_key = "sdk-suite-key";
  options.base_url = mock.url();
  options.retry.initial_backoff = std::chrono::milliseconds(5);
  options.retry.max_backoff = std::chrono::milliseconds(20);
  options.retry.jitter = [] { return 0.0; };
  if (!options.transport) options.transport = testing::make_local_transport();
  Client client(options);
  client.request("POST", "/__mock/reset");
  return client;
}

CampaignCreateParams draft(std::string name) {
  CampaignCreateParams params{.name = std::move(name)};
  params.campaign_schedule.schedules.push_back(
      {.name = "Weekdays",
       .timing = {.from = "09:00", .to = "17:00"},
       .days = {.monday = true, .tuesday = true},
       .timezone = Timezone::AmericaDetroit});
  return params;
}

}  // namespace

TEST_SUITE("sdk against instantly-mock") {
  TEST_CASE("a campaign round trip through typed calls") {
    Client client = fresh_client();
    Campaign created = client.campaigns().create(draft("Cafes LA"));
    CHECK_FALSE(created.id.empty());
    Campaign fetched = client.campaigns().get(created.id);
    CHECK(fetched.name == "Cafes LA");
    CHECK_THROWS_AS(client.campaigns().get("00000000-0000-7000-8000-000000000000"), NotFoundError);
  }

  TEST_CASE("the paginator walks every page and stops on the empty last page") {
    Client client = fresh_client();
    for (int i = 0; i < 25; ++i) client.campaigns().create(draft("Campaign " + std::to_string(i)));
    int seen = 0;
    for (const Campaign& campaign : client.campaigns().list({.limit = 10})) {
      (void)campaign;
      ++seen;
    }
    CHECK(seen == 25);
    // 20 campaigns: two full pages whose second still carries a cursor, then `items: []`.
    client.request("POST", "/__mock/reset");
    for (int i = 0; i < 20; ++i) client.campaigns().create(draft("Again " + std::to_string(i)));
    seen = 0;
    for (const Campaign& campaign : client.campaigns().list({.limit = 10})) {
      (void)campaign;
      ++seen;
    }
    CHECK(seen == 20);
  }

  TEST_CASE("server-side validation errors arrive as BadRequestError naming the field") {
    Client client = fresh_client({.validate_requests = false});
    try {
      client.request("POST", "/api/v2/campaigns", {.body = Json::object({{"name", "no schedule"}})});
      FAIL("expected a 400");
    } catch (const BadRequestError& e) {
      CHECK(e.status() == 400);
      CHECK(e.message().find("campaign_schedule") != std::string::npos);
    }
  }

  TEST_CASE("401 for a key the mock does not accept, and the key never shows in the error") {
    mock::MockOptions options;
    options.port = 0;
    options.api_keys = {"the-right-key"};
    mock::MockServer strict(options);
    strict.start();
    Client client({.api_key = "sk-wrong-secret-key", .base_url = strict.url(),
                   .transport = testing::make_local_transport()});
    try {
      client.campaigns().list({.limit = 1}).begin();
      FAIL("expected a 401");
    } catch (const AuthenticationError& e) {
      CHECK(e.status() == 401);
      CHECK(std::string(e.what()).find("sk-wrong-secret-key") == std::string::npos);
    }
  }

  TEST_CASE("a generic User-Agent gets the Cloudflare 1010 block, explained") {
    Client client = fresh_client({.user_agent = "Python-urllib/3.11"});
    try {
      client.request("GET", "/api/v2/campaigns");
      FAIL("expected a 403");
    } catch (const PermissionDeniedError& e) {
      CHECK(e.status() == 403);
      CHECK(std::string(e.what()).find("User-Agent") != std::string::npos);
    }
  }

  TEST_CASE("injected 429s and 5xx are retried until the call succeeds or retries run out") {
    Client client = fresh_client({.retry = {.max_retries = 8}});
    client.request("POST", "/__mock/faults", {.body = Json::object({{"429", 0.5}, {"seed", 3}})});
    for (int i = 0; i < 10; ++i) CHECK_NOTHROW(client.request("GET", "/api/v2/campaigns"));

    client.request("POST", "/__mock/faults", {.body = Json::object({{"500", 1.0}})});
    Client few = fresh_client({.retry = {.max_retries = 2}});
    few.request("POST", "/__mock/faults", {.body = Json::object({{"500", 1.0}})});
    try {
      few.request("GET", "/api/v2/campaigns");
      FAIL("expected a 500");
    } catch (const InternalServerError& e) {
      CHECK(e.attempts() == 3);
    }
    few.request("POST", "/__mock/faults", {.body = Json::object()});
  }

  TEST_CASE("a dropped connection on a POST is not retried and says the request may have been sent") {
    Client client = fresh_client();
    client.request("POST", "/__mock/faults", {.body = Json::object({{"drop", 1.0}})});
    try {
      client.campaigns().create(draft("dropped"));
      FAIL("expected a connection error");
    } catch (const ApiConnectionError& e) {
      CHECK_FALSE(e.request_never_sent());
      CHECK(e.attempts() == 1);
    }
    client.request("POST", "/__mock/faults", {.body = Json::object()});
  }

  TEST_CASE("the client's rate limiter paces a burst to the mock's 100/s instead of collecting 429s") {
    Client client = fresh_client({.api_key = "burst-key"});
    client.request("POST", "/__mock/stats/reset");
    for (int i = 0; i < 150; ++i) client.request("GET", "/api/v2/campaigns", {.query = {{"limit", "1"}}});
    Json stats = client.request("GET", "/__mock/stats");
    const Json& statuses = stats.at("statuses");
    // Without the client's limiter about 50 of these would be refused. The
    // client counts at send time and the server at arrival, so a request on
    // the exact window edge may still be refused (and then retried): allow two.
    const Json* refused = statuses.find("429");
    CHECK((refused == nullptr || refused->as_int() <= 2));
    CHECK(statuses.at("200").as_int() >= 150);
  }
}
#endif
