// Campaign builder: timezones the API accepts, v2 day keys, the old pipeline's
// schedule (tests/fixtures/old-campaign-request.json), the create body of a
// two-step sequence, and placeholder warnings.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/workflows/business_lead.hpp"
#include "instantly/workflows/campaign_builder.hpp"
#include "support/fixtures.hpp"
#include "support/text.hpp"

using instantly::Json;
using instantly::ValidationError;
using instantly::testing::load_fixture;
using instantly::testing::contains;
using namespace instantly::workflows;

namespace {


bool is_allowed(std::string_view zone) {
  const auto& allowed = allowed_timezones();
  return std::find(allowed.begin(), allowed.end(), zone) != allowed.end();
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.what();
  }
  return {};
}


CampaignBuilder two_step_campaign() {
  return CampaignBuilder{
      .name = "Cafes LA",
      .schedule = {.from = "08:30", .to = "17:00", .days = {"Mon", "tuesday", "WED", "thu", "fri"},
                   .timezone = "America/Los_Angeles"},
      .sending_accounts = {"me@mydomain.com", "you@mydomain.com"},
      .daily_limit = 50,
      .stop_on_reply = true,
      .steps = {{.subject = "{{subject_line}}",
                 .body = "Hi {{firstName}},<br/>{{icebreaker}}",
                 .delay_days = 3,
                 .variants = {{.subject = "Quick question, {{ firstName }}", .body = "{{icebreaker}} at {{companyName}}"}}},
                {.subject = "", .body = "Following up on {{business_name}}, {{RANDOM | cheers | thanks}}"}},
  };
}

}  // namespace

TEST_CASE("campaign builder: allowed timezones come from the generated enum") {
  const auto& allowed = allowed_timezones();
  CHECK(allowed.size() == 102);
  CHECK(allowed.front() == "Etc/GMT+12");
  CHECK(is_allowed("America/Chicago"));
  CHECK(is_allowed("America/Detroit"));
  CHECK_FALSE(is_allowed("America/New_York"));
  CHECK_FALSE(is_allowed("America/Los_Angeles"));
  CHECK_FALSE(is_allowed("Europe/London"));
}

TEST_CASE("campaign builder: every timezone alias targets an allowed zone") {
  std::vector<std::string_view> seen;
  for (const TimezoneAlias& alias : timezone_aliases()) {
    INFO(alias.from << " -> " << alias.to);
    CHECK(is_allowed(alias.to));
    CHECK_FALSE(is_allowed(alias.from));  // an allowed zone must pass through, not be remapped
    CHECK(std::find(seen.begin(), seen.end(), alias.from) == seen.end());
    seen.push_back(alias.from);
    CHECK(to_api_timezone(alias.from) == alias.to);
  }
  CHECK(to_api_timezone("America/New_York") == "America/Detroit");
  CHECK(to_api_timezone("America/Los_Angeles") == "America/Dawson");
  CHECK(to_api_timezone("Europe/London") == "Europe/Isle_of_Man");
  CHECK(to_api_timezone("Europe/Berlin") == "Arctic/Longyearbyen");
  CHECK(to_api_timezone("America/Denver") == "America/Boise");
  CHECK(to_api_timezone("America/Phoenix") == "America/Creston");
  CHECK(to_api_timezone("Asia/Tokyo") == "Asia/Dili");
  CHECK(to_api_timezone("Australia/Sydney") == "Australia/Melbourne");
  CHECK(to_api_timezone("UTC") == "Africa/Abidjan");
}

TEST_CASE("campaign builder: allowed timezones pass through, unknown ones list the allowed") {
  for (const std::string& zone : allowed_timezones()) CHECK(to_api_timezone(zone) == zone);

  const std::string message = error_of([] { to_api_timezone("Mars/Olympus_Mons"); });
  CHECK(contains(message, "timezone"));
  CHECK(contains(message, "Mars/Olympus_Mons"));
  for (const std::string& zone : allowed_timezones()) CHECK(contains(message, zone));
  CHECK_THROWS_AS(to_api_timezone("america/chicago"), ValidationError);  // names are case-sensitive
}

