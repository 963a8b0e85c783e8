// What a reconcile test needs from instantly-mock (issue #22): one instant per
// simulated step across the API's records and the webhook payloads, paused
// deliveries, payloads a disabled subscription skipped (logged, never
// delivered) and the late replay of every payload a subscription missed.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mock_fixture.hpp"
#include "webhook_receiver.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;
using instantly::mock::testing::Receiver;

// A named namespace around helpers and tests alike: other test files of the
// same unity batch have file-local helpers of the same names, which these hide.
namespace late_delivery {

std::string create_campaign(MockFixture& mock, const std::string& name, int steps) {
  Json list = Json::array();
  for (int i = 1; i <= steps; ++i) {
    list.push_back(Json::object(
        {{"type", "email"},
         {"delay", 1},
         {"variants", Json::array({Json::object({{"subject", "Step " + std::to_string(i) + " for {{firstName}}"},
                                                 {"body", "Hello {{firstName}}"}})})}}));
  }
  Json schedule = Json::object(
      {{"schedules", Json::array({Json::object({{"name", "Weekdays"},
                                                {"timing", Json::object({{"from", "09:00"}, {"to", "17:00"}})},
                                                {"days", Json::object({{"1", true}})},
                                                {"timezone", "America/Detroit"}})})}});
  auto created = mock.post("/api/v2/campaigns", Json::object({{"name", name},
                                                              {"campaign_schedule", schedule},
                                                              {"email_list", Json::array({"sender@acme.test"})},
                                                              {"sequences", Json::array({Json::object({{"steps", list}})})}}));
  REQUIRE(created.status == 200);
  std::string id = created.json.at("id").as_string();
  REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
  return id;
}

void add_leads(MockFixture& mock, const std::string& campaign_id, int n, const std::string& prefix) {
  Json leads = Json::array();
  for (int i = 0; i < n; ++i) {
    leads.push_back(Json::object({{"email", prefix + std::to_string(i) + "@example.org"},
                                  {"first_name", "Lead" + std::to_string(i)}}));
  }
  auto added = mock.post("/api/v2/leads/add", Json::object({{"campaign_id", campaign_id}, {"leads", leads}}));
  REQUIRE(added.status == 200);
}

Json rates(double opened, double clicked, double replied, double bounced, double unsubscribed, double auto_reply) {
  return Json::object({{"opened", opened},
                       {"clicked", clicked},
                       {"replied", replied},
                       {"bounced", bounced},
                       {"unsubscribed", unsubscribed},
                       {"auto_reply", auto_reply}});
}

void send(MockFixture& mock, const std::string& campaign_id, const Json& rates, int seed = 3) {
  auto sent = mock.admin("POST", "/send", Json::object({{"campaign_id", campaign_id}, {"seed", seed}, {"rates", rates}}));
  REQUIRE(sent.status == 200);
}

std::string subscribe(MockFixture& mock, const std::string& url, Json body = Json::object()) {
  body.set("target_hook_url", url);
  auto created = mock.post("/api/v2/webhooks", body);
  REQUIRE(created.status == 200);
  return created.json.at("id").as_string();
}

bool flush(MockFixture& mock) {
  auto result = mock.admin("POST", "/webhooks/flush", Json::object({{"timeout_ms", 10000}}));
  return result.status == 200 && result.json.at("idle").as_bool();
}

void emit(MockFixture& mock, const Json& payload) {
  REQUIRE(mock.admin("POST", "/webhooks/emit", payload).status == 200);
}

/// A payload told apart by `seq`.
Json numbered(int seq, const std::string& type = "email_opened") {
  return Json::object({{"timestamp", "2026-11-27T10:00:00.000Z"},
                       {"event_type", type},
                       {"workspace", "019a0000-0000-7000-8000-000000000001"},
                       {"campaign_id", "c0ffee00-0000-7000-8000-000000000001"},
                       {"lead_email", "lead" + std::to_string(seq) + "@example.org"},
                       {"seq", seq}});
}

/// The mock's delivery log of one subscription, skipped payloads included.
std::vector<Json> deliveries(MockFixture& mock, const std::string& webhook_id) {
  auto log = mock.admin("GET", "/webhooks/deliveries?include_skipped=true&webhook_id=" + webhook_id);
  REQUIRE(log.status == 200);
  return log.json.at("deliveries").as_array();
}

std::int64_t webhook_event_count(MockFixture& mock) {
  auto summary = mock.get("/api/v2/webhook-events/summary");
  REQUIRE(summary.status == 200);
  return summary.json.at("total_events").as_int();
}

std::vector<Json> bodies(const std::vector<instantly::mock::testing::Received>& received) {
  std::vector<Json> out;
  for (const auto& r : received) out.push_back(Json::parse(r.body));
  return out;
}

std::vector<std::int64_t> seqs(const std::vector<Json>& payloads) {
  std::vector<std::int64_t> out;
  for (const auto& p : payloads) out.push_back(p.at("seq").as_int());
  return out;
}

/// Every lead of a campaign, through the body cursor of POST /leads/list.
std::vector<Json> campaign_leads(MockFixture& mock, const std::string& campaign_id) {
  std::vector<Json> leads;
  Json body = Json::object({{"campaign", campaign_id}, {"limit", 100}});
  for (int guard = 0; guard < 100; ++guard) {
    auto page = mock.post("/api/v2/leads/list", body);
    REQUIRE(page.status == 200);
    for (const auto& lead : page.json.at("items").as_array()) leads.push_back(lead);
    const Json* next = page.json.find("next_starting_after");
    if (!next || !next->is_string()) break;
    body.set("starting_after", *next);
  }
  return leads;
}

/// Every email GET /emails?<query> lists, through its cursor.
std::vector<Json> list_emails(MockFixture& mock, const std::string& query) {
  std::vector<Json> emails;
  std::string cursor;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = mock.get("/api/v2/emails?limit=100&" + query + cursor);
    REQUIRE(page.status == 200);
    for (const auto& email : page.json.at("items").as_array()) emails.push_back(email);
    const Json* next = page.json.find("next_starting_after");
    if (!next || !next->is_string()) break;
    cursor = "&starting_after=" + next->as_string();
  }
  return emails;
}

