// The unibox's `i_status`: each email shows its lead's interest status, the
// `i_status` filter follows it, and an email without one matches no status
// (0 is "out of office", not "unset").
#include <doctest/doctest.h>

#include <string>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;
namespace collections = instantly::mock::collections;

namespace {

/// An active campaign whose two leads (ann@, bob@) got the mail and replied.
std::string campaign_with_two_replies(MockFixture& mock) {
  Json schedule = Json::object(
      {{"schedules", Json::array({Json::object({{"name", "All week"},
                                                {"timing", Json::object({{"from", "08:00"}, {"to", "18:00"}})},
                                                {"days", Json::object({{"2", true}})},
                                                {"timezone", "Europe/Belgrade"}})})}});
  Json variant = Json::object({{"subject", "Quick question"}, {"body", "Hi"}});
  Json step = Json::object({{"type", "email"}, {"delay", 1}, {"variants", Json::array({variant})}});
  auto created = mock.post("/api/v2/campaigns", Json::object({{"name", "Interest"},
                                                              {"campaign_schedule", schedule},
                                                              {"email_list", Json::array({"me@acme.test"})},
                                                              {"sequences", Json::array({Json::object({{"steps", Json::array({step})}})})}}));
  REQUIRE(created.status == 200);
  const std::string id = created.json.at("id").as_string();
  auto added = mock.post("/api/v2/leads/add",
                         Json::object({{"campaign_id", id},
                                       {"leads", Json::array({Json::object({{"email", "ann@client.test"}}),
                                                              Json::object({{"email", "bob@client.test"}})})}}));
  REQUIRE(added.status == 200);
  REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
  Json rates = Json::object({{"opened", 0}, {"clicked", 0}, {"replied", 1}, {"bounced", 0},
                             {"unsubscribed", 0}, {"auto_reply", 0}});
  REQUIRE(mock.admin("POST", "/send", Json::object({{"campaign_id", id}, {"seed", 3}, {"rates", rates}})).status == 200);
  return id;
}

Json list_emails_where(MockFixture& mock, const std::string& query) {
  auto result = mock.get("/api/v2/emails" + query);
  REQUIRE(result.status == 200);
  return result.json.at("items");
}

}  // namespace

TEST_SUITE("mock emails interest status") {
  TEST_CASE("emails carry their lead's interest status, and i_status filters by it") {
    MockFixture mock;
    campaign_with_two_replies(mock);

    // Nothing set yet: no email matches any status, "out of office" (0) included.
    CHECK(list_emails_where(mock, "?i_status=0&limit=100").empty());
    CHECK(list_emails_where(mock, "?i_status=1&limit=100").empty());
    const Json all = list_emails_where(mock, "?limit=100");
    REQUIRE(all.size() == 4);
    for (const Json& e : all.as_array()) CHECK(e.at("i_status").is_null());

    auto marked = mock.post("/api/v2/leads/update-interest-status",
                            Json::object({{"lead_email", "ann@client.test"}, {"interest_value", 1}}));
    REQUIRE(marked.status == 202);

    Json interested = list_emails_where(mock, "?i_status=1&limit=100");
    REQUIRE(interested.size() == 2);  // Ann's campaign mail and her reply
    for (const Json& e : interested.as_array()) {
      CHECK(e.at("lead").as_string() == "ann@client.test");
      CHECK(e.at("i_status").as_int() == 1);
    }
    CHECK(list_emails_where(mock, "?i_status=1&email_type=received").size() == 1);
    CHECK(list_emails_where(mock, "?i_status=-1").empty());
    const std::string id = interested.at(0).at("id").as_string();
    CHECK(mock.get("/api/v2/emails/" + id).json.at("i_status").as_int() == 1);

    // Reset to null: unset again.
    REQUIRE(mock.post("/api/v2/leads/update-interest-status",
                      Json::object({{"lead_email", "ann@client.test"}, {"interest_value", nullptr}}))
                .status == 202);
    CHECK(list_emails_where(mock, "?i_status=1").empty());
    CHECK(mock.get("/api/v2/emails/" + id).json.at("i_status").is_null());
  }
}