TEST_CASE("campaign builder: day names become v2 keys, Sunday = \"0\"") {
  CHECK(weekday_index("sunday") == 0);
  CHECK(weekday_index("Sun") == 0);
  CHECK(weekday_index("MONDAY") == 1);
  CHECK(weekday_index("tue") == 2);
  CHECK(weekday_index("Wednesday") == 3);
  CHECK(weekday_index("thurs") == 4);
  CHECK(weekday_index("fri") == 5);
  CHECK(weekday_index("saturday") == 6);
  CHECK(weekday_index("3") == 3);
  CHECK(contains(error_of([] { weekday_index("funday"); }), "funday"));
  CHECK_THROWS_AS(weekday_index("7"), ValidationError);

  CHECK(Weekdays::monday_to_friday().to_json().dump() == R"({"1":true,"2":true,"3":true,"4":true,"5":true})");
  CHECK(Weekdays{"sat", "sun"}.to_json().dump() == R"({"0":true,"6":true})");
  CHECK(Weekdays::every_day().to_json().size() == 7);
  CHECK(Weekdays{}.empty());
  CHECK(Weekdays{"mon", "monday", "1"} == Weekdays{"Mon"});
  CHECK(Json::parse(Weekdays{"sun", "fri"}.to_api().to_json()) == Json::parse(R"({"0":true,"5":true})"));
}

TEST_CASE("campaign builder: the old pipeline's schedule converts to exactly the v2 request") {
  const Json fixture = load_fixture("old-campaign-request.json");
  const Json& old_request = fixture.at("old_request");
  const Json& v2_request = fixture.at("v2_request");

  const Json converted = convert_old_schedule(old_request.at("campaign_schedule"));
  CHECK(converted.dump() == v2_request.at("campaign_schedule").dump());

  Json request = old_request;
  request.set("campaign_schedule", converted);
  CHECK(request.dump() == v2_request.dump());
  // Already v2: unchanged.
  CHECK(convert_old_schedule(v2_request.at("campaign_schedule")).dump() == v2_request.at("campaign_schedule").dump());
}

TEST_CASE("campaign builder: old schedules with other zones, false days and bad input") {
  const Json old = Json::parse(R"({"schedules":[{"name":"S","timing":{"from":"10:00","to":"16:00"},
      "days":{"saturday":false,"Sunday":true,"mon":true},"timezone":"America/New_York"}],"start_date":"2025-01-01"})");
  CHECK(convert_old_schedule(old).dump() ==
        R"({"schedules":[{"name":"S","timing":{"from":"10:00","to":"16:00"},)"
        R"("days":{"0":true,"1":true,"6":false},"timezone":"America/Detroit"}],"start_date":"2025-01-01"})");

  CHECK(contains(error_of([] { convert_old_schedule(Json::parse(R"({"schedules":[{"days":{"funday":true}}]})")); }),
                 "campaign_schedule.schedules[0].days.funday"));
  CHECK(contains(error_of([] { convert_old_schedule(Json::parse(R"({"schedules":[{"days":{"monday":"yes"}}]})")); }),
                 "campaign_schedule.schedules[0].days.monday"));
  CHECK(contains(error_of([] { convert_old_schedule(Json::parse(R"({"schedules":[{"timezone":"Nowhere/City"}]})")); }),
                 "campaign_schedule.schedules[0].timezone"));
  CHECK_THROWS_AS(convert_old_schedule(Json::array()), ValidationError);
}

TEST_CASE("campaign builder: a two-step sequence builds the create body") {
  const instantly::CampaignCreateParams params = two_step_campaign().build();
  const Json expected = Json::parse(R"({
    "name": "Cafes LA",
    "campaign_schedule": {"schedules": [{
      "name": "Business Hours",
      "timing": {"from": "08:30", "to": "17:00"},
      "days": {"1": true, "2": true, "3": true, "4": true, "5": true},
      "timezone": "America/Dawson"}]},
    "sequences": [{"steps": [
      {"type": "email", "delay": 3, "delay_unit": "days", "variants": [
        {"subject": "{{subject_line}}", "body": "Hi {{firstName}},<br/>{{icebreaker}}"},
        {"subject": "Quick question, {{ firstName }}", "body": "{{icebreaker}} at {{companyName}}"}]},
      {"type": "email", "delay": 0, "delay_unit": "days", "variants": [
        {"subject": "", "body": "Following up on {{business_name}}, {{RANDOM | cheers | thanks}}"}]}]}],
    "email_list": ["me@mydomain.com", "you@mydomain.com"],
    "daily_limit": 50,
    "stop_on_reply": true
  })");
  const Json actual = Json::parse(params.to_json());
  INFO(actual.dump_pretty());
  CHECK(actual == expected);
}

