// instantly-mock's account health endpoints at their edges, as the API
// documents them: test/vitals needs addresses, daily account analytics has a
// default 30-day window, at most 31 days and 200 accounts, and a start
// before its end.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::State;
using instantly::mock::testing::MockFixture;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

void add_account(MockFixture& mock, const std::string& email) {
  auto created = mock.post("/api/v2/accounts", Json::object({{"email", email},
                                                             {"first_name", "Ann"},
                                                             {"last_name", "Sender"},
                                                             {"provider_code", 1},
                                                             {"imap_username", email},
                                                             {"imap_password", "secret"},
                                                             {"imap_host", "imap.example.com"},
                                                             {"imap_port", 993},
                                                             {"smtp_username", email},
                                                             {"smtp_password", "secret"},
                                                             {"smtp_host", "smtp.example.com"},
                                                             {"smtp_port", 587}}));
  REQUIRE(created.status == 200);
}

std::string days_ago(MockFixture& mock, int days) { return State::date_of(mock.state().now_ms() - days * kDayMs); }

std::int64_t sent_in(const Json& rows) {
  std::int64_t sent = 0;
  for (const auto& row : rows.as_array()) sent += row.at("sent").as_int();
  return sent;
}

std::set<std::string> dates_in(const Json& rows) {
  std::set<std::string> dates;
  for (const auto& row : rows.as_array()) dates.insert(row.at("date").as_string());
  return dates;
}

}  // namespace

TEST_SUITE("mock account health endpoints") {
  TEST_CASE("test/vitals without addresses is the API's 'no emails sent' 400") {
    MockFixture mock;
    add_account(mock, "ann@acme.test");
    CHECK(mock.post("/api/v2/accounts/test/vitals", Json::object()).status == 400);
    auto empty = mock.post("/api/v2/accounts/test/vitals", Json::object({{"accounts", Json::array()}}));
    CHECK(empty.status == 400);
    CHECK(empty.text.find("no emails sent") != std::string::npos);
    // Any address stands for its domain, also one without an account (DNS is per domain).
    auto vitals = mock.post("/api/v2/accounts/test/vitals",
                            Json::object({{"accounts", Json::array({"ann@acme.test", "x@elsewhere.test"})}}));
    REQUIRE(vitals.status == 200);
    CHECK(vitals.json.at("success_list").size() == 2);
  }

  TEST_CASE("daily account analytics default to the 30 days ending today") {
    MockFixture mock;
    add_account(mock, "ann@acme.test");
    for (int back : {0, 10, 29, 30, 40}) {
      REQUIRE(mock.admin("POST", "/accounts/ann@acme.test/state",
                         Json::object({{"date", days_ago(mock, back)}, {"sent", 1}}))
                  .status == 200);
    }
    auto recent = mock.get("/api/v2/accounts/analytics/daily?emails=ann@acme.test");
    REQUIRE(recent.status == 200);
    CHECK(sent_in(recent.json) == 3);
    CHECK(dates_in(recent.json) == std::set<std::string>{days_ago(mock, 0), days_ago(mock, 10), days_ago(mock, 29)});

    // end_date moves the window with it; start_date widens it.
    auto earlier = mock.get("/api/v2/accounts/analytics/daily?emails=ann@acme.test&end_date=" + days_ago(mock, 10));
    REQUIRE(earlier.status == 200);
    CHECK(dates_in(earlier.json) ==
          std::set<std::string>{days_ago(mock, 10), days_ago(mock, 29), days_ago(mock, 30)});  // 40 is a day too old
    auto explicit_range = mock.get("/api/v2/accounts/analytics/daily?emails=ann@acme.test&start_date=" +
                                   days_ago(mock, 30) + "&end_date=" + days_ago(mock, 0));
    REQUIRE(explicit_range.status == 200);
    CHECK(sent_in(explicit_range.json) == 4);  // 31 days: today back to 30 days ago
  }

  TEST_CASE("daily account analytics reject a start after the end and a range over 31 days") {
    MockFixture mock;
    add_account(mock, "ann@acme.test");
    auto backwards = mock.get("/api/v2/accounts/analytics/daily?start_date=2026-03-10&end_date=2026-03-01");
    CHECK(backwards.status == 400);
    CHECK(backwards.text.find("Start Date must be earlier than End Date") != std::string::npos);
    CHECK(mock.get("/api/v2/accounts/analytics/daily?start_date=2026-03-01&end_date=2026-04-01").status == 400);
    CHECK(mock.get("/api/v2/accounts/analytics/daily?start_date=2026-03-01&end_date=2026-03-31").status == 200);
    CHECK(mock.get("/api/v2/accounts/analytics/daily?start_date=2026-03-05&end_date=2026-03-05").status == 200);
  }

  TEST_CASE("daily account analytics take at most 200 distinct accounts") {
    MockFixture mock;
    auto query = [](int n) {
      std::string path = "/api/v2/accounts/analytics/daily?";
      for (int i = 0; i < n; ++i) path += "emails=user" + std::to_string(i) + "%40acme.test&";
      return path + "emails=user0%40acme.test";  // a repeat does not count twice
    };
    CHECK(mock.get(query(200)).status == 200);
    CHECK(mock.get(query(201)).status == 400);
  }
}
