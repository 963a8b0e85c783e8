// The codec runtime (src/json/codec.hpp), through hand-written models shaped
// exactly like generated ones (tests/support/sample_models.*).
#include "json/codec.hpp"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/page.hpp"
#include "support/sample_models.hpp"
#include "support/sample_models_codec.hpp"
#include "support/text.hpp"

namespace {

using instantly::DecodeError;
using instantly::Json;
using instantly::Page;
using instantly::detail::decode_document;
using instantly::testing::contains;
using instantly::detail::encode_document;
using instantly::testing::SampleCampaign;
using instantly::testing::SampleCampaignStatus;
using instantly::testing::SampleSchedule;
using instantly::testing::SampleSequence;
using instantly::testing::SampleStep;
using instantly::testing::SampleStepType;

// The DecodeError `action` throws; fails the test if it throws none.
template <class Action>
DecodeError decode_error(Action action) {
  try {
    action();
  } catch (const DecodeError& e) {
    return e;
  }
  FAIL("expected a DecodeError");
  return DecodeError("unreachable");
}

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& member : object.as_object()) keys.push_back(member.first);
  return keys;
}

// Known fields in schema order, so that encoding reproduces the text exactly.
constexpr const char* kCampaign =
    R"({"id":"0190f7a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b","name":"Q3 outreach","daily_limit":50.5,"status":1,)"
    R"("type":"email","email_list":["ana@example.com","bo@example.com"],)"
    R"("sequences":[{"steps":[{"type":"email","delay":0},{"type":"linkedin","delay":2}]}],)"
    R"("campaign_schedule":{"timezone":"Europe/Berlin","start_date":"2026-01-05","default":true},)"
    R"("custom_variables":{"tier":"gold","seats":12,"ratio":0.25,"tags":["a","b"],"owner":{"x":null}}})";

TEST_CASE("codec: a realistic campaign decodes into the struct and encodes back to the same text") {
  SampleCampaign campaign = SampleCampaign::from_json(kCampaign);

  CHECK(campaign.id == "0190f7a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b");
  CHECK(campaign.name == "Q3 outreach");
  REQUIRE(campaign.daily_limit.has_value());
  CHECK(*campaign.daily_limit == 50.5);
  CHECK(campaign.status == SampleCampaignStatus::Active);
  CHECK(campaign.type == SampleStepType::Email);
  CHECK(campaign.email_list == std::vector<std::string>{"ana@example.com", "bo@example.com"});
  REQUIRE(campaign.sequences.has_value());
  REQUIRE(campaign.sequences->size() == 1);
  const auto& steps = (*campaign.sequences)[0].steps;
  REQUIRE(steps.has_value());
  REQUIRE(steps->size() == 2);
  CHECK((*steps)[1].type == SampleStepType::Linkedin);
  CHECK((*steps)[1].delay == 2);
  REQUIRE(campaign.campaign_schedule.has_value());
  CHECK(campaign.campaign_schedule->timezone == "Europe/Berlin");
  CHECK(campaign.campaign_schedule->default_ == true);
  REQUIRE(campaign.custom_variables.has_value());
  CHECK(campaign.custom_variables->at("seats").is_int());
  CHECK(campaign.custom_variables->at("ratio").is_double());
  CHECK(campaign.extra_fields.is_null());

  CHECK(campaign.to_json() == kCampaign);
  CHECK(SampleCampaign::from_json(campaign.to_json()) == campaign);
}

