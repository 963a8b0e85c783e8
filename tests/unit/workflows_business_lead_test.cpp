// Business → lead: the old pipeline's mapping against its reference pair
// (tests/fixtures/business-to-lead.json), missing values, rating text,
// the typed mapping's top-level contact fields, and JSON rows as pandas writes them.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/workflows/business_lead.hpp"
#include "support/fixtures.hpp"
#include "support/text.hpp"

using instantly::Json;
using instantly::ValidationError;
using instantly::testing::load_fixture;
using instantly::testing::contains;
using instantly::workflows::Business;
using instantly::workflows::business_from_json;
using instantly::workflows::format_lead_for_instantly;
using instantly::workflows::python_float_text;
using instantly::workflows::to_lead;

namespace {


Business acme() {
  return Business{.name = "Acme Cafe",
                  .email = "contact@acmecafe.com",
                  .category = "cafe",
                  .city = "Los Angeles",
                  .state = "CA",
                  .rating = 4.8,
                  .reviews_count = 127,
                  .phone = "+1-555-1234",
                  .website = "https://acmecafe.com",
                  .address = "123 Main St, Los Angeles, CA",
                  .icebreaker = "Saw you have 4.8 stars in LA...",
                  .subject_line = "Quick Q for Acme Cafe"};
}

Json vars_of(const Business& b) { return *to_lead(b).custom_variables; }

std::string error_of(const Json& row) {
  try {
    business_from_json(row);
  } catch (const ValidationError& e) {
    return e.what();
  }
  return {};
}


}  // namespace

TEST_CASE("business lead: the reference business maps to exactly the reference lead") {
  const Json fixture = load_fixture("business-to-lead.json");
  const Json& business = fixture.at("business");
  const Json& lead = fixture.at("lead");

  SUBCASE("compat JSON mapping, member order included") {
    const Json out = format_lead_for_instantly(business);
    CHECK(out == lead);
    CHECK(out.dump() == lead.dump());
  }
  SUBCASE("typed mapping without top-level contact fields") {
    const Business parsed = business_from_json(business);
    const instantly::LeadAddParamsLead typed = to_lead(parsed, {.fill_top_level_contact = false});
    CHECK(Json::parse(typed.to_json()) == lead);
    CHECK(typed.custom_variables->dump() == lead.at("custom_variables").dump());
  }
  SUBCASE("the hand-written Business equals the parsed row") {
    const Business parsed = business_from_json(business);
    CHECK(Json::parse(to_lead(parsed).to_json()) == Json::parse(to_lead(acme()).to_json()));
  }
}

TEST_CASE("business lead: typed mapping fills top-level phone and website") {
  const instantly::LeadAddParamsLead lead = to_lead(acme());
  CHECK(lead.email.value() == "contact@acmecafe.com");
  CHECK(lead.first_name.value() == "Acme Cafe");
  CHECK(lead.last_name.value() == "Team");
  CHECK(lead.company_name.value() == "Acme Cafe");
  CHECK(lead.phone.value() == "+1-555-1234");
  CHECK(lead.website.value() == "https://acmecafe.com");

  Business bare = acme();
  bare.phone = "  ";
  bare.website.reset();
  const instantly::LeadAddParamsLead without = to_lead(bare);
  CHECK(without.phone.is_absent());
  CHECK(without.website.is_absent());
  CHECK(to_lead(acme(), {.fill_top_level_contact = false}).phone.is_absent());
}

TEST_CASE("business lead: missing values are left out, never None/nan/empty") {
  Business b{.name = "Solo", .email = "solo@example.com"};
  b.category = "";
  b.city = "   ";
  b.rating = std::numeric_limits<double>::quiet_NaN();
  b.address = "\t";
  const Json vars = vars_of(b);
  CHECK(vars.dump() == R"({"business_name":"Solo"})");
  const std::string text = to_lead(b).to_json();
  CHECK_FALSE(contains(text, "None"));
  CHECK_FALSE(contains(text, "nan"));
  CHECK_FALSE(contains(text, "\"\""));

  b.rating = std::numeric_limits<double>::infinity();
  CHECK_FALSE(vars_of(b).contains("business_rating"));
}

TEST_CASE("business lead: location is \"City, ST\" or just the present part") {
  Business b{.name = "X", .email = "x@example.com", .city = "Austin", .state = "TX"};
  CHECK(vars_of(b).at("business_location").as_string() == "Austin, TX");
  b.state.reset();
  CHECK(vars_of(b).at("business_location").as_string() == "Austin");
  CHECK_FALSE(vars_of(b).contains("business_state"));
  b.city = "";
  b.state = "TX";
  CHECK(vars_of(b).at("business_location").as_string() == "TX");
  b.state = " ";
  CHECK_FALSE(vars_of(b).contains("business_location"));
}

