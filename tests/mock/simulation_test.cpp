// POST /__mock/send and the analytics computed from what it produced:
// exact counts with 0/1 rates, draft handling, daily/steps shapes, date
// filters, lead updates, webhook payloads, determinism per seed.
#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;
namespace collections = instantly::mock::collections;

namespace {

Json schedule() {
  return Json::object(
      {{"schedules", Json::array({Json::object({{"name", "Weekdays"},
                                                {"timing", Json::object({{"from", "09:00"}, {"to", "17:00"}})},
                                                {"days", Json::object({{"1", true}})},
                                                {"timezone", "America/Detroit"}})})}});
}

Json variant(const std::string& subject, const std::string& body, bool disabled = false) {
  Json v = Json::object({{"subject", subject}, {"body", body}});
  if (disabled) v.set("v_disabled", true);
  return v;
}

Json step(Json variants) {
  return Json::object({{"type", "email"}, {"delay", 1}, {"variants", std::move(variants)}});
}

/// A campaign whose step i has the one variant "Step i".
std::string create_campaign(MockFixture& mock, const std::string& name, int steps, bool activate = true) {
  Json list = Json::array();
  for (int i = 1; i <= steps; ++i) {
    list.push_back(step(Json::array({variant("Step " + std::to_string(i) + " for {{firstName}}", "Hello {{firstName}}")})));
  }
  Json body = Json::object({{"name", name},
                            {"campaign_schedule", schedule()},
                            {"email_list", Json::array({"sender@acme.test"})},
                            {"sequences", Json::array({Json::object({{"steps", std::move(list)}})})}});
  auto created = mock.post("/api/v2/campaigns", body);
  REQUIRE(created.status == 200);
  std::string id = created.json.at("id").as_string();
  if (activate) REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
  return id;
}

/// Stores leads the way /leads/add does (campaign, email, custom variables in `payload`).
std::vector<std::string> add_leads(MockFixture& mock, const std::string& campaign_id, int n,
                                   const std::string& prefix = "lead") {
  std::vector<std::string> ids;
  auto lock = mock.state().lock();
  for (int i = 0; i < n; ++i) {
    std::string id = mock.state().new_id();
    mock.state().collection(collections::kLeads).put(
        id, Json::object({{"id", id},
                          {"email", prefix + std::to_string(i) + "@example.org"},
                          {"campaign", campaign_id},
                          {"first_name", "Lead" + std::to_string(i)},
                          {"status", 1},
                          {"email_open_count", 0},
                          {"email_reply_count", 0},
                          {"email_click_count", 0},
                          {"payload", Json::object({{"tier", "gold"}, {"seats", 12}})}}));
    ids.push_back(id);
  }
  return ids;
}

Json rates(double opened, double clicked, double replied, double bounced = 0, double unsubscribed = 0,
           double auto_reply = 0) {
  return Json::object({{"opened", opened},
                       {"clicked", clicked},
                       {"replied", replied},
                       {"bounced", bounced},
                       {"unsubscribed", unsubscribed},
                       {"auto_reply", auto_reply}});
}

Json send(MockFixture& mock, Json body) {
  auto result = mock.admin("POST", "/send", body);
  REQUIRE(result.status == 200);
  return result.json;
}

std::int64_t count(const Json& summary, const char* type) { return summary.at("events").at(type).as_int(); }

/// The one analytics row of a campaign.
Json analytics_of(MockFixture& mock, const std::string& id) {
  auto result = mock.get("/api/v2/campaigns/analytics?id=" + id);
  REQUIRE(result.status == 200);
  REQUIRE(result.json.size() == 1);
  return result.json.at(0);
}

Json lead_record(MockFixture& mock, const std::string& id) {
  auto lock = mock.state().lock();
  return *mock.state().collection(collections::kLeads).find(id);
}

int campaign_status(MockFixture& mock, const std::string& id) {
  return static_cast<int>(mock.get("/api/v2/campaigns/" + id).json.at("status").as_double());
}

}  // namespace