TEST_CASE("codec: unknown members survive decoding and encoding, in order") {
  SUBCASE("after the known fields, at every level") {
    std::string text =
        R"({"id":"c1","sequences":[{"steps":[{"type":"email","label":"intro","ab":[1,2]}],"weight":3}],)"
        R"("campaign_schedule":{"timezone":"UTC","schedules":[{"days":{"1":true}}]},)"
        R"("pl_value":1.5,"owner":{"team":"x"},"archived":false})";
    SampleCampaign campaign = SampleCampaign::from_json(text);
    CHECK(keys_of(campaign.extra()) == std::vector<std::string>{"pl_value", "owner", "archived"});
    CHECK(campaign.extra().at("owner").at("team").as_string() == "x");
    CHECK(keys_of((*campaign.sequences)[0].extra()) == std::vector<std::string>{"weight"});
    CHECK(keys_of((*(*campaign.sequences)[0].steps)[0].extra()) == std::vector<std::string>{"label", "ab"});
    CHECK(campaign.campaign_schedule->extra().contains("schedules"));
    CHECK(campaign.to_json() == text);
  }
  SUBCASE("interleaved with known fields: unknown ones keep their order and follow the known ones") {
    auto campaign = SampleCampaign::from_json(R"({"zeta":1,"id":"c","alpha":[true],"name":"n","mid":null})");
    CHECK(keys_of(campaign.extra()) == std::vector<std::string>{"zeta", "alpha", "mid"});
    CHECK(campaign.to_json() == R"({"id":"c","name":"n","zeta":1,"alpha":[true],"mid":null})");
  }
  SUBCASE("a repeated unknown name keeps its first position and its last value, like Json::parse") {
    auto campaign = SampleCampaign::from_json(R"({"id":"c","x":1,"y":2,"x":3})");
    CHECK(campaign.to_json() == R"({"id":"c","x":3,"y":2})");
  }
}

TEST_CASE("codec: enum values the spec does not list survive decoding and encoding") {
  std::string text =
      R"({"id":"c","status":7,"type":"carrier-pigeon","sequences":[{"steps":[{"type":"carrier-pigeon"}]}]})";
  SampleCampaign campaign = SampleCampaign::from_json(text);
  REQUIRE(campaign.status.has_value());
  CHECK(static_cast<std::int64_t>(*campaign.status) == 7);
  REQUIRE(campaign.type.has_value());
  CHECK(campaign.type->value() == "carrier-pigeon");
  CHECK((*(*campaign.sequences)[0].steps)[0].type == SampleStepType("carrier-pigeon"));
  CHECK(campaign.to_json() == text);
}

TEST_CASE("codec: a Nullable field keeps absent, null and a value apart") {
  SUBCASE("absent: not written") {
    auto campaign = SampleCampaign::from_json(R"({"id":"a"})");
    CHECK(campaign.daily_limit.is_absent());
    CHECK(campaign.to_json() == R"({"id":"a"})");
  }
  SUBCASE("null: written as null") {
    auto campaign = SampleCampaign::from_json(R"({"id":"a","daily_limit":null})");
    CHECK(campaign.daily_limit.is_null());
    CHECK(campaign.to_json() == R"({"id":"a","daily_limit":null})");
  }
  SUBCASE("a value: written as the value") {
    auto campaign = SampleCampaign::from_json(R"({"id":"a","daily_limit":12.5})");
    CHECK(campaign.daily_limit == 12.5);
    CHECK(campaign.to_json() == R"({"id":"a","daily_limit":12.5})");
  }
  SUBCASE("set in code") {
    CHECK(SampleCampaign{.id = "a", .daily_limit = instantly::null}.to_json() ==
          R"({"id":"a","daily_limit":null})");
    CHECK(SampleCampaign{.id = "a", .daily_limit = 3.0}.to_json() == R"({"id":"a","daily_limit":3.0})");
    CHECK(SampleCampaign{.id = "a"}.to_json() == R"({"id":"a"})");
  }
}

TEST_CASE("codec: a null in a plain optional field reads as absent") {
  auto campaign = SampleCampaign::from_json(R"({"id":"a","name":null,"campaign_schedule":null})");
  CHECK_FALSE(campaign.name.has_value());
  CHECK_FALSE(campaign.campaign_schedule.has_value());
  CHECK(campaign.to_json() == R"({"id":"a"})");
}

