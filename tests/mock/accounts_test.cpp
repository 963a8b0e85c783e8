// Sending accounts in instantly-mock: CRUD by email (including `+`
// addresses), pause/resume, warmup jobs and analytics, vitals, daily
// analytics and the admin health controls.
#include <doctest/doctest.h>

#include <string>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;

namespace {

Json account_body(const std::string& email, int provider = 2) {
  return Json::object({{"email", email},
                       {"first_name", "Ada"},
                       {"last_name", "Lovelace"},
                       {"provider_code", provider},
                       {"imap_username", email},
                       {"imap_password", "secret"},
                       {"imap_host", "imap.example.com"},
                       {"imap_port", 993},
                       {"smtp_username", email},
                       {"smtp_password", "secret"},
                       {"smtp_host", "smtp.example.com"},
                       {"smtp_port", 587}});
}

/// "a+b@x.com" → "a%2Bb%40x.com", as a client must send it in a path.
std::string encode(const std::string& email) {
  std::string out;
  for (char c : email) {
    if (c == '+') out += "%2B";
    else if (c == '@') out += "%40";
    else out += c;
  }
  return out;
}

std::string account_path(const std::string& email) { return "/api/v2/accounts/" + encode(email); }

void create_account(MockFixture& mock, const std::string& email, int provider = 2) {
  auto created = mock.post("/api/v2/accounts", account_body(email, provider));
  REQUIRE(created.status == 200);
}

std::vector<std::string> emails_of(const Json& page) {
  std::vector<std::string> emails;
  for (const auto& item : page.at("items").as_array()) emails.push_back(item.at("email").as_string());
  return emails;
}

}  // namespace