TEST_SUITE("mock simulation") {
  TEST_CASE("with 0/1 rates the counts are exact, step by step, until the campaign completes") {
    MockFixture mock;
    std::string id = create_campaign(mock, "Exact", 2);
    add_leads(mock, id, 4);

    Json first = send(mock, Json::object({{"seed", 1}, {"rates", rates(1, 0, 0)}}));
    CHECK(count(first, "email_sent") == 4);
    CHECK(count(first, "email_opened") == 4);
    CHECK(count(first, "link_clicked") == 0);
    CHECK(count(first, "reply_received") == 0);
    CHECK(count(first, "campaign_completed") == 0);
    REQUIRE(first.at("campaigns").size() == 1);
    CHECK(first.at("campaigns").at(0).at("emails_sent").as_int() == 4);

    Json row = analytics_of(mock, id);
    CHECK(row.at("campaign_name").as_string() == "Exact");
    CHECK(row.at("campaign_status").as_int() == 1);
    CHECK(row.at("leads_count").as_int() == 4);
    CHECK(row.at("contacted_count").as_int() == 4);
    CHECK(row.at("emails_sent_count").as_int() == 4);
    CHECK(row.at("new_leads_contacted_count").as_int() == 4);
    CHECK(row.at("open_count").as_int() == 4);
    CHECK(row.at("reply_count").as_int() == 0);
    CHECK(row.at("link_click_count").as_int() == 0);
    CHECK(row.at("bounced_count").as_int() == 0);
    CHECK(row.at("unsubscribed_count").as_int() == 0);
    CHECK(row.at("completed_count").as_int() == 0);

    // The next run sends step 2 (the last), and the campaign completes.
    Json second = send(mock, Json::object({{"seed", 1}, {"rates", rates(1, 1, 0)}}));
    CHECK(count(second, "email_sent") == 4);
    CHECK(count(second, "link_clicked") == 4);
    CHECK(count(second, "campaign_completed") == 1);
    CHECK(second.at("campaigns").at(0).at("completed").as_bool());
    CHECK(campaign_status(mock, id) == 3);

    row = analytics_of(mock, id);
    CHECK(row.at("emails_sent_count").as_int() == 8);
    CHECK(row.at("contacted_count").as_int() == 4);  // leads, not emails
    CHECK(row.at("new_leads_contacted_count").as_int() == 4);
    CHECK(row.at("open_count").as_int() == 8);
    CHECK(row.at("open_count_unique").as_int() == 4);
    CHECK(row.at("open_count_unique_by_step").as_int() == 8);
    CHECK(row.at("link_click_count").as_int() == 4);
    CHECK(row.at("completed_count").as_int() == 4);

    // Nothing is left to send, and a completed campaign is no longer active.
    Json third = send(mock, Json::object({{"seed", 1}}));
    CHECK(count(third, "email_sent") == 0);
    CHECK(third.at("campaigns").empty());
  }

  TEST_CASE("replies and bounces update the leads and stop their sequence") {
    MockFixture mock;
    std::string replied_campaign = create_campaign(mock, "Replies", 3);
    auto replied = add_leads(mock, replied_campaign, 2, "r");
    std::string bounced_campaign = create_campaign(mock, "Bounces", 3);
    auto bounced = add_leads(mock, bounced_campaign, 3, "b");

    send(mock, Json::object({{"seed", 5}, {"campaign_id", replied_campaign}, {"rates", rates(1, 0, 1)}}));
    Json lead = lead_record(mock, replied[0]);
    CHECK(lead.at("email_open_count").as_int() == 1);
    CHECK(lead.at("email_reply_count").as_int() == 1);
    CHECK(lead.at("email_click_count").as_int() == 0);
    CHECK(lead.at("status").as_int() == 3);  // stop_on_reply is on by default
    CHECK(lead.at("email_replied_step").as_int() == 1);
    CHECK(lead.at("timestamp_last_reply").as_string().ends_with("Z"));
    CHECK(lead.at("timestamp_last_contact").as_string().ends_with("Z"));
    CHECK(lead.at("last_contacted_from").as_string() == "sender@acme.test");
    // Every lead replied at step 1, so the 3-step campaign is already done.
    CHECK(campaign_status(mock, replied_campaign) == 3);
    Json row = analytics_of(mock, replied_campaign);
    CHECK(row.at("reply_count").as_int() == 2);
    CHECK(row.at("reply_count_unique").as_int() == 2);
    CHECK(row.at("emails_sent_count").as_int() == 2);

    Json summary = send(mock, Json::object({{"seed", 5}, {"campaign_id", bounced_campaign}, {"rates", rates(1, 1, 1, 1)}}));
    CHECK(count(summary, "email_bounced") == 3);
    CHECK(count(summary, "email_opened") == 0);  // a bounced mail reaches nobody
    CHECK(count(summary, "campaign_completed") == 1);
    CHECK(lead_record(mock, bounced[1]).at("status").as_int() == -1);
    CHECK(analytics_of(mock, bounced_campaign).at("bounced_count").as_int() == 3);
  }

  TEST_CASE("analytics without ids omit drafts, with id or ids they include them") {
    MockFixture mock;
    std::string active = create_campaign(mock, "Active", 1);
    std::string paused = create_campaign(mock, "Paused", 1);
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + paused + "/pause").status == 200);
    std::string draft = create_campaign(mock, "Draft", 1, false);
    add_leads(mock, draft, 2);

    auto all = mock.get("/api/v2/campaigns/analytics");
    REQUIRE(all.status == 200);
    std::set<std::string> ids;
    for (const Json& row : all.json.as_array()) ids.insert(row.at("campaign_id").as_string());
    CHECK(ids == std::set<std::string>{active, paused});

    Json row = analytics_of(mock, draft);
    CHECK(row.at("campaign_status").as_int() == 0);
    CHECK(row.at("leads_count").as_int() == 2);
    CHECK(row.at("emails_sent_count").as_int() == 0);

    auto several = mock.get("/api/v2/campaigns/analytics?ids=" + draft + "&ids=" + active);
    REQUIRE(several.json.size() == 2);
    CHECK(several.json.at(0).at("campaign_id").as_string() == draft);
    CHECK(several.json.at(1).at("campaign_id").as_string() == active);

    CHECK(mock.get("/api/v2/campaigns/analytics?id=019a0000-0000-7000-8000-00000000dead").json.empty());
  }

  TEST_CASE("daily, steps and overview have the documented shapes and agree") {
    MockFixture mock;
    std::string id = create_campaign(mock, "Shapes", 2);
    add_leads(mock, id, 3);
    send(mock, Json::object({{"seed", 2}, {"rates", rates(1, 0, 0)}}));
    mock.admin("POST", "/clock/advance", Json::object({{"days", 1}}));
    send(mock, Json::object({{"seed", 2}, {"rates", rates(0, 1, 0)}}));
    std::string today = mock.admin("GET", "/clock").json.at("now").as_string().substr(0, 10);

    auto daily = mock.get("/api/v2/campaigns/analytics/daily?campaign_id=" + id);
    REQUIRE(daily.status == 200);
    REQUIRE(daily.json.size() == 2);  // one row per day with activity, oldest first
    const Json& day1 = daily.json.at(0);
    const Json& day2 = daily.json.at(1);
    CHECK(day2.at("date").as_string() == today);
    CHECK(day1.at("date").as_string() < day2.at("date").as_string());
    CHECK(day1.at("sent").as_int() == 3);
    CHECK(day1.at("contacted").as_int() == 3);
    CHECK(day1.at("new_leads_contacted").as_int() == 3);
    CHECK(day1.at("opened").as_int() == 3);
    CHECK(day1.at("clicks").as_int() == 0);
    CHECK(day2.at("sent").as_int() == 3);
    CHECK(day2.at("new_leads_contacted").as_int() == 0);  // step 2 reaches no new lead
    CHECK(day2.at("clicks").as_int() == 3);
    CHECK(day2.at("unique_clicks").as_int() == 3);

    auto steps = mock.get("/api/v2/campaigns/analytics/steps?campaign_id=" + id);
    REQUIRE(steps.status == 200);
    REQUIRE(steps.json.size() == 2);
    CHECK(steps.json.at(0).at("step").as_string() == "1");
    CHECK(steps.json.at(0).at("variant").as_string() == "0");  // variants count from 0 (A)
    CHECK(steps.json.at(0).at("sent").as_int() == 3);
    CHECK(steps.json.at(0).at("opened").as_int() == 3);
    CHECK(steps.json.at(1).at("step").as_string() == "2");
    CHECK(steps.json.at(1).at("clicks").as_int() == 3);
    CHECK(!steps.json.at(0).contains("opportunities"));
    auto with_opportunities = mock.get("/api/v2/campaigns/analytics/steps?include_opportunities_count=true");
    CHECK(with_opportunities.json.at(0).contains("opportunities"));

    auto overview = mock.get("/api/v2/campaigns/analytics/overview?id=" + id);
    REQUIRE(overview.status == 200);
    CHECK(overview.json.at("emails_sent_count").as_int() == 6);
    CHECK(overview.json.at("open_count").as_int() == 3);
    CHECK(overview.json.at("link_click_count").as_int() == 3);
    CHECK(overview.json.at("contacted_count").as_int() == 3);
  }

  TEST_CASE("start_date and end_date bound the events counted") {
    MockFixture mock;
    std::string id = create_campaign(mock, "Dates", 2);
    add_leads(mock, id, 2);
    send(mock, Json::object({{"seed", 3}, {"rates", rates(1, 0, 0)}}));
    std::string first_day = mock.admin("GET", "/clock").json.at("now").as_string().substr(0, 10);
    mock.admin("POST", "/clock/advance", Json::object({{"days", 2}}));
    send(mock, Json::object({{"seed", 3}, {"rates", rates(1, 0, 0)}}));
    std::string last_day = mock.admin("GET", "/clock").json.at("now").as_string().substr(0, 10);

    auto only_first = mock.get("/api/v2/campaigns/analytics?id=" + id + "&start_date=" + first_day + "&end_date=" + first_day);
    REQUIRE(only_first.status == 200);
    CHECK(only_first.json.at(0).at("emails_sent_count").as_int() == 2);
    auto only_last = mock.get("/api/v2/campaigns/analytics?id=" + id + "&start_date=" + last_day);
    CHECK(only_last.json.at(0).at("emails_sent_count").as_int() == 2);
    CHECK(only_last.json.at(0).at("leads_count").as_int() == 2);  // leads are not date-bound
    auto both = mock.get("/api/v2/campaigns/analytics?id=" + id + "&start_date=" + first_day + "T00:00:00.000Z");
    CHECK(both.json.at(0).at("emails_sent_count").as_int() == 4);

    CHECK(mock.get("/api/v2/campaigns/analytics?start_date=" + last_day + "&end_date=" + first_day).status == 400);
    CHECK(mock.get("/api/v2/campaigns/analytics?start_date=yesterday").status == 400);
  }

  TEST_CASE("the same seed after a reset gives the same results") {
    MockFixture mock;
    auto run_once = [&mock] {
      REQUIRE(mock.admin("POST", "/reset").status == 200);
      std::string id = create_campaign(mock, "Seeded", 3);
      add_leads(mock, id, 40);
      Json first = send(mock, Json::object({{"seed", 42}}));
      Json second = send(mock, Json::object({{"seed", 43}}));
      Json row = analytics_of(mock, id);
      row.erase("campaign_id");  // ids are time-based
      return std::vector<Json>{first.at("events"), second.at("events"), row};
    };
    auto a = run_once();
    auto b = run_once();
    CHECK(a == b);
    // Default rates over 40 leads: some opens, not all (the rates are really used).
    CHECK(a[0].at("email_sent").as_int() == 40);
    CHECK(a[0].at("email_opened").as_int() > 0);
    CHECK(a[0].at("email_opened").as_int() < 40);
    CHECK(a[0] != a[1]);
  }

  TEST_CASE("a variant is drawn per lead among the enabled ones") {
    MockFixture mock;
    Json body = Json::object(
        {{"name", "Variants"},
         {"campaign_schedule", schedule()},
         {"sequences", Json::array({Json::object({{"steps", Json::array({step(Json::array(
                                                                 {variant("A", "a"), variant("B", "b"),
                                                                  variant("C", "c", true)}))})}})})}});
    auto created = mock.post("/api/v2/campaigns", body);
    std::string id = created.json.at("id").as_string();
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
    add_leads(mock, id, 40);
    send(mock, Json::object({{"seed", 9}, {"rates", rates(0, 0, 0)}}));

    auto steps = mock.get("/api/v2/campaigns/analytics/steps?campaign_id=" + id);
    std::map<std::string, std::int64_t> sent;
    for (const Json& row : steps.json.as_array()) sent[row.at("variant").as_string()] = row.at("sent").as_int();
    CHECK(sent.size() == 2);
    CHECK(sent["0"] + sent["1"] == 40);
    CHECK(sent["0"] > 0);
    CHECK(sent["1"] > 0);
    CHECK(!sent.contains("2"));  // C is disabled
  }

  TEST_CASE("each event is published as the webhook payload Instantly sends") {
    MockFixture mock;
    std::mutex mutex;
    std::vector<Json> published;
    {
      auto lock = mock.state().lock();
      mock.state().set_event_listener([&](const Json& payload) {
        std::lock_guard guard(mutex);
        published.push_back(payload);
      });
    }
    std::string id = create_campaign(mock, "Hooks", 1);
    add_leads(mock, id, 1);
    send(mock, Json::object({{"seed", 4}, {"rates", rates(1, 1, 1)}}));

    std::lock_guard guard(mutex);
    std::map<std::string, Json> by_type;
    for (const Json& p : published) by_type[p.at("event_type").as_string()] = p;
    REQUIRE(by_type.size() == 5);
    for (const char* type : {"email_sent", "email_opened", "link_clicked", "reply_received", "campaign_completed"}) {
      REQUIRE(by_type.contains(type));
    }
    const Json& sent = by_type["email_sent"];
    CHECK(sent.at("workspace").as_string() == "019a0000-0000-7000-8000-000000000001");
    CHECK(sent.at("campaign_id").as_string() == id);
    CHECK(sent.at("campaign_name").as_string() == "Hooks");
    CHECK(sent.at("lead_email").as_string() == "lead0@example.org");
    CHECK(sent.at("email_account").as_string() == "sender@acme.test");
    CHECK(sent.at("step").as_int() == 1);
    CHECK(sent.at("variant").as_int() == 1);
    CHECK(sent.at("is_first").as_bool());
    CHECK(sent.at("email_subject").as_string() == "Step 1 for Lead0");  // variables filled in
    CHECK(sent.at("email_text").as_string() == "Hello Lead0");
    CHECK(sent.at("timestamp").as_string().ends_with("Z"));
    CHECK(sent.at("tier").as_string() == "gold");  // custom variables ride along
    CHECK(sent.at("seats").as_int() == 12);
    CHECK(by_type["link_clicked"].at("email_id") == sent.at("email_id"));

    const Json& reply = by_type["reply_received"];
    CHECK(reply.at("reply_subject").as_string() == "Re: Step 1 for Lead0");
    CHECK(!reply.at("reply_text").as_string().empty());
    CHECK(reply.at("reply_html").as_string().starts_with("<"));
    CHECK(reply.at("reply_text_snippet").as_string().size() <= 100);
    CHECK(reply.at("unibox_url").as_string().find("thread") != std::string::npos);
    // email_id is the received reply, so it can be answered with reply_to_uuid.
    auto received = mock.get("/api/v2/emails/" + reply.at("email_id").as_string());
    REQUIRE(received.status == 200);
    CHECK(received.json.at("ue_type").as_int() == 2);
    CHECK(received.json.at("from_address_email").as_string() == "lead0@example.org");

    CHECK(by_type["campaign_completed"].at("campaign_id").as_string() == id);
  }

  TEST_CASE("the send route checks what it is asked") {
    MockFixture mock;
    std::string draft = create_campaign(mock, "Draft", 1, false);
    auto not_active = mock.admin("POST", "/send", Json::object({{"campaign_id", draft}}));
    CHECK(not_active.status == 400);
    CHECK(not_active.json.at("message").as_string().find("not active") != std::string::npos);
    CHECK(mock.admin("POST", "/send", Json::object({{"campaign_id", "nope"}})).status == 404);
    CHECK(mock.admin("POST", "/send", Json::object({{"rates", Json::object({{"opened", 2}})}})).status == 400);
    CHECK(mock.admin("POST", "/send", Json::object({{"step", 0}})).status == 400);

    std::string active = create_campaign(mock, "Active", 2);
    add_leads(mock, active, 2);
    CHECK(mock.admin("POST", "/send", Json::object({{"campaign_id", active}, {"step", 3}})).status == 400);
    // An explicit step is sent once per lead.
    Json again = send(mock, Json::object({{"campaign_id", active}, {"step", 1}, {"seed", 1}}));
    CHECK(count(again, "email_sent") == 2);
    again = send(mock, Json::object({{"campaign_id", active}, {"step", 1}, {"seed", 1}}));
    CHECK(count(again, "email_sent") == 0);
  }
}