TEST_CASE("codec: a wrongly typed field fails with its JSON path and what was expected") {
  SUBCASE("deep inside arrays of models") {
    auto error = decode_error([] {
      SampleCampaign::from_json(R"({"id":"a","sequences":[{"steps":[]},{"steps":[{"delay":"soon"}]}]})");
    });
    CHECK(error.json_path() == "$.sequences[1].steps[0].delay");
    CHECK(contains(error.what(), "expected a 32-bit integer, got a string"));
  }
  SUBCASE("a string field given a number") {
    auto error = decode_error([] { SampleCampaign::from_json(R"({"id":5})"); });
    CHECK(error.json_path() == "$.id");
    CHECK(contains(error.what(), "expected a string, got a number"));
  }
  SUBCASE("a nested model given an array") {
    auto error = decode_error([] { SampleCampaign::from_json(R"({"id":"a","campaign_schedule":[]})"); });
    CHECK(error.json_path() == "$.campaign_schedule");
    CHECK(contains(error.what(), "expected an object, got an array"));
  }
  SUBCASE("the document itself") {
    auto error = decode_error([] { SampleCampaign::from_json(R"("a campaign")"); });
    CHECK(error.json_path() == "$");
    CHECK(contains(error.what(), "expected an object, got a string"));
  }
  SUBCASE("an enum given the wrong kind of value") {
    auto error = decode_error([] { SampleCampaign::from_json(R"({"id":"a","status":"active","type":3})"); });
    CHECK(error.json_path() == "$.status");
    CHECK(contains(error.what(), "expected an integer, got a string"));
  }
  SUBCASE("names that are not identifiers are quoted in the path") {
    auto error =
        decode_error([] { SampleCampaign::from_json(R"({"id":"a","custom_variables":{"a.b":[1,tru]}})"); });
    CHECK(error.json_path() == R"($.custom_variables["a.b"][1])");
    CHECK(contains(error.what(), "malformed JSON"));
  }
}

TEST_CASE("codec: a missing required field fails naming the field") {
  SUBCASE("at the top") {
    auto error = decode_error([] { SampleCampaign::from_json(R"({"name":"no id"})"); });
    CHECK(contains(error.what(), R"(missing required field "id")"));
    CHECK(error.json_path() == "$");
  }
  SUBCASE("in a nested model") {
    auto error = decode_error(
        [] { SampleCampaign::from_json(R"({"id":"a","campaign_schedule":{"start_date":"2026-01-05"}})"); });
    CHECK(contains(error.what(), R"(missing required field "timezone")"));
    CHECK(error.json_path() == "$.campaign_schedule");
  }
}

TEST_CASE("codec: doubles decode exactly as std::strtod reads them") {
  // Includes more than 19 significant digits, halfway cases, subnormals and underflow.
  for (const char* text :
       {"0.1", "1e300", "123456789012345678901234", "-123456789012345678901234", "0.30000000000000004",
        "9007199254740993", "2.2250738585072014e-308", "4.9e-324", "1e-400", "-0.0", "-0",
        "1.7976931348623157e308", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203126", "12345678901234567890.123456789e-5",
        "0.000000000000000000000000000001e30"}) {
    CAPTURE(text);
    double expected = std::strtod(text, nullptr);
    CHECK(std::bit_cast<std::uint64_t>(decode_document<double>(text)) ==
          std::bit_cast<std::uint64_t>(expected));
    auto campaign = SampleCampaign::from_json(std::string(R"({"id":"a","daily_limit":)") + text + "}");
    CHECK(std::bit_cast<std::uint64_t>(*campaign.daily_limit) == std::bit_cast<std::uint64_t>(expected));
  }
  SUBCASE("an integer literal is a fine double") { CHECK(decode_document<double>("42") == 42.0); }
  SUBCASE("beyond double range there is nothing to return") {
    auto error = decode_error([] { decode_document<double>("1e400"); });
    CHECK(contains(error.what(), "1e400"));
    decode_error([] { decode_document<double>("-1e400"); });
  }
}

