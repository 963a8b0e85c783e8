// webhooks::watch_subscriptions against Instantly's webhook endpoints in
// memory: which failures start a gap, what counts as failing, the requests it
// makes, and that one subscription's trouble does not hide the others. The
// client's fake clock says "now": 2025-01-01T00:00:00.000Z.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/webhooks/watch.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_webhook_api.hpp"

using instantly::Json;
using instantly::testing::FakeClock;
using instantly::testing::FakeWebhookApi;
namespace wh = instantly::webhooks;

namespace {

constexpr const char* kNow = "2025-01-01T00:00:00.000Z";
constexpr const char* kHook = "https://hooks.example.com/instantly";

instantly::Client watch_client(FakeWebhookApi& api) {
  return instantly::Client({.api_key = "sk_test",
                            .base_url = "http://api.test",
                            .retry = {.max_retries = 0, .jitter = [] { return 0.0; }},
                            .rate_limit = {.enabled = false},
                            .transport = api.transport(),
                            .clock = std::make_shared<FakeClock>()});
}

/// One attempt in the delivery log. `retry_successful`: "true", "false" or "" (null).
void logged(FakeWebhookApi& api, const std::string& at, bool success, const std::string& retry_successful = "",
            const std::string& url = kHook, Json status_code = Json(), std::string error = "") {
  Json event = Json::object({{"timestamp_created", at},
                             {"success", success},
                             {"webhook_url", url},
                             {"status_code", success ? Json(200) : status_code},
                             {"error_message", error.empty() ? Json() : Json(error)}});
  if (!retry_successful.empty()) event.set("retry_successful", retry_successful == "true");
  api.add_event(std::move(event));
}

std::string disabled_hook(FakeWebhookApi& api, const std::string& timestamp_error, const std::string& url = kHook) {
  return api.add_webhook(Json::object({{"target_hook_url", url},
                                       {"event_type", "reply_received"},
                                       {"campaign", "camp-1"},
                                       {"status", -1},
                                       {"timestamp_error", timestamp_error}}));
}

Json webhook_named(const FakeWebhookApi& api, const std::string& id) {
  for (const Json& webhook : api.webhooks()) {
    if (webhook.at("id").as_string() == id) return webhook;
  }
  FAIL("no webhook " << id);
  return Json();
}

std::vector<std::string> calls_starting(const FakeWebhookApi& api, const std::string& prefix) {
  std::vector<std::string> found;
  for (const std::string& call : api.calls()) {
    if (call.rfind(prefix, 0) == 0) found.push_back(call);
  }
  return found;
}

}  // namespace

