// Campaign records over HTTP: create/get/patch/delete, status transitions,
// duplicate, listing with cursor pagination and filters, sending status.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;
namespace collections = instantly::mock::collections;

namespace {

Json weekday_schedule() {
  return Json::object(
      {{"schedules", Json::array({Json::object({{"name", "Weekdays"},
                                                {"timing", Json::object({{"from", "09:00"}, {"to", "17:00"}})},
                                                {"days", Json::object({{"1", true}, {"2", true}, {"3", true}})},
                                                {"timezone", "America/Detroit"}})})}});
}

Json campaign_body(const std::string& name) {
  return Json::object(
      {{"name", name},
       {"campaign_schedule", weekday_schedule()},
       {"daily_limit", 25},
       {"email_list", Json::array({"a@send.test", "b@send.test"})},
       {"sequences", Json::array({Json::object({{"steps", Json::array({Json::object(
                                                    {{"type", "email"},
                                                     {"delay", 2},
                                                     {"variants", Json::array({Json::object(
                                                                      {{"subject", "Hi"}, {"body", "Hello"}})})}})})}})})}});
}

std::string create_campaign_named(MockFixture& mock, const std::string& name) {
  auto created = mock.post("/api/v2/campaigns", campaign_body(name));
  REQUIRE(created.status == 200);
  return created.json.at("id").as_string();
}

void add_lead(MockFixture& mock, const std::string& campaign_id, const std::string& email) {
  auto lock = mock.state().lock();
  std::string id = mock.state().new_id();
  mock.state().collection(collections::kLeads).put(
      id, Json::object({{"id", id}, {"email", email}, {"campaign", campaign_id}, {"status", 1}}));
}

int status_of(const instantly::mock::testing::HttpResult& result) {
  return static_cast<int>(result.json.at("status").as_double());
}

}  // namespace