TEST_CASE("codec: integers are exact over the whole int64 range") {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(decode_document<std::int64_t>("-9223372036854775808") == kMin);
  CHECK(decode_document<std::int64_t>("9223372036854775807") == kMax);
  CHECK(encode_document(kMin) == "-9223372036854775808");
  CHECK(encode_document(kMax) == "9223372036854775807");
  CHECK(contains(decode_error([] { decode_document<std::int64_t>("9223372036854775808"); }).what(),
                 "expected a 64-bit integer, got 9223372036854775808"));
  decode_error([] { decode_document<std::int64_t>("-9223372036854775809"); });

  SUBCASE("a whole number written as a real is accepted, a fraction is not") {
    CHECK(decode_document<std::int64_t>("5.0") == 5);
    CHECK(decode_document<std::int64_t>("1e2") == 100);
    CHECK(contains(decode_error([] { decode_document<std::int64_t>("5.5"); }).what(),
                   "expected a 64-bit integer, got 5.5"));
  }
  SUBCASE("an int field: 5.0 is 5, 5.5 and values beyond 32 bits are errors") {
    CHECK(SampleStep::from_json(R"({"delay":5.0})").delay == 5);
    auto fraction = decode_error([] { SampleStep::from_json(R"({"delay":5.5})"); });
    CHECK(fraction.json_path() == "$.delay");
    CHECK(contains(fraction.what(), "expected a 32-bit integer, got 5.5"));
    CHECK(SampleStep::from_json(R"({"delay":-2147483648})").delay == std::numeric_limits<int>::min());
    auto too_big = decode_error([] { SampleStep::from_json(R"({"delay":2147483648})"); });
    CHECK(contains(too_big.what(), "expected a 32-bit integer, got 2147483648"));
  }
}

TEST_CASE("codec: free-form Json follows Json::parse") {
  for (const char* text : {R"({"a":1,"b":1.0,"c":-0,"d":1e2,"e":"x","f":[true,false,null],"g":{},"h":[]})",
                           "9223372036854775807", "-9223372036854775808", "18446744073709551615",
                           R"({"dup":1,"x":2,"dup":3})", R"("only a string")", "null", "0.1"}) {
    CAPTURE(text);
    CHECK(decode_document<Json>(text).dump() == Json::parse(text).dump());
  }
  SUBCASE("integers beyond 64 bits become doubles") {
    Json big = decode_document<Json>("123456789012345678901234");
    REQUIRE(big.is_double());
    CHECK(big.as_double() == std::strtod("123456789012345678901234", nullptr));
  }
}

TEST_CASE("codec: escaped keys and strings are unescaped, unicode survives a round trip") {
  // UTF-8 spelled out in bytes, so the test does not depend on the source file's encoding.
  const std::string e_acute = "\xC3\xA9", u_umlaut = "\xC3\xBC", waving_hand = "\xF0\x9F\x91\x8B";
  const std::string nihon = "\xE6\x97\xA5\xE6\x9C\xAC";

  auto campaign = SampleCampaign::from_json(
      R"({"i\u0064":"a","na\u006De":"B\u00e9a \ud83d\udc4b \"q\" \\ \/ \n\t","custom_variables":{"\u00fc":"\u65e5\u672c"}})");
  CHECK(campaign.id == "a");
  CHECK(campaign.name == "B" + e_acute + "a " + waving_hand + " \"q\" \\ / \n\t");
  CHECK(campaign.custom_variables->at(u_umlaut).as_string() == nihon);
  CHECK(campaign.extra_fields.is_null());  // the escaped keys matched known fields

  SampleCampaign unicode{.id = nihon, .name = "Gr" + u_umlaut + "\xC3\x9F" + "e " + waving_hand};
  std::string text = unicode.to_json();
  CHECK(contains(text, waving_hand));  // written as UTF-8, not as escapes
  CHECK(SampleCampaign::from_json(text) == unicode);
  CHECK(SampleCampaign::from_json(campaign.to_json()) == campaign);
}