TEST_SUITE("webhooks: watch_subscriptions") {
  TEST_CASE("a disabled subscription is resumed, its gap starting at the first unrecovered failure of the streak") {
    auto api = std::make_shared<FakeWebhookApi>();
    const std::string id = disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    logged(*api, "2024-12-31T23:10:00.000Z", false, "false");  // before the last success: not this streak
    logged(*api, "2024-12-31T23:20:00.000Z", false, "true");   // made good by its retry
    logged(*api, "2024-12-31T23:20:10.000Z", true);
    logged(*api, "2024-12-31T23:40:00.000Z", false, "false");  // the streak begins
    logged(*api, "2024-12-31T23:40:05.000Z", false, "false");
    logged(*api, "2024-12-31T23:49:30.000Z", false);           // retry dropped by the disabling: null
    logged(*api, "2024-12-31T23:30:00.000Z", false, "false", "https://elsewhere.example.com/");
    logged(*api, "2024-12-31T23:45:00.000Z", true, "", "https://hooks.example.com/instantly-2");

    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    REQUIRE(report.watched.size() == 1);
    REQUIRE(report.gaps.size() == 1);
    const wh::SubscriptionGap& gap = report.gaps.front();
    CHECK(gap.webhook_id == id);
    CHECK(gap.target_url == kHook);
    CHECK(gap.event_type == "reply_received");
    CHECK(gap.campaign == "camp-1");
    CHECK(gap.from == "2024-12-31T23:40:00.000Z");
    CHECK(gap.to == kNow);
    CHECK(gap.resumed);
    CHECK(report.failing.empty());
    CHECK(report.errors.empty());
    CHECK(webhook_named(*api, id).at("status") == Json(1));
  }

  TEST_CASE("no unrecovered failure in the log: the gap starts at timestamp_error") {
    auto api = std::make_shared<FakeWebhookApi>();
    disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    logged(*api, "2024-12-31T23:40:00.000Z", true);
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    REQUIRE(report.gaps.size() == 1);
    CHECK(report.gaps.front().from == "2024-12-31T23:50:00.000Z");
  }

  TEST_CASE("failures older than failing_lookback before the disabling are not followed") {
    auto api = std::make_shared<FakeWebhookApi>();
    disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    logged(*api, "2024-12-31T23:00:00.000Z", false, "false");
    logged(*api, "2024-12-31T23:45:00.000Z", false, "false");
    const wh::WatchReport report =
        wh::watch_subscriptions(watch_client(*api), {.failing_lookback = std::chrono::minutes(30)});
    REQUIRE(report.gaps.size() == 1);
    CHECK(report.gaps.front().from == "2024-12-31T23:45:00.000Z");
  }

  TEST_CASE("resume_disabled false reports the gap up to now and changes nothing") {
    auto api = std::make_shared<FakeWebhookApi>();
    const std::string id = disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api), {.resume_disabled = false});
    REQUIRE(report.gaps.size() == 1);
    CHECK_FALSE(report.gaps.front().resumed);
    CHECK(report.gaps.front().to == kNow);
    CHECK(webhook_named(*api, id).at("status") == Json(-1));
    CHECK(calls_starting(*api, "POST").empty());
  }

  TEST_CASE("a failed resume is collected and the other subscriptions are still resumed") {
    auto api = std::make_shared<FakeWebhookApi>();
    const std::string broken = disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    const std::string fine = disabled_hook(*api, "2024-12-31T23:55:00.000Z", "https://other.example.com/hook");
    api->fail("/api/v2/webhooks/" + broken + "/resume", 404);
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    REQUIRE(report.gaps.size() == 2);
    CHECK(report.gaps[0].webhook_id == broken);
    CHECK_FALSE(report.gaps[0].resumed);
    CHECK(report.gaps[1].webhook_id == fine);
    CHECK(report.gaps[1].resumed);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors.front().webhook_id == broken);
    CHECK(report.errors.front().message.find("resuming") != std::string::npos);
    CHECK(webhook_named(*api, fine).at("status") == Json(1));
  }

  TEST_CASE("an unreadable delivery log is collected, the gap widened to failing_lookback, still resumed") {
    auto api = std::make_shared<FakeWebhookApi>();
    const std::string id = disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    api->fail("/api/v2/webhook-events", 500);
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    REQUIRE(report.gaps.size() == 1);
    CHECK(report.gaps.front().from == "2024-12-31T22:50:00.000Z");
    CHECK(report.gaps.front().resumed);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors.front().webhook_id == id);
    CHECK(report.errors.front().message.find(kHook) != std::string::npos);
  }

  TEST_CASE("an enabled subscription whose URL stopped answering is failing") {
    auto api = std::make_shared<FakeWebhookApi>();
    const std::string id = api->add_webhook(Json::object({{"target_hook_url", kHook}}));
    logged(*api, "2024-12-31T23:30:00.000Z", true);
    logged(*api, "2024-12-31T23:40:00.000Z", false, "", kHook, Json(500), "HTTP 500");
    logged(*api, "2024-12-31T23:50:00.000Z", false, "", kHook, Json(), "Connection refused");
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    CHECK(report.gaps.empty());
    REQUIRE(report.failing.size() == 1);
    const wh::FailingSubscription& failing = report.failing.front();
    CHECK(failing.webhook.id == id);
    CHECK(failing.since == "2024-12-31T23:40:00.000Z");
    CHECK(failing.last_attempt == "2024-12-31T23:50:00.000Z");
    CHECK_FALSE(failing.last_status_code.has_value());
    CHECK(failing.last_error == "Connection refused");
    CHECK(failing.failed_attempts == 2);
    CHECK(webhook_named(*api, id).at("status") == Json(1));  // nothing changed
  }

  TEST_CASE("not failing: a success after the failures, failures made good, or failures before the lookback") {
    auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://a.example.com/"}}));
    logged(*api, "2024-12-31T23:40:00.000Z", false, "", "https://a.example.com/", Json(503));
    logged(*api, "2024-12-31T23:41:00.000Z", true, "", "https://a.example.com/");
    api->add_webhook(Json::object({{"target_hook_url", "https://b.example.com/"}}));
    logged(*api, "2024-12-31T23:40:00.000Z", false, "true", "https://b.example.com/", Json(503));
    api->add_webhook(Json::object({{"target_hook_url", "https://c.example.com/"}}));
    logged(*api, "2024-12-31T22:00:00.000Z", false, "", "https://c.example.com/", Json(503));
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    CHECK(report.watched.size() == 3);
    CHECK(report.failing.empty());
    CHECK(report.errors.empty());
  }

  TEST_CASE("a healthy URL costs one small log request, filtered on the server") {
    auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", kHook}}));
    api->add_webhook(Json::object({{"target_hook_url", kHook}, {"event_type", "email_sent"}}));
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api));
    CHECK(report.watched.size() == 2);
    CHECK(calls_starting(*api, "GET /api/v2/webhooks") ==
          std::vector<std::string>{"GET /api/v2/webhooks?limit=100"});
    CHECK(calls_starting(*api, "GET /api/v2/webhook-events") ==
          std::vector<std::string>{"GET /api/v2/webhook-events?limit=100&success=false&from=2024-12-30&to=2025-01-02"
                                   "&search=https%3A%2F%2Fhooks.example.com%2Finstantly"});
  }

  TEST_CASE("target_url narrows the watch to the subscriptions delivering there") {
    auto api = std::make_shared<FakeWebhookApi>();
    const std::string mine = api->add_webhook(Json::object({{"target_hook_url", kHook}}));
    const std::string other = disabled_hook(*api, "2024-12-31T23:50:00.000Z", "https://other.example.com/hook");
    const wh::WatchReport report = wh::watch_subscriptions(watch_client(*api), {.target_url = kHook});
    REQUIRE(report.watched.size() == 1);
    CHECK(report.watched.front().id == mine);
    CHECK(report.gaps.empty());
    CHECK(webhook_named(*api, other).at("status") == Json(-1));
  }

  TEST_CASE("listing errors and a stop are thrown, not collected") {
    auto api = std::make_shared<FakeWebhookApi>();
    disabled_hook(*api, "2024-12-31T23:50:00.000Z");
    api->fail("/api/v2/webhooks", 401);
    CHECK_THROWS_AS(wh::watch_subscriptions(watch_client(*api)), instantly::AuthenticationError);

    std::stop_source stop;
    stop.request_stop();
    wh::WatchOptions options;
    options.request.stop = stop.get_token();
    CHECK_THROWS_AS(wh::watch_subscriptions(watch_client(*api), options), instantly::CancelledError);
    CHECK(calls_starting(*api, "POST").empty());
  }
}