TEST_SUITE("mock campaigns") {
  TEST_CASE("a new campaign is a draft that keeps every field it was created with") {
    MockFixture mock;
    auto created = mock.post("/api/v2/campaigns", campaign_body("Launch"));
    REQUIRE(created.status == 200);
    const Json& c = created.json;
    CHECK(status_of(created) == 0);
    CHECK(c.at("name").as_string() == "Launch");
    CHECK(c.at("daily_limit").as_int() == 25);
    CHECK(c.at("email_list").size() == 2);
    CHECK(c.at("campaign_schedule") == weekday_schedule());
    CHECK(c.at("sequences").at(0).at("steps").at(0).at("variants").at(0).at("subject").as_string() == "Hi");
    CHECK(!c.at("id").as_string().empty());
    CHECK(c.at("timestamp_created").as_string().ends_with("Z"));
    CHECK(c.at("organization").as_string() == "019a0000-0000-7000-8000-000000000001");

    auto fetched = mock.get("/api/v2/campaigns/" + c.at("id").as_string());
    CHECK(fetched.status == 200);
    CHECK(fetched.json == c);
  }

  TEST_CASE("an unknown campaign id is 404 on every per-campaign operation") {
    MockFixture mock;
    const std::string path = "/api/v2/campaigns/019a0000-0000-7000-8000-00000000dead";
    CHECK(mock.get(path).status == 404);
    CHECK(mock.patch(path, Json::object({{"name", "x"}})).status == 404);
    CHECK(mock.del(path).status == 404);
    CHECK(mock.post_empty(path + "/activate").status == 404);
    CHECK(mock.post_empty(path + "/pause").status == 404);
    CHECK(mock.post(path + "/duplicate", Json::object({{"name", "x"}})).status == 404);
    auto status = mock.get(path + "/sending-status");
    CHECK(status.status == 404);
    CHECK(status.json.at("message").as_string().find("not found") != std::string::npos);
  }

  TEST_CASE("PATCH merges fields, replaces email_list and clears with null") {
    MockFixture mock;
    std::string id = create_campaign_named(mock, "Before");
    std::string created_at = mock.get("/api/v2/campaigns/" + id).json.at("timestamp_updated").as_string();
    mock.admin("POST", "/clock/advance", Json::object({{"seconds", 60}}));

    auto patched = mock.patch("/api/v2/campaigns/" + id,
                              Json::object({{"name", "After"},
                                            {"email_list", Json::array({"c@send.test"})},
                                            {"daily_limit", nullptr}}));
    REQUIRE(patched.status == 200);
    CHECK(patched.json.at("name").as_string() == "After");
    CHECK(patched.json.at("email_list") == Json::array({"c@send.test"}));
    CHECK(patched.json.at("daily_limit").is_null());
    CHECK(patched.json.at("campaign_schedule") == weekday_schedule());  // untouched
    CHECK(patched.json.at("timestamp_updated").as_string() > created_at);
    CHECK(mock.get("/api/v2/campaigns/" + id).json == patched.json);
  }

  TEST_CASE("DELETE answers the deleted campaign and forgets it") {
    MockFixture mock;
    std::string keep = create_campaign_named(mock, "Keep");
    std::string gone = create_campaign_named(mock, "Gone");
    auto deleted = mock.del("/api/v2/campaigns/" + gone);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.json.at("id").as_string() == gone);
    CHECK(deleted.json.at("name").as_string() == "Gone");
    CHECK(mock.get("/api/v2/campaigns/" + gone).status == 404);
    CHECK(mock.del("/api/v2/campaigns/" + gone).status == 404);
    auto listed = mock.get("/api/v2/campaigns");
    REQUIRE(listed.json.at("items").size() == 1);
    CHECK(listed.json.at("items").at(0).at("id").as_string() == keep);
  }

  TEST_CASE("DELETE takes the campaign's leads with it: re-adding their emails elsewhere is not a duplicate") {
    MockFixture mock;
    std::string gone = create_campaign_named(mock, "Gone");
    auto body = [](const std::string& campaign) {
      return Json::object({{"campaign_id", campaign},
                           {"leads", Json::array({Json::object({{"email", "shop@example.com"}})})},
                           {"skip_if_in_workspace", true}});
    };
    REQUIRE(mock.post("/api/v2/leads/add", body(gone)).json.at("leads_uploaded").as_int() == 1);
    REQUIRE(mock.del("/api/v2/campaigns/" + gone).status == 200);
    auto listed = mock.post("/api/v2/leads/list", Json::object({{"campaign", gone}}));
    CHECK(listed.json.at("items").size() == 0);
    std::string next = create_campaign_named(mock, "Next");
    auto again = mock.post("/api/v2/leads/add", body(next));
    CHECK(again.json.at("leads_uploaded").as_int() == 1);
    CHECK(again.json.at("skipped_count").as_int() == 0);
  }

  TEST_CASE("activate and pause move a campaign between draft, active and paused") {
    MockFixture mock;
    std::string id = create_campaign_named(mock, "Flow");
    const std::string base = "/api/v2/campaigns/" + id;

    auto paused_draft = mock.post_empty(base + "/pause");
    CHECK(paused_draft.status == 400);
    CHECK(paused_draft.json.at("message").as_string().find("draft") != std::string::npos);
    CHECK(status_of(mock.get(base)) == 0);

    auto active = mock.post_empty(base + "/activate");
    REQUIRE(active.status == 200);
    CHECK(status_of(active) == 1);
    CHECK(status_of(mock.post_empty(base + "/activate")) == 1);  // already active: no change

    auto paused = mock.post_empty(base + "/pause");
    REQUIRE(paused.status == 200);
    CHECK(status_of(paused) == 2);
    CHECK(status_of(mock.get(base)) == 2);

    auto resumed = mock.post_empty(base + "/activate");
    CHECK(status_of(resumed) == 1);
  }

  TEST_CASE("a campaign without schedules cannot be activated") {
    MockFixture mock;
    std::string id = create_campaign_named(mock, "No schedule");
    {
      // The API itself never stores such a campaign through POST/PATCH, but
      // drafts can come back with `campaign_schedule: {}`.
      auto lock = mock.state().lock();
      mock.state().collection(collections::kCampaigns).find(id)->set("campaign_schedule", Json::object());
    }
    auto result = mock.post_empty("/api/v2/campaigns/" + id + "/activate");
    CHECK(result.status == 400);
    CHECK(result.json.at("message").as_string().find("schedule") != std::string::npos);
    CHECK(status_of(mock.get("/api/v2/campaigns/" + id)) == 0);
  }

  TEST_CASE("duplicate makes a new draft named '(copy)' unless a name is given") {
    MockFixture mock;
    std::string id = create_campaign_named(mock, "Original");
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);

    auto copy = mock.post("/api/v2/campaigns/" + id + "/duplicate", Json::object());
    REQUIRE(copy.status == 200);
    CHECK(copy.json.at("name").as_string() == "Original (copy)");
    CHECK(status_of(copy) == 0);
    CHECK(copy.json.at("id").as_string() != id);
    CHECK(copy.json.at("sequences") == mock.get("/api/v2/campaigns/" + id).json.at("sequences"));

    auto named = mock.post("/api/v2/campaigns/" + id + "/duplicate", Json::object({{"name", "Second wave"}}));
    CHECK(named.json.at("name").as_string() == "Second wave");
    CHECK(mock.get("/api/v2/campaigns").json.at("items").size() == 3);
    CHECK(status_of(mock.get("/api/v2/campaigns/" + id)) == 1);  // the source is untouched
  }

  TEST_CASE("listing pages with limit and starting_after, the last short page has no cursor") {
    MockFixture mock;
    std::vector<std::string> created;
    for (int i = 0; i < 25; ++i) created.push_back(create_campaign_named(mock, "Campaign " + std::to_string(i)));

    std::vector<std::string> seen;
    std::vector<std::size_t> sizes;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
      auto result = mock.get("/api/v2/campaigns?limit=10" + (cursor.empty() ? "" : "&starting_after=" + cursor));
      REQUIRE(result.status == 200);
      const Json& items = result.json.at("items");
      sizes.push_back(items.size());
      for (const Json& item : items.as_array()) seen.push_back(item.at("id").as_string());
      const Json* next = result.json.find("next_starting_after");
      if (!next) break;
      CHECK(next->as_string() == seen.back());
      cursor = next->as_string();
    }
    CHECK(sizes == std::vector<std::size_t>{10, 10, 5});
    CHECK(seen == created);  // creation order, nothing twice, nothing missed

    // A full last page still carries a cursor; the page after it is empty.
    auto fifth = mock.get("/api/v2/campaigns?limit=5&starting_after=" + created[19]);
    CHECK(fifth.json.at("items").size() == 5);
    REQUIRE(fifth.json.contains("next_starting_after"));
    auto after = mock.get("/api/v2/campaigns?limit=5&starting_after=" + fifth.json.at("next_starting_after").as_string());
    CHECK(after.json.at("items").empty());
    CHECK(!after.json.contains("next_starting_after"));

    CHECK(mock.get("/api/v2/campaigns?limit=0").status == 400);
    CHECK(mock.get("/api/v2/campaigns?limit=101").status == 400);
  }

  TEST_CASE("listing filters by name search and status") {
    MockFixture mock;
    std::string spring = create_campaign_named(mock, "Spring Outreach");
    std::string summer = create_campaign_named(mock, "Summer outreach");
    create_campaign_named(mock, "Partners");
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + summer + "/activate").status == 200);

    auto searched = mock.get("/api/v2/campaigns?search=OUTREACH");
    CHECK(searched.json.at("items").size() == 2);

    auto active = mock.get("/api/v2/campaigns?status=1");
    REQUIRE(active.json.at("items").size() == 1);
    CHECK(active.json.at("items").at(0).at("id").as_string() == summer);

    auto not_active = mock.get("/api/v2/campaigns?exclude_status=1");
    CHECK(not_active.json.at("items").size() == 2);

    auto both = mock.get("/api/v2/campaigns?search=spring&status=0");
    REQUIRE(both.json.at("items").size() == 1);
    CHECK(both.json.at("items").at(0).at("id").as_string() == spring);
  }

  TEST_CASE("sending status explains why a campaign is or is not sending") {
    MockFixture mock;
    std::string id = create_campaign_named(mock, "Status");
    const std::string path = "/api/v2/campaigns/" + id + "/sending-status";
    auto draft = mock.get(path);
    REQUIRE(draft.status == 200);
    CHECK(draft.json.at("diagnostics").at("status").as_string() == "campaign_draft");
    CHECK(draft.json.at("diagnostics").at("campaign_id").as_string() == id);

    REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
    CHECK(mock.get(path).json.at("diagnostics").at("status").as_string() == "waiting_for_leads");
    add_lead(mock, id, "lead@example.org");
    auto healthy = mock.get(path);
    CHECK(healthy.json.at("diagnostics").at("status").as_string() == "healthy");
    CHECK(healthy.json.at("summary").at("status").as_string() == "healthy");
    CHECK(healthy.json.at("diagnostics").at("accounts_summary").at("total_connected").as_int() == 2);

    REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/pause").status == 200);
    CHECK(mock.get(path).json.at("diagnostics").at("status").as_string() == "campaign_paused");
  }

  TEST_CASE("count-launched counts campaigns that left draft, search-by-contact finds a lead's campaigns") {
    MockFixture mock;
    std::string first = create_campaign_named(mock, "First");
    std::string second = create_campaign_named(mock, "Second");
    create_campaign_named(mock, "Third");
    CHECK(mock.get("/api/v2/campaigns/count-launched").json.at("count").as_int() == 0);
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + first + "/activate").status == 200);
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + second + "/activate").status == 200);
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + second + "/pause").status == 200);
    CHECK(mock.get("/api/v2/campaigns/count-launched").json.at("count").as_int() == 2);

    add_lead(mock, first, "Pat@Example.org");
    add_lead(mock, second, "pat@example.org");
    add_lead(mock, second, "someone@example.org");
    auto found = mock.get("/api/v2/campaigns/search-by-contact?search=pat%40example.org");
    REQUIRE(found.status == 200);
    std::set<std::string> ids;
    for (const Json& c : found.json.at("items").as_array()) ids.insert(c.at("id").as_string());
    CHECK(ids == std::set<std::string>{first, second});
    CHECK(mock.get("/api/v2/campaigns/search-by-contact?search=nobody%40example.org").json.at("items").empty());
  }
}
