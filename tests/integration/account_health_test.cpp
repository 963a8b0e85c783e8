// AccountHealth against instantly-mock: each failure kind, put in place with
// the admin route POST /__mock/accounts/{email}/state, comes back with its
// reason; the calls are batched (counted with GET /__mock/stats); errors of
// the API reach the caller.
//
// One mock serves the suite (started on first use); each case starts from
// POST /__mock/reset.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/account_health.hpp"
#include "mock_server.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace instantly;
using namespace instantly::workflows;

mock::MockServer& health_mock() {
  mock::MockOptions options;
  options.rate_limit = false;  // hundreds of accounts are created per case
  return testing::suite_mock<struct HealthSuite>(options);
}

Client health_client() {
  ClientOptions options{.api_key = "health-suite-key", .base_url = health_mock().url()};
  options.rate_limit.enabled = false;
  options.transport = testing::make_local_transport();
  Client client(options);
  client.request("POST", "/__mock/reset");
  return client;
}

void create_account(const Client& client, const std::string& email) {
  client.accounts().create({.email = email,
                            .first_name = "Ann",
                            .last_name = "Sender",
                            .provider_code = AccountProviderCode::CustomImapSmtp,
                            .imap_username = email,
                            .imap_password = "imap-secret",
                            .imap_host = "imap.example.com",
                            .imap_port = 993,
                            .smtp_username = email,
                            .smtp_password = "smtp-secret",
                            .smtp_host = "smtp.example.com",
                            .smtp_port = 587});
}

void set_state(const Client& client, const std::string& email, Json state) {
  client.request("POST", "/__mock/accounts/" + email + "/state", {.body = std::move(state)});
}

/// An account with nothing to report: active, warming up with a perfect score.
void create_healthy(const Client& client, const std::string& email) {
  create_account(client, email);
  set_state(client, email, Json::object({{"warmup_status", 1}, {"stat_warmup_score", 100}}));
}

std::int64_t calls(const Client& client, const std::string& operation) {
  const Json stats = client.request("GET", "/__mock/stats");
  const Json* n = stats.at("operations").find(operation);
  return n ? n->as_int() : 0;
}

