// The generated models and codecs on the shapes the live API is known to send
// (api-facts.md): unknown members and enum values, nulls, draft campaigns.
#include <doctest/doctest.h>

#include <string>

#include "generated/codecs/campaign_codec.hpp"
#include "generated/codecs/lead_codec.hpp"
#include "instantly/models.hpp"

using instantly::Campaign;
using instantly::CampaignStatus;
using instantly::Json;

namespace {

const char* const kActiveCampaign = R"({
  "id": "0b6a6c41-44ad-4bd4-9d0b-2e0c1a2f0a01",
  "name": "Cafes LA",
  "status": 1,
  "campaign_schedule": {
    "schedules": [{"name": "Business Hours", "timing": {"from": "09:00", "to": "17:00"},
                   "days": {"1": true, "2": true, "5": false}, "timezone": "America/Chicago"}]
  },
  "timestamp_created": "2026-11-01T10:00:00.000Z",
  "timestamp_updated": "2026-11-02T10:00:00.000Z",
  "daily_limit": null,
  "email_list": ["a@acme.io", "b@acme.io"],
  "sequences": [{"steps": [{"type": "email", "delay": 2, "variants": [{"subject": "{{subject_line}}", "body": "{{icebreaker}}"}]}]}],
  "brand_new_setting": {"nested": [1, 2.5, "x"]},
  "custom_variables": {"icebreaker": "Saw you have 4.8 stars"}
})";

}  // namespace

TEST_CASE("a campaign survives decode and re-encode, unknown members included") {
  const Campaign campaign = Campaign::from_json(kActiveCampaign);
  CHECK(campaign.name == "Cafes LA");
  CHECK(campaign.status == CampaignStatus::Active);
  CHECK(campaign.daily_limit.is_null());
  CHECK(campaign.email_gap.is_absent());
  REQUIRE(campaign.campaign_schedule.schedules.size() == 1);
  const auto& entry = campaign.campaign_schedule.schedules[0];
  CHECK(entry.timing.from == "09:00");
  CHECK(entry.days.monday == true);
  CHECK(entry.days.friday == false);
  CHECK_FALSE(entry.days.sunday.has_value());
  CHECK(entry.timezone == instantly::Timezone::AmericaChicago);
  CHECK(campaign.extra().at("brand_new_setting") == Json::parse(R"({"nested":[1,2.5,"x"]})"));
  CHECK(campaign.custom_variables->at("icebreaker").as_string() == "Saw you have 4.8 stars");

  CHECK(Json::parse(campaign.to_json()) == Json::parse(kActiveCampaign));
  CHECK(Campaign::from_json(campaign.to_json()) == campaign);
}

TEST_CASE("unknown enum values survive: status 7, a new timezone") {
  std::string text = kActiveCampaign;
  text.replace(text.find("\"status\": 1"), 11, "\"status\": 7");
  text.replace(text.find("America/Chicago"), 15, "Mars/Olympus_Mons");
  const Campaign campaign = Campaign::from_json(text);
  CHECK(static_cast<std::int64_t>(campaign.status) == 7);
  CHECK(instantly::name_of(campaign.status).empty());
  CHECK(campaign.campaign_schedule.schedules[0].timezone.value() == "Mars/Olympus_Mons");
  CHECK(Json::parse(campaign.to_json()) == Json::parse(text));
}

TEST_CASE("a draft campaign may come back with campaign_schedule: {}") {
  const Campaign draft = Campaign::from_json(
      R"({"id":"c1","name":"Draft","status":0,"campaign_schedule":{},"timestamp_created":"t","timestamp_updated":"t"})");
  CHECK(draft.status == CampaignStatus::Draft);
  CHECK(draft.campaign_schedule.schedules.empty());
}

TEST_CASE("a wrong-typed known field is reported with its JSON path") {
  std::string text = kActiveCampaign;
  text.replace(text.find("\"delay\": 2"), 10, "\"delay\": \"two days\"");
  try {
    Campaign::from_json(text);
    FAIL("expected DecodeError");
  } catch (const instantly::DecodeError& e) {
    CHECK(e.json_path() == "$.sequences[0].steps[0].delay");
  }
}

TEST_CASE("PATCH bodies tell absent, null and a value apart") {
  instantly::CampaignUpdateParams patch;
  patch.name = "Cafes LA v2";
  patch.daily_limit = instantly::null;  // clear it
  patch.email_gap = 10.0;
  const Json body = Json::parse(instantly::detail::encode_body(patch));
  CHECK(body == Json::object({{"name", "Cafes LA v2"}, {"email_gap", 10.0}, {"daily_limit", nullptr}}));
  CHECK_FALSE(body.contains("text_only"));
}

TEST_CASE("query-located parameters never end up in the body") {
  instantly::CampaignListParams list;
  list.limit = 50;
  list.search = "cafe";
  CHECK(instantly::detail::encode_body(list) == "{}");
}

TEST_CASE("lead custom_variables keep scalar types and unknown lead fields survive") {
  const char* const text =
      R"({"email":"contact@acmecafe.com","first_name":"Acme Cafe","custom_variables":{"business_rating":"4.8","vip":true,"reviews":127},"favourite_color":"teal"})";
  const auto lead = instantly::LeadAddParamsLead::from_json(text);
  CHECK(lead.email == std::string("contact@acmecafe.com"));
  CHECK(lead.custom_variables->at("vip") == Json(true));
  CHECK(lead.extra().at("favourite_color").as_string() == "teal");
  CHECK(Json::parse(lead.to_json()) == Json::parse(text));
}
