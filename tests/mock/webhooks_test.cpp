// Webhook subscriptions and deliveries in instantly-mock, checked with a real
// receiver: headers, exact payloads, event-type matching, retries, disabling,
// resume, test deliveries and the webhook-events log.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "mock_fixture.hpp"
#include "webhook_receiver.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;
using instantly::mock::testing::Receiver;

namespace {

std::string create_webhook(MockFixture& mock, Json body) {
  auto created = mock.post("/api/v2/webhooks", body);
  REQUIRE(created.status == 200);
  return created.json.at("id").as_string();
}

Json payload(const std::string& event_type, const std::string& campaign = "c0ffee00-0000-7000-8000-000000000001") {
  return Json::object({{"timestamp", "2026-11-27T10:00:00.000Z"},
                       {"event_type", event_type},
                       {"workspace", "019a0000-0000-7000-8000-000000000001"},
                       {"campaign_id", campaign},
                       {"campaign_name", "Launch"},
                       {"lead_email", "lead@example.com"},
                       {"email_account", "sender@example.com"},
                       {"step", 1},
                       {"variant", 1}});
}

void emit(MockFixture& mock, const Json& body) { REQUIRE(mock.admin("POST", "/webhooks/emit", body).status == 200); }

bool flush(MockFixture& mock) {
  auto result = mock.admin("POST", "/webhooks/flush", Json::object({{"timeout_ms", 5000}}));
  return result.status == 200 && result.json.at("idle").as_bool();
}

}  // namespace