const AccountHealthResult& result_for(const std::vector<AccountHealthResult>& results, const std::string& email) {
  for (const auto& result : results) {
    if (result.email == email) return result;
  }
  FAIL("no result for " << email);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_SUITE("account health against instantly-mock") {
  TEST_CASE("account health: a healthy account is ok and carries the numbers behind it") {
    Client client = health_client();
    create_healthy(client, "ann@fine.test");
    set_state(client, "ann@fine.test", Json::object({{"sent", 200}, {"bounced", 2}}));

    const auto results = AccountHealth(client).check();
    REQUIRE(results.size() == 1);
    const AccountHealthResult& ann = results[0];
    CHECK(ann.email == "ann@fine.test");
    CHECK(ann.level == HealthLevel::Ok);
    CHECK(ann.reasons.empty());
    CHECK(ann.status == AccountStatus::Active);
    CHECK(ann.warmup_status == AccountWarmupStatus::Active);
    CHECK(ann.warmup_score == 100);
    CHECK(ann.warmup.has_value());
    CHECK(ann.sent == 200);
    CHECK(ann.bounced == 2);
    REQUIRE(ann.bounce_rate.has_value());
    CHECK(*ann.bounce_rate == doctest::Approx(0.01));
    REQUIRE(ann.vitals.has_value());
    CHECK(ann.vitals->domain == "fine.test");
    CHECK(ann.vitals->all_pass == true);
  }

  TEST_CASE("account health: every failure kind the mock can produce comes back with its reason and level") {
    Client client = health_client();
    struct Case {
      const char* name;
      Json state;
      HealthReasonCode code;
      HealthLevel level;
    };
    const std::vector<Case> cases = {
        {"connection", Json::object({{"status", -1}}), HealthReasonCode::ConnectionError, HealthLevel::Critical},
        {"softbounce", Json::object({{"status", -2}}), HealthReasonCode::SoftBounceError, HealthLevel::Critical},
        {"sending", Json::object({{"status", -3}}), HealthReasonCode::SendingError, HealthLevel::Critical},
        {"paused", Json::object({{"status", 2}}), HealthReasonCode::AccountPaused, HealthLevel::Warning},
        {"warmoff", Json::object({{"warmup_status", 0}}), HealthReasonCode::WarmupPaused, HealthLevel::Warning},
        {"banned", Json::object({{"warmup_status", -1}}), HealthReasonCode::WarmupBanned, HealthLevel::Critical},
        {"spamfolder", Json::object({{"warmup_status", -2}}), HealthReasonCode::WarmupSpamFolderUnknown,
         HealthLevel::Warning},
        {"suspended", Json::object({{"warmup_status", -3}}), HealthReasonCode::WarmupSuspended, HealthLevel::Critical},
        {"lowscore", Json::object({{"stat_warmup_score", 70}}), HealthReasonCode::LowWarmupScore, HealthLevel::Warning},
        {"badscore", Json::object({{"stat_warmup_score", 40}}), HealthReasonCode::LowWarmupScore,
         HealthLevel::Critical},
        {"nomx", Json::object({{"vitals", Json::object({{"mx", false}})}}), HealthReasonCode::MxFailing,
         HealthLevel::Critical},
        {"nospf", Json::object({{"vitals", Json::object({{"spf", false}})}}), HealthReasonCode::SpfFailing,
         HealthLevel::Critical},
        {"nodkim", Json::object({{"vitals", Json::object({{"dkim", false}})}}), HealthReasonCode::DkimFailing,
         HealthLevel::Critical},
        {"nodmarc", Json::object({{"vitals", Json::object({{"dmarc", false}})}}), HealthReasonCode::DmarcFailing,
         HealthLevel::Warning},
        {"bouncy", Json::object({{"sent", 100}, {"bounced", 4}}), HealthReasonCode::HighBounceRate,
         HealthLevel::Warning},
        {"bouncier", Json::object({{"sent", 100}, {"bounced", 12}}), HealthReasonCode::HighBounceRate,
         HealthLevel::Critical},
    };
    // One account per case, each on a domain of its own (vitals are per domain).
    for (const Case& c : cases) {
      const std::string email = std::string("ops@") + c.name + ".test";
      create_healthy(client, email);
      set_state(client, email, c.state);
    }
    create_healthy(client, "ops@control.test");
    create_healthy(client, "ops@fewsends.test");
    set_state(client, "ops@fewsends.test", Json::object({{"sent", 2}, {"bounced", 1}}));

    const auto results = AccountHealth(client).check();
    REQUIRE(results.size() == cases.size() + 2);
    for (const Case& c : cases) {
      CAPTURE(c.name);
      const AccountHealthResult& result = result_for(results, std::string("ops@") + c.name + ".test");
      CHECK(result.level == c.level);
      REQUIRE(result.reasons.size() == 1);
      CHECK(result.reasons[0].code == c.code);
      CHECK(result.reasons[0].level == c.level);
    }
    CHECK(result_for(results, "ops@control.test").ok());

    // 1 bounce out of 2 sent: a 50 % rate on display, not a verdict.
    const AccountHealthResult& few = result_for(results, "ops@fewsends.test");
    CHECK(few.ok());
    CHECK(few.bounce_rate == 0.5);

    // The numbers and the mail server's words come through.
    const AccountHealthResult& connection = result_for(results, "ops@connection.test");
    CHECK(connection.status == AccountStatus::ConnectionError);
    CHECK(connection.status_detail.find("535") != std::string::npos);
    CHECK(connection.reasons[0].message.find("535") != std::string::npos);
    CHECK(result_for(results, "ops@badscore.test").warmup_score == 40);
    CHECK(result_for(results, "ops@nospf.test").vitals->spf == false);
    CHECK(result_for(results, "ops@bouncier.test").sent == 100);
    CHECK(worst_level(results) == HealthLevel::Critical);
  }

  TEST_CASE("account health: the thresholds decide the levels") {
    Client client = health_client();
    create_healthy(client, "ann@acme.test");
    set_state(client, "ann@acme.test",
              Json::object({{"stat_warmup_score", 85},
                            {"sent", 100},
                            {"bounced", 2},
                            {"vitals", Json::object({{"dmarc", false}})}}));
    CHECK(AccountHealth(client).check()[0].level == HealthLevel::Warning);  // DMARC only

    const auto strict = AccountHealth(client, {.thresholds = {.warmup_score_warning = 90,
                                                              .warmup_score_critical = 86,
                                                              .bounce_rate_warning = 0.01,
                                                              .dmarc_failing = HealthLevel::Ok}})
                            .check();
    REQUIRE(strict.size() == 1);
    CHECK(strict[0].level == HealthLevel::Critical);
    CHECK(strict[0].has(HealthReasonCode::LowWarmupScore));
    CHECK(strict[0].has(HealthReasonCode::HighBounceRate));
    CHECK_FALSE(strict[0].has(HealthReasonCode::DmarcFailing));
  }

  TEST_CASE("account health: bounces count only inside the window of days") {
    Client client = health_client();
    create_healthy(client, "ann@acme.test");
    set_state(client, "ann@acme.test", Json::object({{"date", "2026-03-02"}, {"sent", 100}, {"bounced", 10}}));
    set_state(client, "ann@acme.test", Json::object({{"date", "2026-03-09"}, {"sent", 50}, {"bounced", 0}}));
    using namespace std::chrono;

    const sys_days march_10 = year(2026) / March / 10;
    const auto both = AccountHealth(client, {.window_days = 14, .end_date = march_10}).check();
    CHECK(both[0].sent == 150);
    CHECK(both[0].bounced == 10);
    CHECK(both[0].level == HealthLevel::Critical);  // 6.7 %

    // 2026-03-04..10: only the clean day.
    const auto last_week = AccountHealth(client, {.window_days = 7, .end_date = march_10}).check();
    CHECK(last_week[0].sent == 50);
    CHECK(last_week[0].bounced == 0);
    CHECK(last_week[0].ok());

    const sys_days march_2 = year(2026) / March / 2;
    const auto bad_day = AccountHealth(client, {.window_days = 1, .end_date = march_2}).check();
    CHECK(bad_day[0].sent == 100);
    CHECK(bad_day[0].level == HealthLevel::Critical);
  }

  TEST_CASE("account health: 250 accounts take 3 listing, 3 warmup, 2 daily calls and 1 vitals call per 100 domains") {
    Client client = health_client();
    for (int i = 0; i < 250; ++i) {
      // 125 domains, two accounts each.
      create_account(client, "sender" + std::to_string(i) + "@d" + std::to_string(i % 125) + ".test");
    }
    client.request("POST", "/__mock/stats/reset");

    const auto results = AccountHealth(client).check();
    CHECK(results.size() == 250);
    CHECK(calls(client, "listAccount") == 3);
    CHECK(calls(client, "getWarmupAnalytics") == 3);        // 100 + 100 + 50 emails
    CHECK(calls(client, "getDailyAccountAnalytics") == 2);  // 200 + 50 emails
    CHECK(calls(client, "testAccountVitals") == 2);         // 100 + 25 domains, one address each
    for (const auto& result : results) {
      CAPTURE(result.email);
      CHECK(result.vitals.has_value());
      CHECK(result.warmup.has_value());
      CHECK(result.has(HealthReasonCode::WarmupPaused));  // new accounts start with warmup off
    }

    client.request("POST", "/__mock/stats/reset");
    AccountHealth(client, {.vitals_batch_size = 50, .warmup_batch_size = 25, .daily_batch_size = 100}).check();
    CHECK(calls(client, "testAccountVitals") == 3);
    CHECK(calls(client, "getWarmupAnalytics") == 10);
    CHECK(calls(client, "getDailyAccountAnalytics") == 3);
  }

  TEST_CASE("account health: given emails are checked in their order, once, and unknown ones are not found") {
    Client client = health_client();
    create_healthy(client, "ann@acme.test");
    create_healthy(client, "bob@acme.test");
    create_healthy(client, "cy@other.test");
    client.request("POST", "/__mock/stats/reset");

    const auto results =
        AccountHealth(client).check({"BOB@acme.test", "ghost@acme.test", "ann@acme.test", "bob@ACME.test"});
    REQUIRE(results.size() == 3);
    CHECK(results[0].email == "bob@acme.test");  // as the workspace spells it
    CHECK(results[0].ok());
    CHECK(results[1].email == "ghost@acme.test");
    CHECK_FALSE(results[1].found);
    CHECK(results[1].level == HealthLevel::Critical);
    CHECK(results[1].has(HealthReasonCode::AccountNotFound));
    CHECK(results[2].email == "ann@acme.test");
    CHECK(calls(client, "testAccountVitals") == 1);  // acme.test once for both

    client.request("POST", "/__mock/stats/reset");
    CHECK(AccountHealth(client).check(std::vector<std::string>{}).empty());
    CHECK(calls(client, "listAccount") == 0);
  }

  TEST_CASE("account health: a domain the vitals answer leaves out is vitals_unknown") {
    Client client = health_client();
    create_healthy(client, "ann@acme.test");
    client.request("POST", "/__mock/responses",
                   {.body = Json::object({{"status", 200},
                                          {"path", "/api/v2/accounts/test/vitals"},
                                          {"body", Json::object({{"status", "success"},
                                                                 {"success_list", Json::array()},
                                                                 {"failure_list", Json::array()}})}})});
    const auto results = AccountHealth(client).check();
    REQUIRE(results.size() == 1);
    CHECK_FALSE(results[0].vitals.has_value());
    CHECK(results[0].level == HealthLevel::Warning);
    CHECK(results[0].has(HealthReasonCode::VitalsUnknown));
  }

  TEST_CASE("account health: an API error stops the check and reaches the caller") {
    Client client = health_client();
    create_healthy(client, "ann@acme.test");
    client.request("POST", "/__mock/responses",
                   {.body = Json::object({{"status", 402},
                                          {"path", "/api/v2/accounts/warmup-analytics"},
                                          {"body", Json::object({{"statusCode", 402},
                                                                 {"error", "Payment Required"},
                                                                 {"message", "no active paid plan"}})}})});
    CHECK_THROWS_AS(AccountHealth(client).check(), PaymentRequiredError);
  }
}

#endif  // INSTANTLY_HAVE_MOCK