TEST_SUITE("mock accounts") {
  TEST_CASE("an account is created active with warmup off, and read, patched and deleted by email") {
    MockFixture mock;
    auto created = mock.post("/api/v2/accounts", account_body("Sales+Promo@Example.com"));
    REQUIRE(created.status == 200);
    CHECK(created.json.at("email").as_string() == "sales+promo@example.com");
    CHECK(created.json.at("status").as_int() == 1);
    CHECK(created.json.at("warmup_status").as_int() == 0);
    CHECK(created.json.at("provider_code").as_int() == 2);
    CHECK(created.json.at("setup_pending").as_bool() == false);
    CHECK(created.json.contains("imap_password") == false);

    auto duplicate = mock.post("/api/v2/accounts", account_body("sales+promo@example.com"));
    CHECK(duplicate.status == 400);

    auto fetched = mock.get(account_path("sales+promo@example.com"));
    REQUIRE(fetched.status == 200);
    CHECK(fetched.json.at("email").as_string() == "sales+promo@example.com");
    // Any case of the address finds the account.
    CHECK(mock.get(account_path("SALES+promo@example.com")).status == 200);

    auto patched = mock.patch(account_path("sales+promo@example.com"),
                              Json::object({{"first_name", "Grace"}, {"daily_limit", 45}, {"warmup", Json::object({{"limit", 25}})}}));
    REQUIRE(patched.status == 200);
    CHECK(patched.json.at("first_name").as_string() == "Grace");
    CHECK(patched.json.at("daily_limit").as_int() == 45);
    CHECK(patched.json.at("warmup").at("limit").as_int() == 25);
    CHECK(patched.json.at("warmup").at("increment").as_string() == "disabled");  // untouched warmup settings stay
    CHECK(mock.get(account_path("sales+promo@example.com")).json.at("first_name").as_string() == "Grace");

    auto deleted = mock.del(account_path("sales+promo@example.com"));
    CHECK(deleted.status == 200);
    CHECK(deleted.json.at("email").as_string() == "sales+promo@example.com");
    CHECK(mock.get(account_path("sales+promo@example.com")).status == 404);
    CHECK(mock.del(account_path("sales+promo@example.com")).status == 404);
  }

  TEST_CASE("the listing pages in email order and filters by search, status and provider") {
    MockFixture mock;
    create_account(mock, "carol@example.com", 3);
    create_account(mock, "alice@example.com");
    create_account(mock, "bob@other.com");

    auto first = mock.get("/api/v2/accounts?limit=2");
    REQUIRE(first.status == 200);
    CHECK(emails_of(first.json) == std::vector<std::string>{"alice@example.com", "bob@other.com"});
    REQUIRE(first.json.contains("next_starting_after"));
    auto second = mock.get("/api/v2/accounts?limit=2&starting_after=" + first.json.at("next_starting_after").as_string());
    CHECK(emails_of(second.json) == std::vector<std::string>{"carol@example.com"});
    CHECK_FALSE(second.json.contains("next_starting_after"));

    CHECK(emails_of(mock.get("/api/v2/accounts?search=other").json) == std::vector<std::string>{"bob@other.com"});
    CHECK(emails_of(mock.get("/api/v2/accounts?provider_code=3").json) == std::vector<std::string>{"carol@example.com"});

    REQUIRE(mock.post_empty(account_path("bob@other.com") + "/pause").status == 200);
    CHECK(emails_of(mock.get("/api/v2/accounts?status=2").json) == std::vector<std::string>{"bob@other.com"});
    CHECK(emails_of(mock.get("/api/v2/accounts?filter=ACC_FILTER_PAUSED").json) == std::vector<std::string>{"bob@other.com"});
  }

  TEST_CASE("pause and resume move between active and paused, an error needs mark-fixed") {
    MockFixture mock;
    create_account(mock, "a+b@example.com");
    auto paused = mock.post_empty(account_path("a+b@example.com") + "/pause");
    REQUIRE(paused.status == 200);
    CHECK(paused.json.at("status").as_int() == 2);
    auto resumed = mock.post_empty(account_path("a+b@example.com") + "/resume");
    CHECK(resumed.json.at("status").as_int() == 1);
    CHECK(mock.post_empty(account_path("nobody@example.com") + "/pause").status == 404);

    REQUIRE(mock.admin("POST", "/accounts/" + encode("a+b@example.com") + "/state", Json::object({{"status", -1}})).status == 200);
    auto still_broken = mock.post_empty(account_path("a+b@example.com") + "/resume");
    CHECK(still_broken.json.at("status").as_int() == -1);
    auto fixed = mock.post_empty(account_path("a+b@example.com") + "/mark-fixed");
    CHECK(fixed.json.at("status").as_int() == 1);
    CHECK_FALSE(fixed.json.contains("status_message"));

    auto bulk = mock.post("/api/v2/accounts/pause",
                          Json::object({{"emails", Json::array({"a+b@example.com", "ghost@example.com"})}}));
    REQUIRE(bulk.status == 200);
    CHECK(bulk.json.at("paused_emails").size() == 1);
    CHECK(bulk.json.at("failed_emails").at(0).as_string() == "ghost@example.com");
  }

  TEST_CASE("warmup enable and disable start an update-warmup-accounts job and flip warmup_status") {
    MockFixture mock;
    create_account(mock, "one@example.com");
    create_account(mock, "two@example.com");
    auto job = mock.post("/api/v2/accounts/warmup/enable", Json::object({{"emails", Json::array({"one@example.com"})}}));
    REQUIRE(job.status == 200);
    CHECK(job.json.at("type").as_string() == "update-warmup-accounts");
    CHECK(job.json.at("status").as_string() == "pending");
    CHECK(job.json.at("id").as_string().size() == 36);

    auto one = mock.get(account_path("one@example.com")).json;
    CHECK(one.at("warmup_status").as_int() == 1);
    CHECK(one.at("timestamp_warmup_start").is_string());
    CHECK(mock.get(account_path("two@example.com")).json.at("warmup_status").as_int() == 0);

    auto all = mock.post("/api/v2/accounts/warmup/enable",
                         Json::object({{"include_all_emails", true}, {"excluded_emails", Json::array({"one@example.com"})}}));
    REQUIRE(all.status == 200);
    CHECK(mock.get(account_path("two@example.com")).json.at("warmup_status").as_int() == 1);

    auto off = mock.post("/api/v2/accounts/warmup/disable", Json::object({{"emails", Json::array({"two@example.com"})}}));
    REQUIRE(off.status == 200);
    CHECK(off.json.at("type").as_string() == "update-warmup-accounts");
    CHECK(mock.get(account_path("two@example.com")).json.at("warmup_status").as_int() == 0);
    CHECK(mock.get(account_path("one@example.com")).json.at("warmup_status").as_int() == 1);

    CHECK(mock.post("/api/v2/accounts/warmup/enable", Json::object()).status == 400);
  }

  TEST_CASE("warmup analytics takes at most 100 emails and follows the warmup score") {
    MockFixture mock;
    create_account(mock, "warm@example.com");
    Json too_many = Json::array();
    for (int i = 0; i < 101; ++i) too_many.push_back("user" + std::to_string(i) + "@example.com");
    CHECK(mock.post("/api/v2/accounts/warmup-analytics", Json::object({{"emails", too_many}})).status == 400);

    REQUIRE(mock.post("/api/v2/accounts/warmup/enable", Json::object({{"emails", Json::array({"warm@example.com"})}})).status == 200);
    REQUIRE(mock.admin("POST", "/accounts/warm@example.com/state", Json::object({{"stat_warmup_score", 40}})).status == 200);

    Json hundred = Json::array({"warm@example.com"});
    for (int i = 0; i < 99; ++i) hundred.push_back("user" + std::to_string(i) + "@example.com");
    auto analytics = mock.post("/api/v2/accounts/warmup-analytics", Json::object({{"emails", hundred}}));
    REQUIRE(analytics.status == 200);
    const Json& total = analytics.json.at("aggregate_data").at("warm@example.com");
    CHECK(total.at("health_score").as_double() == 40);
    CHECK(total.at("health_score_label").as_string() == "40%");
    CHECK(total.at("sent").as_double() == 10);  // today's warmup at the default limit
    CHECK(total.at("landed_inbox").as_double() == 4);
    CHECK(total.at("landed_spam").as_double() == 6);
    CHECK(analytics.json.at("email_date_data").at("warm@example.com").size() == 1);
    CHECK_FALSE(analytics.json.at("aggregate_data").contains("user0@example.com"));

    // The same request answers the same numbers.
    auto again = mock.post("/api/v2/accounts/warmup-analytics", Json::object({{"emails", hundred}}));
    CHECK(again.json == analytics.json);
  }

  TEST_CASE("vitals are per domain and report what the admin set") {
    MockFixture mock;
    create_account(mock, "a@good.com");
    create_account(mock, "b@bad.com");
    create_account(mock, "c@bad.com");
    auto set = mock.admin("POST", "/accounts/b@bad.com/state",
                          Json::object({{"vitals", Json::object({{"spf", false}, {"dmarc", false}})}}));
    REQUIRE(set.status == 200);

    auto vitals = mock.post("/api/v2/accounts/test/vitals",
                            Json::object({{"accounts", Json::array({"a@good.com", "c@bad.com", "b@bad.com"})}}));
    REQUIRE(vitals.status == 200);
    CHECK(vitals.json.at("status").as_string() == "success");
    REQUIRE(vitals.json.at("success_list").size() == 1);
    CHECK(vitals.json.at("success_list").at(0).at("domain").as_string() == "good.com");
    CHECK(vitals.json.at("success_list").at(0).at("allPass").as_bool());
    REQUIRE(vitals.json.at("failure_list").size() == 1);  // one entry for the whole domain
    const Json& bad = vitals.json.at("failure_list").at(0);
    CHECK(bad.at("domain").as_string() == "bad.com");
    CHECK(bad.at("allPass").as_bool() == false);
    CHECK(bad.at("spf").as_bool() == false);
    CHECK(bad.at("dmarc").as_bool() == false);
    CHECK(bad.at("dkim").as_bool() == true);
    CHECK(bad.at("mx").as_bool() == true);
  }

  TEST_CASE("daily account analytics count what the send simulation sent from the account") {
    MockFixture mock;
    create_account(mock, "sender@acme.test");
    Json schedule = Json::object(
        {{"schedules", Json::array({Json::object({{"name", "Weekdays"},
                                                  {"timing", Json::object({{"from", "09:00"}, {"to", "17:00"}})},
                                                  {"days", Json::object({{"1", true}})},
                                                  {"timezone", "America/Detroit"}})})}});
    Json steps = Json::array({Json::object(
        {{"type", "email"}, {"delay", 1}, {"variants", Json::array({Json::object({{"subject", "Hi"}, {"body", "Hello"}})})}})});
    auto campaign = mock.post("/api/v2/campaigns", Json::object({{"name", "Launch"},
                                                                 {"campaign_schedule", schedule},
                                                                 {"email_list", Json::array({"sender@acme.test"})},
                                                                 {"sequences", Json::array({Json::object({{"steps", steps}})})}}));
    REQUIRE(campaign.status == 200);
    std::string id = campaign.json.at("id").as_string();
    Json leads = Json::array();
    for (int i = 0; i < 3; ++i) leads.push_back(Json::object({{"email", "lead" + std::to_string(i) + "@example.org"}}));
    REQUIRE(mock.post("/api/v2/leads/add", Json::object({{"campaign_id", id}, {"leads", leads}})).status == 200);
    REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
    auto sent = mock.admin("POST", "/send",
                           Json::object({{"campaign_id", id},
                                         {"rates", Json::object({{"opened", 1}, {"clicked", 0}, {"replied", 0}, {"bounced", 0},
                                                                 {"unsubscribed", 0}, {"auto_reply", 0}})}}));
    REQUIRE(sent.status == 200);

    auto daily = mock.get("/api/v2/accounts/analytics/daily?emails=sender@acme.test");
    REQUIRE(daily.status == 200);
    REQUIRE(daily.json.size() == 1);
    const Json& row = daily.json.at(0);
    CHECK(row.at("email_account").as_string() == "sender@acme.test");
    CHECK(row.at("sent").as_int() == 3);
    CHECK(row.at("contacted").as_int() == 3);
    CHECK(row.at("new_leads_contacted").as_int() == 3);
    CHECK(row.at("opened").as_int() >= 3);
    CHECK(row.at("unique_opened").as_int() == 3);
    CHECK(row.at("bounced").as_int() == 0);
  }

  TEST_CASE("the admin state route sets every health input the API reports") {
    MockFixture mock;
    create_account(mock, "ops+1@example.com");
    std::string route = "/accounts/" + encode("ops+1@example.com") + "/state";
    auto set = mock.admin("POST", route,
                          Json::object({{"status", -3},
                                        {"warmup_status", -1},
                                        {"stat_warmup_score", 35},
                                        {"date", "2026-03-02"},
                                        {"sent", 100},
                                        {"bounced", 12},
                                        {"replies", 3}}));
    REQUIRE(set.status == 200);

    auto account = mock.get(account_path("ops+1@example.com")).json;
    CHECK(account.at("status").as_int() == -3);
    CHECK(account.at("status_message").at("responseCode").as_int() == 550);
    CHECK(account.at("warmup_status").as_int() == -1);
    CHECK(account.at("stat_warmup_score").as_double() == 35);

    auto daily = mock.get("/api/v2/accounts/analytics/daily?start_date=2026-03-01&end_date=2026-03-31&emails=" +
                          encode("ops+1@example.com"));
    REQUIRE(daily.status == 200);
    REQUIRE(daily.json.size() == 1);
    const Json& row = daily.json.at(0);
    CHECK(row.at("date").as_string() == "2026-03-02");
    CHECK(row.at("email_account").as_string() == "ops+1@example.com");
    CHECK(row.at("sent").as_int() == 100);
    CHECK(row.at("bounced").as_int() == 12);
    CHECK(row.at("replies").as_int() == 3);
    CHECK(row.at("clicks").as_int() == 0);
    CHECK(mock.get("/api/v2/accounts/analytics/daily?start_date=2026-04-01").json.size() == 0);

    // A banned warmup is not lifted by enabling warmup again.
    mock.post("/api/v2/accounts/warmup/enable", Json::object({{"emails", Json::array({"ops+1@example.com"})}}));
    CHECK(mock.get(account_path("ops+1@example.com")).json.at("warmup_status").as_int() == -1);

    CHECK(mock.admin("POST", route, Json::object({{"status", 7}})).status == 400);
    CHECK(mock.admin("POST", route, Json::object({{"bounces", 3}})).status == 400);
    CHECK(mock.admin("POST", "/accounts/nobody@example.com/state", Json::object({{"status", 1}})).status == 404);
  }
}