TEST_CASE("business lead: rating text matches Python's str(float)") {
  CHECK(python_float_text(4.8) == "4.8");
  CHECK(python_float_text(5.0) == "5.0");
  CHECK(python_float_text(4.25) == "4.25");
  CHECK(python_float_text(0.0) == "0.0");
  CHECK(python_float_text(-0.0) == "-0.0");
  CHECK(python_float_text(0.1 + 0.2) == "0.30000000000000004");
  CHECK(python_float_text(1234.5) == "1234.5");
  CHECK(python_float_text(100.0) == "100.0");
  CHECK(python_float_text(0.0001) == "0.0001");
  CHECK(python_float_text(0.00001) == "1e-05");
  CHECK(python_float_text(1.5e-7) == "1.5e-07");
  CHECK(python_float_text(1e15) == "1000000000000000.0");
  CHECK(python_float_text(1e16) == "1e+16");
  CHECK(python_float_text(1.25e100) == "1.25e+100");
  CHECK(python_float_text(-3.5) == "-3.5");

  Business b{.name = "X", .email = "x@example.com", .rating = 5.0, .reviews_count = 0};
  CHECK(vars_of(b).at("business_rating").as_string() == "5.0");
  CHECK(vars_of(b).at("business_reviews").as_string() == "0");
}

TEST_CASE("business lead: compat mapping of rows with string numbers, nulls and NaN") {
  Json row = Json::object({{"name", "Bean There"},
                           {"email", "hi@bean.example"},
                           {"category", nullptr},
                           {"city", "Boston"},
                           {"state", std::numeric_limits<double>::quiet_NaN()},  // pandas empty cell
                           {"rating", " 4.50 "},
                           {"reviews_count", "88.0"},
                           {"phone", ""},
                           {"website", nullptr},
                           {"icebreaker", "Loved the latte art"},
                           {"place_id", "ChIJ..."}});  // unknown keys are ignored
  CHECK(format_lead_for_instantly(row).dump() ==
        R"({"email":"hi@bean.example","first_name":"Bean There","last_name":"Team","company_name":"Bean There",)"
        R"("custom_variables":{"icebreaker":"Loved the latte art","business_name":"Bean There",)"
        R"("business_location":"Boston","business_city":"Boston","business_rating":"4.5","business_reviews":"88"}})");

  SUBCASE("numbers given as numbers") {
    row.set("rating", 4);
    row.set("reviews_count", 12.0);
    const Json vars = format_lead_for_instantly(row).at("custom_variables");
    CHECK(vars.at("business_rating").as_string() == "4.0");
    CHECK(vars.at("business_reviews").as_string() == "12");
  }
  SUBCASE("blank, NaN and infinite numbers are missing") {
    for (const Json& missing : {Json(""), Json("  "), Json("nan"), Json("NaN"), Json("inf"), Json(nullptr),
                                Json(std::numeric_limits<double>::quiet_NaN())}) {
      row.set("rating", missing);
      row.set("reviews_count", missing);
      const Json vars = format_lead_for_instantly(row).at("custom_variables");
      CHECK_FALSE(vars.contains("business_rating"));
      CHECK_FALSE(vars.contains("business_reviews"));
    }
  }
  SUBCASE("absent keys are missing") {
    Json minimal = Json::object({{"name", "M"}, {"email", "m@example.com"}});
    CHECK(format_lead_for_instantly(minimal).at("custom_variables").dump() == R"({"business_name":"M"})");
  }
}

TEST_CASE("business lead: wrong types are ValidationErrors naming the field") {
  const Json good = Json::object({{"name", "A"}, {"email", "a@example.com"}});
  auto with = [&](const char* key, Json value) {
    Json row = good;
    row.set(key, std::move(value));
    return error_of(row);
  };
  CHECK(error_of(good).empty());
  CHECK(contains(with("rating", "four"), "business.rating"));
  CHECK(contains(with("rating", true), "business.rating"));
  CHECK(contains(with("reviews_count", 12.5), "business.reviews_count"));
  CHECK(contains(with("reviews_count", "12.5"), "business.reviews_count"));
  CHECK(contains(with("reviews_count", Json::array()), "business.reviews_count"));
  CHECK(contains(with("city", 5), "business.city"));
  CHECK(contains(with("email", ""), "business.email"));
  CHECK(contains(with("name", nullptr), "business.name"));
  CHECK(contains(error_of(Json::array()), "business: expected a JSON object"));
  CHECK(contains(error_of(Json::object({{"name", "A"}})), "business.email"));
  CHECK_THROWS_AS(to_lead(Business{.name = "A", .email = " "}), ValidationError);
  CHECK_THROWS_AS(format_lead_for_instantly(Json::object({{"email", "a@example.com"}})), ValidationError);
}