TEST_SUITE("mock late delivery") {
  TEST_CASE("a clock freeze holds the simulated time, nested freezes keep the outer instant") {
    instantly::mock::State state;
    std::int64_t frozen = 0;
    {
      instantly::mock::State::ClockFreeze freeze(state);
      frozen = state.now_ms();
      CHECK(freeze.ms() == frozen);
      std::string first = state.new_id();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the wall clock moves on
      CHECK(state.now_ms() == frozen);
      CHECK(state.now_iso() == instantly::mock::State::iso8601(frozen));
      {
        instantly::mock::State::ClockFreeze inner(state);
        CHECK(state.now_ms() == frozen);
      }
      CHECK(state.now_ms() == frozen);
      CHECK(state.new_id() > first);  // ids still increase
      state.advance(1000);
      CHECK(state.now_ms() == frozen + 1000);
    }
    CHECK(state.now_ms() >= frozen + 1000 + 5);  // running again
  }

  TEST_CASE("one step of one lead carries one instant in its payloads, lead fields and emails") {
    Receiver receiver;
    MockFixture mock;
    subscribe(mock, receiver.url("/all"));
    // Many leads: without one instant per step, a step's clock reads would straddle millisecond ticks.
    std::string engaged = create_campaign(mock, "Engaged", 2);
    add_leads(mock, engaged, 60, "e");
    std::string bounced = create_campaign(mock, "Bounced", 2);
    add_leads(mock, bounced, 20, "b");
    std::string unsubscribed = create_campaign(mock, "Unsubscribed", 2);
    add_leads(mock, unsubscribed, 20, "u");
    send(mock, engaged, rates(1, 1, 1, 0, 0, 1));
    send(mock, bounced, rates(1, 1, 1, 1, 0, 0));
    send(mock, unsubscribed, rates(0, 0, 0, 0, 1, 0));
    REQUIRE(flush(mock));

    std::map<std::pair<std::string, std::string>, Json> by_lead_and_type;
    for (const Json& p : bodies(receiver.received_at("/all"))) {
      const Json* lead = p.find("lead_email");
      if (!lead) continue;  // campaign_completed
      CHECK(by_lead_and_type.emplace(std::make_pair(lead->as_string(), p.at("event_type").as_string()), p).second);
    }
    auto payload = [&](const Json& lead, const char* type) -> const Json& {
      auto it = by_lead_and_type.find({lead.at("email").as_string(), type});
      REQUIRE_MESSAGE(it != by_lead_and_type.end(), lead.at("email").as_string() << " has no " << type);
      return it->second;
    };
    auto ts = [](const Json& record, const char* field) { return record.at(field).as_string(); };

    auto engaged_leads = campaign_leads(mock, engaged);
    REQUIRE(engaged_leads.size() == 60);
    for (const Json& lead : engaged_leads) {
      CAPTURE(lead.dump());
      const Json& sent = payload(lead, "email_sent");
      const Json& opened = payload(lead, "email_opened");
      const Json& clicked = payload(lead, "link_clicked");
      const Json& replied = payload(lead, "reply_received");
      const Json& auto_replied = payload(lead, "auto_reply_received");
      CHECK(ts(lead, "timestamp_last_contact") == ts(sent, "timestamp"));
      CHECK(ts(lead, "timestamp_last_open") == ts(opened, "timestamp"));
      CHECK(ts(lead, "timestamp_last_click") == ts(clicked, "timestamp"));
      CHECK(ts(lead, "timestamp_last_reply") == ts(replied, "timestamp"));
      CHECK(ts(lead, "timestamp_last_touch") == ts(auto_replied, "timestamp"));
      CHECK(ts(opened, "timestamp") == ts(sent, "timestamp"));  // one step, one instant
      CHECK(ts(replied, "timestamp") == ts(sent, "timestamp"));
      CHECK(lead.at("email_open_count").as_int() == 1);
      CHECK(lead.at("email_click_count").as_int() == 1);
      CHECK(lead.at("email_reply_count").as_int() == 1);  // auto replies do not count
      CHECK(lead.at("email_opened_step") == opened.at("step"));
      CHECK(lead.at("email_opened_variant") == opened.at("variant"));
      CHECK(lead.at("email_clicked_step") == clicked.at("step"));
      CHECK(lead.at("email_clicked_variant") == clicked.at("variant"));
      CHECK(lead.at("email_replied_step") == replied.at("step"));
      CHECK(lead.at("email_replied_variant") == replied.at("variant"));
      CHECK(lead.at("last_step_id").as_string() == engaged + "_0_0");
      CHECK(lead.at("last_contacted_from") == sent.at("email_account"));
      CHECK(lead.at("status").as_int() == 3);  // stop_on_reply

      auto sent_email = mock.get("/api/v2/emails/" + sent.at("email_id").as_string());
      REQUIRE(sent_email.status == 200);
      CHECK(ts(sent_email.json, "timestamp_email") == ts(sent, "timestamp"));
    }

    // The replies, auto replies included, as the received emails of the campaign.
    auto received = list_emails(mock, "campaign_id=" + engaged + "&email_type=received");
    REQUIRE(received.size() == 120);
    std::map<std::string, Json> received_by_id;
    std::string earliest = "9";
    std::string latest;
    for (const Json& email : received) {
      CHECK(email.at("ue_type").as_int() == 2);
      received_by_id[email.at("id").as_string()] = email;
      earliest = std::min(earliest, ts(email, "timestamp_created"));
      latest = std::max(latest, ts(email, "timestamp_created"));
    }
    for (const Json& lead : engaged_leads) {
      for (const char* type : {"reply_received", "auto_reply_received"}) {
        const Json& reply = payload(lead, type);
        CAPTURE(reply.dump());
        auto it = received_by_id.find(reply.at("email_id").as_string());  // the reply's own id
        REQUIRE(it != received_by_id.end());
        const Json& email = it->second;
        CHECK(ts(email, "timestamp_email") == ts(reply, "timestamp"));
        CHECK(ts(email, "timestamp_created") == ts(reply, "timestamp"));
        CHECK(email.at("step").as_string() == std::to_string(reply.at("step").as_int()));
        CHECK(email.at("is_auto_reply").as_int() == (std::string(type) == "auto_reply_received" ? 1 : 0));
        CHECK(email.at("eaccount") == reply.at("email_account"));
        CHECK(email.at("lead") == reply.at("lead_email"));
        CHECK(email.at("campaign_id").as_string() == engaged);
      }
    }
    CHECK(list_emails(mock, "campaign_id=" + engaged + "&email_type=sent").size() == 60);
    std::string window = "campaign_id=" + engaged + "&email_type=received&min_timestamp_created=" + earliest +
                         "&max_timestamp_created=" + latest;
    CHECK(list_emails(mock, window).size() == 120);
    auto at_earliest = static_cast<std::size_t>(std::count_if(
        received.begin(), received.end(), [&](const Json& e) { return ts(e, "timestamp_created") == earliest; }));
    CHECK(list_emails(mock, "campaign_id=" + engaged + "&email_type=received&max_timestamp_created=" + earliest).size() ==
          at_earliest);
    REQUIRE(mock.admin("POST", "/clock/advance", Json::object({{"seconds", 60}})).status == 200);
    std::string later = mock.admin("GET", "/clock").json.at("now").as_string();
    CHECK(list_emails(mock, "campaign_id=" + engaged + "&email_type=received&min_timestamp_created=" + later).empty());

    // Bounces and unsubscribes have no timestamp of their own: timestamp_last_touch dates them.
    auto bounced_leads = campaign_leads(mock, bounced);
    REQUIRE(bounced_leads.size() == 20);
    for (const Json& lead : bounced_leads) {
      CAPTURE(lead.dump());
      CHECK(lead.at("status").as_int() == -1);
      CHECK(ts(lead, "timestamp_last_touch") == ts(payload(lead, "email_bounced"), "timestamp"));
      CHECK(lead.at("email_open_count").as_int() == 0);
    }
    auto unsubscribed_leads = campaign_leads(mock, unsubscribed);
    REQUIRE(unsubscribed_leads.size() == 20);
    for (const Json& lead : unsubscribed_leads) {
      CAPTURE(lead.dump());
      CHECK(lead.at("status").as_int() == -2);
      CHECK(ts(lead, "timestamp_last_touch") == ts(payload(lead, "lead_unsubscribed"), "timestamp"));
    }
  }

  TEST_CASE("paused deliveries are held, first attempts and retries, and released in order") {
    Receiver receiver;
    MockFixture mock;
    std::string id = subscribe(mock, receiver.url("/hook"));

    auto paused = mock.admin("POST", "/webhooks/pause", Json::object({{"paused", true}}));
    REQUIRE(paused.status == 200);
    CHECK(paused.json.at("paused").as_bool());
    CHECK(paused.json.at("held").as_int() == 0);
    for (int seq = 0; seq < 5; ++seq) emit(mock, numbered(seq));
    auto state = mock.admin("GET", "/webhooks/pause");
    CHECK(state.json.at("paused").as_bool());
    CHECK(state.json.at("held").as_int() == 5);
    // Flushing would wait for ever: it says why instead.
    auto refused = mock.admin("POST", "/webhooks/flush", Json::object({{"timeout_ms", 10000}}));
    CHECK(refused.status == 409);
    CHECK(refused.json.at("message").as_string().find("paused") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // time enough to deliver, were it not paused
    CHECK(receiver.received().empty());
    CHECK(deliveries(mock, id).empty());
    CHECK(webhook_event_count(mock) == 0);

    auto released = mock.admin("POST", "/webhooks/pause", Json::object({{"paused", false}}));
    REQUIRE(released.status == 200);
    CHECK_FALSE(released.json.at("paused").as_bool());
    REQUIRE(flush(mock));
    CHECK(seqs(bodies(receiver.received())) == std::vector<std::int64_t>{0, 1, 2, 3, 4});
    CHECK(deliveries(mock, id).size() == 5);

    // A retry waits too: pause once the first attempt failed, and nothing more goes out.
    REQUIRE(mock.admin("POST", "/webhooks/retry-delays", Json::object({{"delays_ms", Json::array({50, 50, 50})}})).status ==
            200);
    receiver.status = 503;
    emit(mock, numbered(5));
    REQUIRE(receiver.wait_for(6));
    REQUIRE(mock.admin("POST", "/webhooks/pause", Json::object({{"paused", true}})).status == 200);
    std::size_t attempts = receiver.received().size();  // the attempt on the wire ended before pause answered
    CHECK(deliveries(mock, id).size() == attempts);
    // 5 earlier deliveries, then 1 to 4 attempts of this one: unless all 4 were made, a retry waits.
    const bool retry_held = attempts < 5 + 4;
    CHECK(mock.admin("GET", "/webhooks/pause").json.at("held").as_int() == (retry_held ? 1 : 0));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // several retry delays
    CHECK(receiver.received().size() == attempts);
    receiver.status = 200;
    REQUIRE(mock.admin("POST", "/webhooks/pause", Json::object({{"paused", false}})).status == 200);
    REQUIRE(flush(mock));
    auto log = deliveries(mock, id);
    REQUIRE(!log.empty());
    CHECK(log.back().at("success").as_bool() == retry_held);
    CHECK(mock.admin("GET", "/webhooks/pause").json.at("held").as_int() == 0);

    CHECK(mock.admin("POST", "/webhooks/pause", Json::object({{"paused", "yes"}})).status == 400);
    // A reset releases the pause.
    REQUIRE(mock.admin("POST", "/webhooks/pause", Json::object({{"paused", true}})).status == 200);
    REQUIRE(mock.admin("POST", "/reset").status == 200);
    CHECK_FALSE(mock.admin("GET", "/webhooks/pause").json.at("paused").as_bool());
  }

  TEST_CASE("a disabled subscription's payloads are logged as skipped, never delivered") {
    Receiver down;
    Receiver up;
    down.status = 500;
    MockFixture mock;
    REQUIRE(mock.admin("POST", "/webhooks/retry-delays", Json::object({{"delays_ms", Json::array({30})}})).status == 200);
    std::string id = subscribe(mock, down.url("/down"));
    std::string other_type = subscribe(mock, down.url("/replies"), Json::object({{"event_type", "reply_received"}}));
    std::string mirror = subscribe(mock, up.url("/up"));

    // Two payloads fail at once; the first one's last retry disables the subscription, so the
    // second one's retry is skipped.
    emit(mock, numbered(0));
    emit(mock, numbered(1));
    REQUIRE(flush(mock));
    auto webhook = mock.get("/api/v2/webhooks/" + id).json;
    CHECK(webhook.at("status").as_int() == -1);
    // Disabled: the next ones are skipped.
    emit(mock, numbered(2));
    emit(mock, numbered(3));
    REQUIRE(flush(mock));

    CHECK(up.count("/up") == 4);
    CHECK(down.count("/down") == 3);  // 0 twice, 1 once
    CHECK(down.count("/replies") == 0);

    auto log = deliveries(mock, id);
    REQUIRE(log.size() == 6);  // 0: two attempts; 1: an attempt and a skipped retry; 2, 3: skipped
    std::map<std::int64_t, std::vector<Json>> by_seq;
    for (const Json& entry : log) by_seq[entry.at("payload").at("seq").as_int()].push_back(entry);
    REQUIRE(by_seq[0].size() == 2);
    CHECK_FALSE(by_seq[0].back().at("skipped").as_bool());
    CHECK_FALSE(by_seq[0].back().at("will_retry").as_bool());
    CHECK(by_seq[0].back().at("status_code").as_int() == 500);
    REQUIRE(by_seq[1].size() == 2);
    CHECK(by_seq[1].at(0).at("will_retry").as_bool());
    CHECK(by_seq[1].at(1).at("skipped").as_bool());
    CHECK(by_seq[1].at(1).at("attempt").as_int() == 2);
    CHECK(by_seq[1].at(0).at("group_id") == by_seq[1].at(1).at("group_id"));
    for (std::int64_t seq : {2, 3}) {
      REQUIRE(by_seq[seq].size() == 1);
      const Json& skipped = by_seq[seq].at(0);
      CHECK(skipped.at("skipped").as_bool());
      CHECK_FALSE(skipped.at("success").as_bool());
      CHECK(skipped.at("error").as_string() == "subscription disabled");
      CHECK(skipped.at("attempt").as_int() == 1);
      CHECK(skipped.at("webhook_event_id").is_null());
      CHECK(skipped.at("headers") == Json::object());
      CHECK(skipped.at("url").as_string() == down.url("/down"));
      CHECK(skipped.at("payload") == numbered(static_cast<int>(seq)));
    }
    // By default the log lists attempts only, what went on the wire.
    auto attempts = mock.admin("GET", "/webhooks/deliveries?webhook_id=" + id).json.at("deliveries");
    REQUIRE(attempts.size() == 3);
    for (const Json& attempt : attempts.as_array()) CHECK_FALSE(attempt.at("skipped").as_bool());
    CHECK(mock.admin("GET", "/webhooks/deliveries?include_skipped=yes").status == 400);
    // A subscription for other event types skips nothing; the API's log has the attempts only.
    CHECK(deliveries(mock, other_type).empty());
    CHECK(webhook_event_count(mock) == 3 + 4);
    auto retried = mock.get("/api/v2/webhook-events?success=false&limit=100").json.at("items");
    for (const Json& event : retried.as_array()) {
      if (event.at("retry_group_id") == by_seq[1].at(0).at("group_id")) CHECK(event.at("retry_successful") == Json(false));
    }

    // Resumed, it receives again, and stops skipping.
    down.status = 200;
    REQUIRE(mock.post_empty("/api/v2/webhooks/" + id + "/resume").status == 200);
    emit(mock, numbered(4));
    REQUIRE(flush(mock));
    CHECK(down.count("/down") == 4);
    CHECK(deliveries(mock, id).back().at("success").as_bool());
  }

  TEST_CASE("replay sends each failed or skipped payload once more, late, in order, to the current target") {
    Receiver receiver;
    MockFixture mock;
    REQUIRE(mock.admin("POST", "/webhooks/retry-delays", Json::object({{"delays_ms", Json::array({20})}})).status == 200);
    std::string id = subscribe(mock, receiver.url("/early"), Json::object({{"headers", Json::object({{"X-Secret", "old"}})}}));

    emit(mock, numbered(0));  // delivered: never replayed
    REQUIRE(flush(mock));
    receiver.status = 503;  // the receiver goes down
    emit(mock, numbered(1));  // fails twice, disables the subscription
    REQUIRE(flush(mock));
    REQUIRE(mock.get("/api/v2/webhooks/" + id).json.at("status").as_int() == -1);
    emit(mock, numbered(2));  // skipped
    emit(mock, numbered(3));  // skipped
    REQUIRE(flush(mock));
    REQUIRE(receiver.count("/early") == 3);
    std::int64_t api_events = webhook_event_count(mock);

    // Back up, at a new address with a new secret; still disabled.
    receiver.status = 200;
    REQUIRE(mock.patch("/api/v2/webhooks/" + id, Json::object({{"target_hook_url", receiver.url("/late")},
                                                                 {"headers", Json::object({{"X-Secret", "new"}})}}))
                .status == 200);
    auto replayed = mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", id}}));
    REQUIRE(replayed.status == 200);
    CHECK(replayed.json.at("replayed").as_int() == 3);
    REQUIRE(flush(mock));

    auto late = receiver.received_at("/late");
    CHECK(seqs(bodies(late)) == std::vector<std::int64_t>{1, 2, 3});
    for (const auto& r : late) CHECK(r.header("X-Secret") == "new");
    CHECK(bodies(late).at(1) == numbered(2));  // verbatim
    auto log = deliveries(mock, id);
    REQUIRE(log.size() >= 3);
    for (std::size_t i = log.size() - 3; i < log.size(); ++i) {
      CHECK(log[i].at("replay").as_bool());
      CHECK(log[i].at("success").as_bool());
      CHECK(log[i].at("webhook_event_id").is_null());
      CHECK(log[i].at("url").as_string() == receiver.url("/late"));
    }
    CHECK(webhook_event_count(mock) == api_events);  // not webhook events of the API
    CHECK(mock.get("/api/v2/webhooks/" + id).json.at("status").as_int() == -1);  // replay does not resume

    // Delivered now: nothing more to replay.
    CHECK(mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", id}})).json.at("replayed").as_int() == 0);
    REQUIRE(flush(mock));
    CHECK(receiver.count("/late") == 3);

    // A failed replay is not retried, and can be replayed again; a paused replay is held.
    emit(mock, numbered(4));  // skipped
    REQUIRE(flush(mock));
    receiver.status = 500;
    CHECK(mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", id}})).json.at("replayed").as_int() == 1);
    REQUIRE(flush(mock));
    CHECK(receiver.count("/late") == 4);
    CHECK_FALSE(deliveries(mock, id).back().at("success").as_bool());
    receiver.status = 200;
    REQUIRE(mock.admin("POST", "/webhooks/pause", Json::object({{"paused", true}})).status == 200);
    CHECK(mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", id}})).json.at("replayed").as_int() == 1);
    // Queued once: asking again while it waits adds nothing.
    CHECK(mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", id}})).json.at("replayed").as_int() == 0);
    CHECK(mock.admin("GET", "/webhooks/pause").json.at("held").as_int() == 1);
    REQUIRE(mock.admin("POST", "/webhooks/pause", Json::object({{"paused", false}})).status == 200);
    REQUIRE(flush(mock));
    CHECK(seqs(bodies(receiver.received_at("/late"))) == std::vector<std::int64_t>{1, 2, 3, 4, 4});
    CHECK(deliveries(mock, id).back().at("success").as_bool());

    CHECK(mock.admin("POST", "/webhooks/replay", Json::object()).status == 400);
    CHECK(mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", "nope"}})).status == 404);
  }

  TEST_CASE("every event of a send reaches a receiver that was down, once replayed") {
    Receiver down;
    Receiver up;
    down.status = 503;
    MockFixture mock;
    REQUIRE(mock.admin("POST", "/webhooks/retry-delays", Json::object({{"delays_ms", Json::array({10})}})).status == 200);
    std::string id = subscribe(mock, down.url("/down"));
    subscribe(mock, up.url("/up"));  // what was published, as delivered to a healthy receiver
    std::string campaign = create_campaign(mock, "Down", 2);
    add_leads(mock, campaign, 10, "d");

    send(mock, campaign, rates(0.5, 0.3, 0.2, 0.1, 0.1, 0.1), 11);
    REQUIRE(flush(mock));
    REQUIRE(mock.get("/api/v2/webhooks/" + id).json.at("status").as_int() == -1);
    send(mock, campaign, rates(0.5, 0.3, 0.2, 0.1, 0.1, 0.1), 12);
    REQUIRE(flush(mock));
    std::size_t failed_attempts = down.received().size();
    std::size_t published = up.count("/up");
    REQUIRE(published > 10);

    down.status = 200;
    auto replayed = mock.admin("POST", "/webhooks/replay", Json::object({{"webhook_id", id}}));
    REQUIRE(replayed.status == 200);
    CHECK(static_cast<std::size_t>(replayed.json.at("replayed").as_int()) == published);
    REQUIRE(flush(mock));
    auto all = down.received();
    REQUIRE(all.size() == failed_attempts + published);
    std::multiset<std::string> late;
    std::multiset<std::string> expected;
    for (std::size_t i = failed_attempts; i < all.size(); ++i) late.insert(all[i].body);
    for (const auto& r : up.received()) expected.insert(r.body);
    CHECK(late == expected);
  }
}

}  // namespace late_delivery
