// The request path every API call takes: User-Agent, auth, routing, JSON body
// rules, validation.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;

TEST_SUITE("mock gateway") {
  TEST_CASE("a generic User-Agent gets Cloudflare's 403 1010 in plain text") {
    MockFixture mock;
    auto result = mock.get("/api/v2/campaigns", {{"Authorization", "Bearer k"}, {"User-Agent", "Python-urllib/3.11"}});
    CHECK(result.status == 403);
    CHECK(result.text == "error code: 1010");
    auto missing = mock.get("/api/v2/campaigns", {{"Authorization", "Bearer k"}, {"User-Agent", ""}});
    CHECK(missing.status == 403);
  }

  TEST_CASE("a missing or wrong Bearer key is 401 in the error envelope") {
    MockFixture mock;
    auto result = mock.get("/api/v2/campaigns", {{"User-Agent", "ok/1"}});
    CHECK(result.status == 401);
    CHECK(result.json.at("statusCode").as_int() == 401);
    CHECK(result.json.at("error").as_string() == "Unauthorized");

    auto options = instantly::mock::testing::test_options();
    options.api_keys = {"right"};
    MockFixture strict(options);
    CHECK(strict.get("/api/v2/campaigns", MockFixture::auth_headers("wrong")).status == 401);
    CHECK(strict.get("/api/v2/campaigns", MockFixture::auth_headers("right")).status == 200);
  }

  TEST_CASE("validation errors are 400 and name the field") {
    MockFixture mock;
    auto result = mock.post("/api/v2/campaigns", Json::object({{"x", 1}}));
    CHECK(result.status == 400);
    auto message = result.json.at("message").as_string();
    CHECK(message.find("body.name is required") != std::string::npos);
    CHECK(message.find("body.x") != std::string::npos);
  }

  TEST_CASE("an action endpoint rejects a body and a JSON content type") {
    MockFixture mock;
    auto with_type = mock.wrap(mock.http().Post("/api/v2/campaigns/abc/activate", MockFixture::auth_headers(), "",
                                                "application/json"));
    CHECK(with_type.status == 400);
    auto with_body = mock.post("/api/v2/campaigns/abc/activate", Json::object({{"a", 1}}));
    CHECK(with_body.status == 400);
    CHECK(with_body.json.at("message").as_string().find("takes no body") != std::string::npos);
  }

  TEST_CASE("DELETE takes no body, except the bulk lead delete, which needs one") {
    MockFixture mock;
    auto with_body = mock.del("/api/v2/campaigns/abc", Json::object({{"id", "abc"}}));
    CHECK(with_body.status == 400);
    CHECK(with_body.json.at("message").as_string().find("takes no body") != std::string::npos);
    // Without a body the request reaches the handler (which knows no such campaign).
    CHECK(mock.del("/api/v2/campaigns/abc").status == 404);

    auto list = mock.post("/api/v2/lead-lists", Json::object({{"name", "Cafes"}}));
    REQUIRE(list.status == 200);
    auto bulk = mock.del("/api/v2/leads", Json::object({{"list_id", list.json.at("id").as_string()}}));
    CHECK(bulk.status == 200);
  }

  TEST_CASE("an unknown route is 404") {
    MockFixture mock;
    auto result = mock.get("/api/v2/nothing-here");
    CHECK(result.status == 404);
    CHECK(result.json.at("message").as_string().find("/api/v2/nothing-here") != std::string::npos);
  }
}

TEST_SUITE("mock scripted responses") {
  TEST_CASE("a queued answer is served to the next matching request(s), after the auth check") {
    MockFixture mock;
    auto queued = mock.admin("POST", "/responses",
                             Json::object({{"status", 402},
                                           {"body", Json::object({{"statusCode", 402},
                                                                  {"error", "Payment Required"},
                                                                  {"message", "no credits"}})},
                                           {"path", "/api/v2/campaigns"},
                                           {"times", 2}}));
    REQUIRE(queued.status == 200);
    // Unauthenticated requests are refused first and do not use the answer up.
    CHECK(mock.get("/api/v2/campaigns", {{"User-Agent", "ok/1"}}).status == 401);
    // Other paths are not affected.
    CHECK(mock.get("/api/v2/emails").status == 200);
    auto first = mock.get("/api/v2/campaigns");
    CHECK(first.status == 402);
    CHECK(first.json.at("message").as_string() == "no credits");
    CHECK(mock.get("/api/v2/campaigns/x").status == 402);
    CHECK(mock.get("/api/v2/campaigns").status == 200);
  }

  TEST_CASE("text bodies and headers, and reset forgets the queue") {
    MockFixture mock;
    mock.admin("POST", "/responses",
               Json::object({{"status", 503}, {"text", "upstream down"}, {"headers", Json::object({{"Retry-After", "7"}})}}));
    auto answer = mock.get("/api/v2/campaigns");
    CHECK(answer.status == 503);
    CHECK(answer.text == "upstream down");
    CHECK(answer.header("Retry-After") == "7");
    mock.admin("POST", "/responses", Json::object({{"status", 409}}));
    mock.admin("POST", "/reset");
    CHECK(mock.get("/api/v2/campaigns").status == 200);
    CHECK(mock.admin("POST", "/responses", Json::object({{"status", 42}})).status == 400);
  }

  TEST_CASE("stats count the requests served at once, and the peak restarts on reset") {
    auto options = instantly::mock::testing::test_options();
    options.latency_ms = 300;  // long enough that calls started together overlap
    MockFixture mock(options);
    constexpr int kCallers = 4;
    std::vector<int> statuses(kCallers, 0);
    std::vector<std::thread> callers;
    for (int i = 0; i < kCallers; ++i) {
      callers.emplace_back([&, i] {
        httplib::Client own("127.0.0.1", mock.port());  // one connection each
        auto result = own.Get("/api/v2/campaigns", MockFixture::auth_headers());
        statuses[static_cast<std::size_t>(i)] = result ? result->status : 0;
      });
    }
    for (auto& caller : callers) caller.join();
    CHECK(statuses == std::vector<int>(kCallers, 200));

    auto stats = mock.get("/__mock/stats").json;
    CHECK(stats.at("in_flight").as_int() == 0);
    // One caller at a time would give 1; a busy machine may start some late.
    CHECK(stats.at("peak_in_flight").as_int() >= 2);
    CHECK(stats.at("peak_in_flight").as_int() <= kCallers);

    mock.post_empty("/__mock/stats/reset");
    CHECK(mock.get("/__mock/stats").json.at("peak_in_flight").as_int() == 0);
  }

  TEST_CASE("stats keep the most requests that arrived within any one second") {
    MockFixture mock;
    for (int i = 0; i < 5; ++i) CHECK(mock.get("/api/v2/campaigns").status == 200);
    auto stats = mock.get("/__mock/stats").json;
    // The stats read is itself no API request; five calls in well under a second are one window.
    CHECK(stats.at("peak_per_second").as_int() == 5);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(mock.get("/api/v2/campaigns").status == 200);
    CHECK(mock.get("/__mock/stats").json.at("peak_per_second").as_int() == 5);  // the old window passed
    mock.post_empty("/__mock/stats/reset");
    CHECK(mock.get("/__mock/stats").json.at("peak_per_second").as_int() == 0);
  }
}