TEST_CASE("codec: malformed, truncated or trailing text is a DecodeError") {
  for (std::string text : {"",
                           "   ",
                           R"({"id":"a")",
                           R"({"id":"a",})",
                           R"({"id" "a"})",
                           R"({"id":})",
                           R"({"id":"a"} x)",
                           R"({"id":"a"}})",
                           R"({"id":"a"}])",
                           R"({"id":"a"}{})",
                           R"({"id":"a"},{})",
                           R"({"id":"unterminated})",
                           R"({"id":"a\x"})",
                           R"({"id":"a","name":"\ud800"})",
                           R"({"id":"a","status":01})",
                           R"({"id":"a","status":1.})",
                           R"({"id":"a","status":-})",
                           R"({"id":"a","status":1x})",
                           R"({"id":"a","more":tru})",
                           R"({"id":"a","more":nul})",
                           R"({"id":"a","more":[1,]})",
                           R"({"id":"a","more":NaN})",
                           R"({"id":"a","daily_limit":Infinity})",
                           "{\"id\":\"\xFF\"}",
                           "]",
                           "[",
                           "}"}) {
    CAPTURE(text);
    CHECK_THROWS_AS(SampleCampaign::from_json(text), DecodeError);
  }
  SUBCASE("trailing content is reported as such") {
    auto error = decode_error([] { SampleCampaign::from_json(R"({"id":"a"} {"id":"b"})"); });
    CHECK(contains(error.what(), "after the JSON value"));
  }
  SUBCASE("whitespace around the document is fine") {
    CHECK(SampleCampaign::from_json(" \n\t{\"id\":\"a\"}\r\n ").id == "a");
  }
  SUBCASE("nesting is bounded instead of exhausting the stack") {
    auto nested = [](int depth) {
      return R"({"id":"a","custom_variables":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    };
    // custom_variables and the 999 arrays inside it: 1000 levels below the root.
    CHECK(SampleCampaign::from_json(nested(1000)).custom_variables.has_value());
    CHECK(contains(decode_error([&] { SampleCampaign::from_json(nested(1001)); }).what(),
                   "nested more than 1000"));
    CHECK_THROWS_AS(SampleCampaign::from_json(nested(100000)), DecodeError);
  }
  SUBCASE("deep nesting in a member that is skipped, not read, is harmless") {
    std::string deep = std::string(5000, '[') + std::string(5000, ']');
    CHECK(decode_document<Page<SampleCampaign>>(R"({"items":[],"ignored":)" + deep + "}").items.empty());
  }
}

TEST_CASE("codec: Page decodes items and the cursor") {
  SUBCASE("with a cursor, other members are ignored") {
    auto page = decode_document<Page<SampleCampaign>>(
        R"({"items":[{"id":"a"},{"id":"b","status":2}],"next_starting_after":"b","total":{"n":2}})");
    REQUIRE(page.items.size() == 2);
    CHECK(page.items[1].status == SampleCampaignStatus::Paused);
    CHECK(page.next_starting_after == "b");
    CHECK(page.has_next_page());
  }
  SUBCASE("a null cursor is the last page") {
    auto page = decode_document<Page<SampleCampaign>>(R"({"items":[{"id":"a"}],"next_starting_after":null})");
    CHECK(page.items.size() == 1);
    CHECK_FALSE(page.next_starting_after.has_value());
  }
  SUBCASE("an empty cursor means none") {
    auto page = decode_document<Page<SampleCampaign>>(R"({"items":[],"next_starting_after":""})");
    CHECK(page.items.empty());
    CHECK_FALSE(page.next_starting_after.has_value());
  }
  SUBCASE("an object without items is not a page") {
    auto error = decode_error([] { decode_document<Page<SampleCampaign>>(R"({"next_starting_after":""})"); });
    CHECK(error.json_path() == "$");
  }
  SUBCASE("a bare array is one page without a cursor") {
    auto page = decode_document<Page<SampleCampaign>>(R"([{"id":"a"},{"id":"b"}])");
    CHECK(page.items.size() == 2);
    CHECK_FALSE(page.next_starting_after.has_value());
  }
  SUBCASE("errors in an item carry its index") {
    auto error = decode_error([] { decode_document<Page<SampleCampaign>>(R"({"items":[{"id":"a"},{}]})"); });
    CHECK(error.json_path() == "$.items[1]");
  }
  SUBCASE("a page bigger than the reusable parser's limit") {
    std::string text = R"({"items":[)";
    for (int i = 0; i < 60000; ++i) {
      text += (i ? "," : "") + std::string(R"({"id":"campaign-)") + std::to_string(i) + "\"}";
    }
    text += R"(],"next_starting_after":"campaign-59999"})";
    REQUIRE(text.size() > (std::size_t{1} << 20));
    auto page = decode_document<Page<SampleCampaign>>(text);
    CHECK(page.items.size() == 60000);
    CHECK(page.items.back().id == "campaign-59999");
  }
}