TEST_SUITE("mock webhooks") {
  TEST_CASE("subscriptions are created active and can be listed, read, patched and deleted") {
    MockFixture mock;
    auto created = mock.post("/api/v2/webhooks", Json::object({{"target_hook_url", "http://127.0.0.1:9/a"},
                                                               {"event_type", "reply_received"},
                                                               {"name", "replies"},
                                                               {"headers", Json::object({{"X-Secret", "s"}})}}));
    REQUIRE(created.status == 200);
    CHECK(created.json.at("status").as_int() == 1);
    CHECK(created.json.at("event_type").as_string() == "reply_received");
    CHECK(created.json.at("headers").at("X-Secret").as_string() == "s");
    CHECK(created.json.at("campaign").is_null());
    std::string id = created.json.at("id").as_string();
    create_webhook(mock, Json::object({{"target_hook_url", "http://127.0.0.1:9/b"}}));
    create_webhook(mock, Json::object({{"target_hook_url", "http://127.0.0.1:9/c"}, {"event_type", "email_sent"}}));

    auto first = mock.get("/api/v2/webhooks?limit=2");
    REQUIRE(first.json.at("items").size() == 2);
    CHECK(first.json.at("items").at(0).at("id").as_string() == id);
    CHECK(first.json.at("items").at(1).at("event_type").as_string() == "all_events");
    auto rest = mock.get("/api/v2/webhooks?limit=2&starting_after=" + first.json.at("next_starting_after").as_string());
    CHECK(rest.json.at("items").size() == 1);
    CHECK(mock.get("/api/v2/webhooks?event_type=email_sent").json.at("items").size() == 1);

    auto patched = mock.patch("/api/v2/webhooks/" + id, Json::object({{"name", "renamed"}}));
    CHECK(patched.json.at("name").as_string() == "renamed");
    CHECK(mock.get("/api/v2/webhooks/" + id).json.at("name").as_string() == "renamed");
    CHECK(mock.del("/api/v2/webhooks/" + id).status == 200);
    CHECK(mock.get("/api/v2/webhooks/" + id).status == 404);

    auto types = mock.get("/api/v2/webhooks/event-types");
    REQUIRE(types.status == 200);
    CHECK(types.json.at("event_types").size() == 19);
    CHECK(types.json.at("event_types").at(3).at("id").as_string() == "email_link_clicked");
  }

  TEST_CASE("an emitted event is POSTed verbatim with the subscription's headers") {
    Receiver receiver;
    MockFixture mock;
    std::string id = create_webhook(
        mock, Json::object({{"target_hook_url", receiver.url("/hook?source=instantly")},
                            {"headers", Json::object({{"X-Webhook-Secret", "s3cret"}, {"Authorization", "Bearer abc"}})}}));
    Json event = payload("reply_received");
    event.set("reply_text", "Sounds good — let's talk");
    event.set("custom_field", Json::object({{"nested", true}}));
    emit(mock, event);
    REQUIRE(flush(mock));

    auto received = receiver.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].path == "/hook");
    CHECK(received[0].body == event.dump());
    auto header = [&](const char* name) {
      auto it = received[0].headers.find(name);
      return it == received[0].headers.end() ? std::string() : it->second;
    };
    CHECK(header("X-Webhook-Secret") == "s3cret");
    CHECK(header("Authorization") == "Bearer abc");
    CHECK(header("User-Agent") == "Instantly-Webhooks/1.0");
    CHECK(header("Content-Type") == "application/json");

    auto log = mock.admin("GET", "/webhooks/deliveries");
    REQUIRE(log.json.at("deliveries").size() == 1);
    const Json& attempt = log.json.at("deliveries").at(0);
    CHECK(attempt.at("webhook_id").as_string() == id);
    CHECK(attempt.at("attempt").as_int() == 1);
    CHECK(attempt.at("status_code").as_int() == 200);
    CHECK(attempt.at("event_type").as_string() == "reply_received");
    CHECK(attempt.at("headers").at("X-Webhook-Secret").as_string() == "s3cret");
  }

  TEST_CASE("payload event types reach subscriptions by the API's rules") {
    Receiver receiver;
    MockFixture mock;
    std::string campaign = "c0ffee00-0000-7000-8000-0000000000aa";
    create_webhook(mock, Json::object({{"target_hook_url", receiver.url("/all")}, {"event_type", "all_events"}}));
    create_webhook(mock, Json::object({{"target_hook_url", receiver.url("/clicks")}, {"event_type", "email_link_clicked"}}));
    create_webhook(mock, Json::object({{"target_hook_url", receiver.url("/replies")}, {"event_type", "reply_received"}}));
    create_webhook(mock, Json::object(
                             {{"target_hook_url", receiver.url("/sent-in-campaign")}, {"event_type", "email_sent"}, {"campaign", campaign}}));

    emit(mock, payload("link_clicked"));
    emit(mock, payload("auto_reply_received"));
    emit(mock, payload("reply_received"));
    emit(mock, payload("email_sent", campaign));
    emit(mock, payload("email_sent"));  // another campaign
    emit(mock, payload("Hot prospect"));  // a custom lead label
    REQUIRE(flush(mock));

    CHECK(receiver.count("/all") == 6);
    CHECK(receiver.count("/clicks") == 1);
    CHECK(receiver.count("/replies") == 1);  // auto replies do not count as replies
    CHECK(receiver.count("/sent-in-campaign") == 1);
  }

  TEST_CASE("a failing endpoint gets 4 attempts, then the subscription is disabled until resumed") {
    Receiver receiver;
    receiver.status = 500;
    MockFixture mock;
    std::string id = create_webhook(mock, Json::object({{"target_hook_url", receiver.url()}}));
    emit(mock, payload("email_opened"));
    REQUIRE(flush(mock));

    CHECK(receiver.received().size() == 4);
    auto webhook = mock.get("/api/v2/webhooks/" + id).json;
    CHECK(webhook.at("status").as_int() == -1);
    CHECK(webhook.at("timestamp_error").is_string());

    auto events = mock.get("/api/v2/webhook-events?success=false").json.at("items");
    REQUIRE(events.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(events.at(i).at("retry_count").as_int() == static_cast<std::int64_t>(i));
      CHECK(events.at(i).at("status_code").as_int() == 500);
      CHECK(events.at(i).at("will_retry").as_bool() == (i < 3));
      CHECK(events.at(i).at("retry_successful").as_bool() == false);
      CHECK(events.at(i).at("lead_email").as_string() == "lead@example.com");
    }
    CHECK(events.at(0).at("retry_group_id") == events.at(3).at("retry_group_id"));

    // Disabled: later events are not delivered.
    emit(mock, payload("email_opened"));
    REQUIRE(flush(mock));
    CHECK(receiver.received().size() == 4);

    receiver.status = 200;
    auto resumed = mock.post_empty("/api/v2/webhooks/" + id + "/resume");
    REQUIRE(resumed.status == 200);
    CHECK(resumed.json.at("status").as_int() == 1);
    CHECK(resumed.json.at("timestamp_error").is_null());
    emit(mock, payload("email_opened"));
    REQUIRE(flush(mock));
    CHECK(receiver.received().size() == 5);
  }

  TEST_CASE("the admin API changes the retry delays at run time") {
    Receiver receiver;
    receiver.status = 502;
    MockFixture mock;
    REQUIRE(mock.admin("POST", "/webhooks/retry-delays", Json::object({{"delays_ms", Json::array({20})}})).status == 200);
    CHECK(mock.admin("POST", "/webhooks/retry-delays", Json::object({{"delays_ms", Json::array({-1})}})).status == 400);
    std::string id = create_webhook(mock, Json::object({{"target_hook_url", receiver.url()}}));
    emit(mock, payload("email_sent"));
    REQUIRE(flush(mock));
    CHECK(receiver.received().size() == 2);
    CHECK(mock.get("/api/v2/webhooks/" + id).json.at("status").as_int() == -1);
  }

  TEST_CASE("a delivery that succeeds on a retry is marked retry_successful") {
    Receiver receiver;
    MockFixture mock;
    create_webhook(mock, Json::object({{"target_hook_url", receiver.url()}}));
    receiver.status = 503;
    emit(mock, payload("email_bounced"));
    // The first attempt fails; let the retry (50 ms later) succeed.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (receiver.received().empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    receiver.status = 200;
    REQUIRE(flush(mock));
    auto events = mock.get("/api/v2/webhook-events").json.at("items");
    REQUIRE(events.size() == 2);
    CHECK(events.at(0).at("success").as_bool() == false);
    CHECK(events.at(1).at("success").as_bool() == true);
    CHECK(events.at(1).at("retry_successful").as_bool() == true);
  }

  TEST_CASE("POST /webhooks/{id}/test delivers a sample event of the subscribed type") {
    Receiver receiver;
    MockFixture mock;
    std::string id = create_webhook(mock, Json::object({{"target_hook_url", receiver.url("/t")},
                                                        {"event_type", "email_link_clicked"},
                                                        {"headers", Json::object({{"X-Token", "t0k"}})}}));
    auto test = mock.post_empty("/api/v2/webhooks/" + id + "/test");
    REQUIRE(test.status == 200);
    CHECK(test.json.at("success").as_bool());
    REQUIRE(flush(mock));
    auto received = receiver.received();
    REQUIRE(received.size() == 1);
    Json body = Json::parse(received[0].body);
    CHECK(body.at("event_type").as_string() == "link_clicked");
    CHECK(body.at("timestamp").is_string());
    CHECK(received[0].headers.find("X-Token")->second == "t0k");
    CHECK(mock.post_empty("/api/v2/webhooks/00000000-0000-7000-8000-000000000000/test").status == 404);
  }

  TEST_CASE("webhook events are listed, fetched and summarised") {
    Receiver receiver;
    MockFixture mock;
    create_webhook(mock, Json::object({{"target_hook_url", receiver.url("/ok")}}));
    create_webhook(mock, Json::object({{"target_hook_url", "http://127.0.0.1:1/closed"}}));  // nothing listens
    emit(mock, payload("email_sent"));
    REQUIRE(flush(mock));

    auto all = mock.get("/api/v2/webhook-events?limit=100").json.at("items");
    REQUIRE(all.size() == 5);  // 1 success + 4 attempts at the closed port
    auto ok = mock.get("/api/v2/webhook-events?success=true").json.at("items");
    REQUIRE(ok.size() == 1);
    CHECK(ok.at(0).at("webhook_url").as_string() == receiver.url("/ok"));
    CHECK(ok.at(0).at("payload").at("event_type").as_string() == "email_sent");
    auto failed = mock.get("/api/v2/webhook-events?success=false").json.at("items");
    CHECK(failed.at(0).at("status_code").is_null());
    CHECK(failed.at(0).at("error_message").is_string());

    std::string id = ok.at(0).at("id").as_string();
    auto one = mock.get("/api/v2/webhook-events/" + id);
    REQUIRE(one.status == 200);
    CHECK(one.json.at("success").as_bool());
    CHECK(mock.get("/api/v2/webhook-events/nope").status == 404);

    auto summary = mock.get("/api/v2/webhook-events/summary").json;
    CHECK(summary.at("total_events").as_int() == 5);
    CHECK(summary.at("successful_events").as_int() == 1);
    CHECK(summary.at("failed_events").as_int() == 4);
    CHECK(summary.at("success_rate").as_double() == 20);
    auto by_date = mock.get("/api/v2/webhook-events/summary-by-date").json.at("items");
    REQUIRE(by_date.size() == 1);
    CHECK(by_date.at(0).at("total_events").as_int() == 5);
  }

  TEST_CASE("stopping the server drops pending retries promptly") {
    Receiver receiver;
    receiver.status = 500;
    auto options = instantly::mock::testing::test_options();
    options.webhook_retry_delays_ms = {60000, 60000, 60000};
    MockFixture mock(options);
    create_webhook(mock, Json::object({{"target_hook_url", receiver.url()}}));
    emit(mock, payload("email_sent"));
    auto flushed = mock.admin("POST", "/webhooks/flush", Json::object({{"timeout_ms", 200}}));
    CHECK(flushed.json.at("idle").as_bool() == false);  // a retry is a minute away
    mock.http().stop();  // else the server waits out our keep-alive connection
    auto started = std::chrono::steady_clock::now();
    mock.server().stop();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(receiver.received().size() == 1);
  }
}