TEST_CASE("campaign builder: defaults give a Monday-Friday 09:00-17:00 Chicago schedule, no sequence") {
  const Json actual = Json::parse(CampaignBuilder{.name = "Plain"}.build().to_json());
  CHECK(actual == Json::parse(R"({"name":"Plain","campaign_schedule":{"schedules":[{"name":"Business Hours",
      "timing":{"from":"09:00","to":"17:00"},"days":{"1":true,"2":true,"3":true,"4":true,"5":true},
      "timezone":"America/Chicago"}]}})"));
}

TEST_CASE("campaign builder: validation errors name the field") {
  auto build_error = [](auto change) {
    CampaignBuilder campaign = two_step_campaign();
    change(campaign);
    return error_of([&] { campaign.build(); });
  };
  CHECK(build_error([](CampaignBuilder&) {}).empty());
  CHECK(contains(build_error([](CampaignBuilder& c) { c.name = " "; }), "name:"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.schedule.from = "9:00"; }), "schedule.from"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.schedule.to = "24:00"; }), "schedule.to"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.schedule.to = "12:60"; }), "schedule.to"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.schedule.to = "08:00"; }), "schedule.to: must be after"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.schedule.days = {}; }), "schedule.days"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.schedule.timezone = "PST"; }), "schedule.timezone"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.sending_accounts.push_back("nobody"); }), "sending_accounts[2]"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.daily_limit = 0; }), "daily_limit"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.email_gap_minutes = -1; }), "email_gap_minutes"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.steps[0].subject = ""; }), "steps[0].subject"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.steps[0].variants[0].subject = ""; }),
                 "steps[0].variants[0].subject"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.steps[1].body = "\n"; }), "steps[1].body"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.steps[1].delay_days = -2; }), "steps[1].delay_days"));
  CHECK(contains(build_error([](CampaignBuilder& c) { c.steps[1].body = "Hi {{firstName"; }), "steps[1].body"));
  CHECK_THROWS_AS((void)Weekdays{"someday"}, ValidationError);
}

TEST_CASE("campaign builder: placeholders and warnings for variables no lead provides") {
  const CampaignBuilder campaign = two_step_campaign();
  CHECK(campaign.placeholders() ==
        std::vector<std::string>{"subject_line", "firstName", "icebreaker", "companyName", "business_name", "RANDOM"});

  CHECK(campaign.missing_placeholders(std::vector<std::string>{}) ==
        std::vector<std::string>{"subject_line", "icebreaker", "business_name"});
  CHECK(campaign.missing_placeholders({"subject_line", "icebreaker"}) == std::vector<std::string>{"business_name"});

  const std::vector<std::string> lines = campaign.warnings({"subject_line"});
  REQUIRE(lines.size() == 2);
  CHECK(contains(lines[0], "{{icebreaker}}"));
  CHECK(contains(lines[0], "steps[0].body"));
  CHECK(contains(lines[1], "{{business_name}}"));
  CHECK(contains(lines[1], "steps[1].body"));

  SUBCASE("business leads provide every custom variable the sequence uses") {
    const Business cafe{.name = "Acme Cafe", .email = "a@acme.example", .icebreaker = "Nice", .subject_line = "Hi"};
    const std::vector<instantly::LeadAddParamsLead> leads{to_lead(cafe)};
    CHECK(campaign.warnings(leads).empty());
    const Business bare{.name = "Bare", .email = "b@bare.example"};
    const std::vector<instantly::LeadAddParamsLead> bare_leads{to_lead(bare)};
    CHECK(campaign.missing_placeholders(bare_leads) == std::vector<std::string>{"subject_line", "icebreaker"});
  }
}