TEST_CASE("codec: encoding writes compact JSON that Json::parse reads back as expected") {
  SampleCampaign campaign{
      .id = "c1",
      .name = "Launch",
      .daily_limit = 20.0,
      .status = SampleCampaignStatus::Completed,
      .type = SampleStepType::Linkedin,
      .email_list = std::vector<std::string>{"a@example.com"},
      .sequences =
          std::vector<SampleSequence>{
              {.steps = std::vector<SampleStep>{{.type = SampleStepType::Email, .delay = 3}}}},
      .campaign_schedule = SampleSchedule{.timezone = "UTC", .default_ = false},
      .custom_variables = Json::object({{"k", "v"}, {"n", 1}}),
      .extra_fields = Json::object({{"future_field", Json::array({1, "two"})}}),
  };
  std::string text = campaign.to_json();
  CHECK(
      text ==
      R"({"id":"c1","name":"Launch","daily_limit":20.0,"status":3,"type":"linkedin","email_list":["a@example.com"],)"
      R"("sequences":[{"steps":[{"type":"email","delay":3}]}],"campaign_schedule":{"timezone":"UTC","default":false},)"
      R"("custom_variables":{"k":"v","n":1},"future_field":[1,"two"]})");
  Json expected = Json::object({
      {"id", "c1"},
      {"name", "Launch"},
      {"daily_limit", 20.0},
      {"status", 3},
      {"type", "linkedin"},
      {"email_list", Json::array({"a@example.com"})},
      {"sequences", Json::array({Json::object(
                        {{"steps", Json::array({Json::object({{"type", "email"}, {"delay", 3}})})}})})},
      {"campaign_schedule", Json::object({{"timezone", "UTC"}, {"default", false}})},
      {"custom_variables", Json::object({{"k", "v"}, {"n", 1}})},
      {"future_field", Json::array({1, "two"})},
  });
  CHECK(Json::parse(text) == expected);
  CHECK(SampleCampaign::from_json(text) == campaign);

  SUBCASE("a double that is not finite is written as null") {
    CHECK(SampleCampaign{.id = "a", .daily_limit = std::nan("")}.to_json() ==
          R"({"id":"a","daily_limit":null})");
  }
  SUBCASE("extra_fields that are not an object cannot be written") {
    SampleCampaign campaign_with_bad_extras{.id = "a", .extra_fields = 5};
    CHECK_THROWS_AS(campaign_with_bad_extras.to_json(), instantly::ValidationError);
  }
  SUBCASE("an absent optional has no JSON form of its own") {
    CHECK_THROWS_AS(encode_document(std::optional<int>{}), std::logic_error);
    CHECK_THROWS_AS(encode_document(instantly::Nullable<int>{}), std::logic_error);
  }
  SUBCASE("pages") {
    Page<SampleStep> page{.items = {SampleStep{.delay = 1}}, .next_starting_after = "x"};
    CHECK(encode_document(page) == R"({"items":[{"delay":1}],"next_starting_after":"x"})");
  }
}

}  // namespace
