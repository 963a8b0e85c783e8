// Request validation: schema data written by hand in exactly the form the
// generator emits (see src/validation/schema.hpp), checked keyword by keyword.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "validation/schema.hpp"
#include "validation/validate.hpp"

// Readable failure output for the message lists the tests compare.
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& lines) {
    std::string text = "[";
    for (const std::string& line : lines) text += "\n  " + line;
    return (text + "\n]").c_str();
  }
};
}  // namespace doctest

using instantly::Json;
using namespace instantly::detail::validation;

namespace {

// --- The example from schema.hpp, emitted verbatim -------------------------

const Schema s0{.types = kString, .pattern = "^[a-z][a-z0-9_]*$"};
const Schema s1{.types = kString, .enum_json = R"json(["mon","tue","wed"])json"};
const Schema s2{.types = kArray, .items = &s1, .max_items = 3};
const Schema s3{.types = kString, .format = Format::Date};
const Schema s4{.types = kInteger | kNull, .minimum = 1, .maximum = 24};
const Property s5_properties[] = {{"from", &s3}, {"hours", &s4}};
const Schema s5{.types = kObject, .properties = s5_properties};
const Property s6_properties[] = {{"handle", &s0}, {"days", &s2}, {"window", &s5}};
const char* const s6_required[] = {"handle", "days"};
// constinit proves the emitted form needs no start-up code.
constinit const Schema create_widget_body{.types = kObject,
                                          .properties = s6_properties,
                                          .required = s6_required,
                                          .additional_properties = &kNever};

// --- A campaign-like body: nested arrays of objects ------------------------

const Schema lead_email{.types = kString, .format = Format::Email};
const Schema lead_name{.types = kString | kNull, .min_length = 1, .max_length = 5};
const Schema lead_id{.types = kString, .read_only = true};
const Schema custom_value{.types = kString | kNumber | kBoolean | kNull};
const Schema custom_variables{.types = kObject, .additional_properties = &custom_value};
const Property lead_properties[] = {
    {"email", &lead_email}, {"first_name", &lead_name}, {"id", &lead_id}, {"custom_variables", &custom_variables}};
const char* const lead_required[] = {"email", "id"};
const Schema lead_schema{.types = kObject,
                  .properties = lead_properties,
                  .required = lead_required,
                  .additional_properties = &kNever};
const Schema leads{.types = kArray, .items = &lead_schema, .min_items = 1, .max_items = 1000};
const Schema timing_value{.types = kString, .pattern = "^([01][0-9]|2[0-3]):([0-5][0-9])$"};
const Property timing_properties[] = {{"from", &timing_value}, {"to", &timing_value}};
const char* const timing_required[] = {"from", "to"};
const Schema timing{.types = kObject, .properties = timing_properties, .required = timing_required};
const Schema day_flag{.types = kBoolean};
const Schema days{.types = kObject, .additional_properties = &day_flag, .min_properties = 1};
const Property schedule_properties[] = {{"timing", &timing}, {"days", &days}};
const Schema schedule{.types = kObject, .properties = schedule_properties};
const Schema schedules{.types = kArray, .items = &schedule, .min_items = 1};
const Property campaign_schedule_properties[] = {{"schedules", &schedules}};
const Schema campaign_schedule{.types = kObject, .properties = campaign_schedule_properties};
const Schema campaign_name{.types = kString};
const Property campaign_properties[] = {
    {"name", &campaign_name}, {"campaign_schedule", &campaign_schedule}, {"leads", &leads}};
const char* const campaign_required[] = {"name", "campaign_schedule"};
const Schema campaign_body{.types = kObject,
                           .properties = campaign_properties,
                           .required = campaign_required,
                           .additional_properties = &kNever};

std::vector<std::string> messages(const std::vector<Issue>& issues) {
  std::vector<std::string> out;
  for (const Issue& issue : issues) out.push_back(issue.message);
  return out;
}

std::vector<std::string> check(const Json& value, const Schema& schema) {
  return messages(validate(value, schema, "body"));
}

using Strings = std::vector<std::string>;

Json valid_widget() {
  return Json::parse(R"({"handle":"my_widget","days":["mon","wed"],"window":{"from":"2026-01-31","hours":8}})");
}

Json lead_with(const char* email) { return Json::object({{"email", email}}); }

}  // namespace

TEST_CASE("a valid document yields no issues") {
  CHECK(validate(valid_widget(), create_widget_body).empty());
  CHECK(check(Json::parse(R"({"name":"Q3","campaign_schedule":{"schedules":[{"timing":{"from":"09:00","to":"17:30"},
        "days":{"1":true}}]},"leads":[{"email":"a@b.co","first_name":null,"custom_variables":{"x":1}}]})"),
              campaign_body)
            .empty());
}

TEST_CASE("type: single types, type lists and what 'got' says") {
  const Schema string_schema{.types = kString};
  CHECK(check(Json(5), string_schema) == Strings{"body must be a string (got number)"});
  CHECK(check(Json::array(), string_schema) == Strings{"body must be a string (got array)"});

  const Schema nullable_number{.types = kNumber | kNull};
  CHECK(check(Json(nullptr), nullable_number).empty());
  CHECK(check(Json(2.5), nullable_number).empty());
  CHECK(check(Json(true), nullable_number) == Strings{"body must be a number or null (got boolean)"});

  const Schema many{.types = kString | kArray | kObject | kNull};
  CHECK(check(Json(1), many) == Strings{"body must be a string, an array, an object or null (got number)"});

  const Schema integer{.types = kInteger};
  CHECK(check(Json(3), integer).empty());
  CHECK(check(Json(3.0), integer).empty());  // JSON Schema: 3.0 is an integer
  CHECK(check(Json(3.5), integer) == Strings{"body must be an integer (got 3.5)"});
  CHECK(check(Json("3"), integer) == Strings{"body must be an integer (got string)"});

  const Schema boolean{.types = kBoolean};
  CHECK(check(Json(nullptr), boolean) == Strings{"body must be a boolean (got null)"});
  const Schema object{.types = kObject};
  CHECK(check(Json::array(), object) == Strings{"body must be an object (got array)"});
}

TEST_CASE("kAnyValue accepts everything and kNever nothing") {
  for (const Json& value : {Json(nullptr), Json(1), Json("x"), Json::array({1}), Json::object({{"a", 1}})}) {
    CHECK(validate(value, kAnyValue).empty());
    CHECK(check(value, kNever) == Strings{"body is not allowed"});
  }
}

TEST_CASE("required, nested paths and the caller's root name") {
  CHECK(check(Json::object(), campaign_body) ==
        Strings{"body.name is required", "body.campaign_schedule is required"});
  const auto issues = validate(
      Json::parse(R"({"name":"x","campaign_schedule":{"schedules":[{"timing":{"from":"09:00"}}]}})"),
      campaign_body, "payload");
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "payload.campaign_schedule.schedules[0].timing.to");
  CHECK(issues[0].message == "payload.campaign_schedule.schedules[0].timing.to is required");
}

TEST_CASE("additionalProperties: false, a schema, or absent") {
  CHECK(check(Json::parse(R"({"handle":"a","days":[],"foo":1,"bar":2})"), create_widget_body) ==
        Strings{"body.foo is not allowed (unknown field)", "body.bar is not allowed (unknown field)"});
  // A schema: each extra member is checked against it.
  CHECK(check(Json::parse(R"({"1":true,"2":"yes"})"), days) == Strings{R"(body["2"] must be a boolean (got string))"});
  // Absent: extra members pass.
  CHECK(check(Json::parse(R"({"from":"2026-01-01","extra":[1]})"), s5).empty());
}

TEST_CASE("keys that are not identifiers are quoted in paths") {
  CHECK(check(Json::parse(R"({"first name":1})"), Schema{.types = kObject, .additional_properties = &kNever}) ==
        Strings{R"(body["first name"] is not allowed (unknown field))"});
}

TEST_CASE("items, minItems and maxItems, with item paths") {
  Json body = Json::parse(R"({"name":"x","campaign_schedule":{"schedules":[]}})");
  CHECK(check(body, campaign_body) == Strings{"body.campaign_schedule.schedules must have at least 1 item (got 0)"});

  Json many = Json::array();
  for (int i = 0; i < 1001; ++i) many.push_back(lead_with("a@b.co"));
  body.set("campaign_schedule", Json::parse(R"({"schedules":[{"days":{"0":true}}]})"));
  body.set("leads", many);
  CHECK(check(body, campaign_body) == Strings{"body.leads must have at most 1000 items (got 1001)"});

  Json bad_item = Json::array({lead_with("a@b.co"), lead_with("a@b.co"), lead_with("a@b.co"), lead_with("nope")});
  body.set("leads", bad_item);
  const auto issues = validate(body, campaign_body);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "body.leads[3].email");
  CHECK(issues[0].message == "body.leads[3].email must be a valid email address");

  CHECK(check(Json::array({"mon", "tue", "wed", "mon"}), s2) == Strings{"body must have at most 3 items (got 4)"});
}

TEST_CASE("minLength and maxLength count characters, not bytes") {
  CHECK(check(Json(""), lead_name) == Strings{"body must be at least 1 character long (got 0)"});
  CHECK(check(Json("abcdef"), lead_name) == Strings{"body must be at most 5 characters long (got 6)"});
  CHECK(check(Json("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"), lead_name).empty());  // five 'é', ten bytes
}

TEST_CASE("minimum and maximum") {
  CHECK(check(Json(0), s4) == Strings{"body must be at least 1 (got 0)"});
  CHECK(check(Json(25), s4) == Strings{"body must be at most 24 (got 25)"});
  CHECK(check(Json(24.0), s4).empty());
  const Schema fraction{.types = kNumber, .minimum = 0.5};
  CHECK(check(Json(0.25), fraction) == Strings{"body must be at least 0.5 (got 0.25)"});
}

TEST_CASE("pattern is searched with ECMAScript rules") {
  CHECK(check(Json("my_widget"), s0).empty());
  CHECK(check(Json("My Widget"), s0) == Strings{"body must match the pattern ^[a-z][a-z0-9_]*$"});
  CHECK(check(Json("24:00"), timing_value) == Strings{"body must match the pattern ^([01][0-9]|2[0-3]):([0-5][0-9])$"});
  const Schema unanchored{.types = kString, .pattern = "\\S"};
  CHECK(check(Json("  x "), unanchored).empty());
  CHECK(check(Json("   "), unanchored).size() == 1);
  // Lookahead is ECMAScript and must keep working.
  const Schema lookahead{.types = kString, .pattern = "^(ptid_)?(?!ptid_)[A-Za-z0-9_-]{1,45}$"};
  CHECK(check(Json("ptid_abc"), lookahead).empty());
  CHECK(check(Json("ptid_ptid_abc"), lookahead).size() == 1);
}

TEST_CASE("a very long string does not exhaust the stack in the regex matcher") {
  const Schema single_line{.types = kString, .pattern = "^[^\\n\\r]*$"};
  CHECK(check(Json(std::string(300000, 'a')), single_line).empty());
  CHECK(check(Json(std::string(300000, 'a') + "\n"), single_line).size() == 1);
}

TEST_CASE("a pattern std::regex cannot compile is skipped, and remembered") {
  // Lookbehind is not ECMAScript as std::regex knows it.
  const char* const unusable = "(?<=validation_test_lookbehind)x";
  const Schema node{.types = kString, .pattern = unusable};
  const std::size_t before = pattern_compile_count();
  CHECK(check(Json("anything"), node).empty());
  CHECK(check(Json("anything else"), node).empty());
  CHECK(pattern_compile_count() - before == 1);
  CHECK_FALSE(pattern_is_usable(unusable));
  CHECK(pattern_compile_count() - before == 1);
  CHECK(pattern_is_usable("^validation_test_fine$"));
  // The other checks on the node still run.
  CHECK(check(Json(1), node) == Strings{"body must be a string (got number)"});
}

TEST_CASE("each pattern is compiled once, also under concurrent use") {
  const Schema node{.types = kString, .pattern = "^validation_test_concurrent[0-9]+$"};
  const std::size_t before = pattern_compile_count();
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (!validate(Json("validation_test_concurrent" + std::to_string(i)), node).empty()) ++failures[t];
        if (validate(Json("nope"), node).size() != 1) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(4, 0));
  CHECK(pattern_compile_count() - before == 1);
}

TEST_CASE("enum compares with Json equality, numbers by value") {
  CHECK(check(Json("tue"), s1).empty());
  CHECK(check(Json("fri"), s1) == Strings{R"(body must be one of "mon", "tue", "wed" (got "fri"))"});
  const Schema status{.types = kInteger, .enum_json = "[0, 1, 2, -1]"};
  CHECK(check(Json(1.0), status).empty());
  CHECK(check(Json(-1), status).empty());
  CHECK(check(Json(3), status) == Strings{"body must be one of 0, 1, 2, -1 (got 3)"});
  const Schema single{.enum_json = R"(["default"])"};
  CHECK(check(Json("x"), single) == Strings{R"(body must be "default" (got "x"))"});
  const Schema mixed{.enum_json = R"([true, null, {"a": [1]}])"};
  CHECK(check(Json::parse(R"({"a":[1.0]})"), mixed).empty());
  CHECK(check(Json(false), mixed).size() == 1);
}

TEST_CASE("long enum lists are summarised") {
  const Schema zones{.types = kString, .enum_json = R"(["a","b","c","d","e","f","g","h","i","j"])"};
  CHECK(check(Json("z"), zones) ==
        Strings{R"(body must be one of the 10 allowed values, such as "a", "b", "c", "d", "e", "f", "g", "h" (got "z"))"});
}

TEST_CASE("enum text that is not a JSON array is skipped, not fatal") {
  const Schema broken{.types = kString, .enum_json = "[\"a\", "};
  CHECK(check(Json("b"), broken).empty());
  CHECK(check(Json(1), broken) == Strings{"body must be a string (got number)"});
}

TEST_CASE("format email is checked loosely") {
  for (const char* good : {"a@b.co", "first.last+tag@mail.example.org", "x@sub.domain"}) {
    CHECK_MESSAGE(check(Json(good), lead_email).empty(), good);
  }
  for (const char* bad : {"", "plain", "@b.co", "a@b", "a@@b.co", "a@b@c.co", "a@.co", "a@b."}) {
    CHECK_MESSAGE(check(Json(bad), lead_email) == Strings{"body must be a valid email address"}, bad);
  }
}

TEST_CASE("format date and date-time are checked by shape") {
  for (const char* good : {"2026-01-31", "1999-12-01"}) CHECK_MESSAGE(check(Json(good), s3).empty(), good);
  for (const char* bad : {"2026-1-31", "2026-13-01", "2026-01-32", "2026/01/31", "2026-01-31T00:00:00Z", "tomorrow"}) {
    CHECK_MESSAGE(check(Json(bad), s3) == Strings{"body must be a date like 2026-01-31"}, bad);
  }
  const Schema when{.types = kString, .format = Format::DateTime};
  for (const char* good : {"2026-01-31T09:30:00Z", "2026-01-31T09:30:00.123Z", "2026-01-31T09:30:00+02:00",
                           "2026-01-31t09:30:00-0530", "2026-01-31 09:30", "2026-01-31T09:30:60Z"}) {
    CHECK_MESSAGE(check(Json(good), when).empty(), good);
  }
  for (const char* bad : {"2026-01-31", "2026-01-31T24:00:00Z", "2026-01-31T09:30:00ZZ", "2026-01-31T09:30:00.Z",
                          "2026-01-31T09:30:00+2", "2026-01-31X09:30"}) {
    CHECK_MESSAGE(check(Json(bad), when) == Strings{"body must be a date-time like 2026-01-31T09:30:00Z"}, bad);
  }
}

TEST_CASE("anyOf: one matching branch is enough, failures give one message") {
  const Schema as_string{.types = kString, .min_length = 3};
  const Schema as_list{.types = kArray, .items = &as_string};
  const Schema* const branches[] = {&as_string, &as_list};
  const Schema either{.any_of = branches};
  CHECK(check(Json("abc"), either).empty());
  CHECK(check(Json::array({"abc", "defg"}), either).empty());
  // Only one branch takes an array: its own issue is the useful one.
  CHECK(check(Json::array({"ab"}), either) == Strings{"body[0] must be at least 3 characters long (got 2)"});
  // No branch takes a number: a plain type message.
  CHECK(check(Json(5), either) == Strings{"body must be a string or an array (got number)"});

  const Schema starts_with_x{.types = kString, .pattern = "^x"};
  const Schema* const overlapping[] = {&as_string, &starts_with_x};
  const Schema strings{.any_of = overlapping};
  CHECK(check(Json("ab"), strings) == Strings{"body does not match any allowed shape"});  // both take strings, both fail
  CHECK(check(Json("xy"), strings).empty());
}

TEST_CASE("oneOf does not require exactly one match (the spec's branches overlap)") {
  const Schema fixed{.types = kString, .enum_json = R"(["default"])"};
  const Schema any_text{.types = kString};
  const Schema* const branches[] = {&fixed, &any_text};
  const Schema tag{.one_of = branches};
  CHECK(check(Json("default"), tag).empty());  // matches both branches
  CHECK(check(Json("custom"), tag).empty());
  CHECK(check(Json(7), tag) == Strings{"body must be a string (got number)"});
}

TEST_CASE("allOf: every part must match, each reporting its own issues") {
  const Schema needs_a_part{.required = s6_required};
  const Schema closed_part{.types = kObject, .additional_properties = &kNever};
  const Schema* const parts[] = {&needs_a_part, &closed_part};
  const Schema both{.all_of = parts};
  CHECK(check(Json::object(), both) == Strings{"body.handle is required", "body.days is required"});
  CHECK(check(Json::object({{"handle", 1}, {"days", 2}}), both) ==
        Strings{"body.handle is not allowed (unknown field)", "body.days is not allowed (unknown field)"});
}

TEST_CASE("minProperties") {
  CHECK(check(Json::object(), days) == Strings{"body must have at least 1 field (got 0)"});
  CHECK(check(Json::object({{"0", true}}), days).empty());
}

// --- Either-or rules: not, if/then/else, contains, uniqueItems -------------

namespace either_or {

const char* const campaign_and_list[] = {"campaign_id", "list_id"};
const char* const campaign_only[] = {"campaign_id"};
const char* const list_only[] = {"list_id"};
const Schema has_both{.required = campaign_and_list};
const Schema has_campaign{.required = campaign_only};
const Schema has_list{.required = list_only};
const Schema* const campaign_or_list[] = {&has_campaign, &has_list};
// "campaign_id or list_id, exactly one": anyOf of the names plus not-both.
const Schema target{.types = kObject, .any_of = campaign_or_list, .not_schema = &has_both};

}  // namespace either_or

TEST_CASE("not: a plain list of names reads as 'must not have both'") {
  using namespace either_or;
  CHECK(check(Json::object({{"campaign_id", "c1"}}), target).empty());
  CHECK(check(Json::object({{"list_id", "l1"}}), target).empty());
  CHECK(check(Json::object({{"campaign_id", "c1"}, {"list_id", "l1"}}), target) ==
        Strings{"body must not have both campaign_id and list_id"});
}

TEST_CASE("anyOf of required names says which names, not 'any allowed shape'") {
  using namespace either_or;
  CHECK(check(Json::object({{"leads", Json::array()}}), target) ==
        Strings{"body must have either campaign_id or list_id"});
  const char* const email_only[] = {"email"};
  const char* const first_only[] = {"first_name"};
  const char* const last_only[] = {"last_name"};
  const Schema has_email{.required = email_only};
  const Schema has_first{.required = first_only};
  const Schema has_last{.required = last_only};
  const Schema* const some_name[] = {&has_email, &has_first, &has_last};
  const Schema named{.types = kObject, .any_of = some_name};
  CHECK(check(Json::object({{"phone", "1"}}), named) ==
        Strings{"body must have one of email, first_name or last_name"});
  CHECK(check(Json::object({{"last_name", "Doe"}}), named).empty());
}

TEST_CASE("not: a single name, or a shape that is not a list of names") {
  const char* const options_only[] = {"basic_guidance_options"};
  const Schema has_options{.required = options_only};
  const Schema without_options{.types = kObject, .not_schema = &has_options};
  CHECK(check(Json::object({{"instruction", "x"}}), without_options).empty());
  CHECK(check(Json::object({{"basic_guidance_options", Json::array()}}), without_options) ==
        Strings{"body.basic_guidance_options is not allowed here"});

  const Schema forty_two{.enum_json = "[42]"};
  const Schema not_forty_two{.not_schema = &forty_two};
  CHECK(check(Json(41), not_forty_two).empty());
  CHECK(check(Json(42), not_forty_two) == Strings{"body is not allowed in this form"});
}

TEST_CASE("if/then/else: the branch the condition picks is checked, the other is not") {
  const Schema fallback_value{.enum_json = R"(["fallback"])"};
  const Property condition_properties[] = {{"on_exhaustion", &fallback_value}};
  const char* const on_exhaustion[] = {"on_exhaustion"};
  const Schema condition{.properties = condition_properties, .required = on_exhaustion};
  const char* const fallback_filters[] = {"fallback_search_filters"};
  const Schema needs_fallback{.required = fallback_filters};
  const char* const stop_reason[] = {"reason"};
  const Schema needs_reason{.required = stop_reason};
  const Schema agent{.types = kObject, .if_schema = &condition, .then_schema = &needs_fallback,
                     .else_schema = &needs_reason};
  CHECK(check(Json::object({{"on_exhaustion", "fallback"}}), agent) ==
        Strings{"body.fallback_search_filters is required"});
  CHECK(check(Json::object({{"on_exhaustion", "fallback"}, {"fallback_search_filters", Json::object()}}), agent)
            .empty());
  CHECK(check(Json::object({{"on_exhaustion", "stop"}}), agent) == Strings{"body.reason is required"});
  CHECK(check(Json::object({{"reason", "done"}}), agent).empty());

  const Schema then_only{.types = kObject, .if_schema = &condition, .then_schema = &needs_fallback};
  CHECK(check(Json::object(), then_only).empty());  // no else: anything that fails `if` passes
}

TEST_CASE("contains: at least one item must match") {
  const Schema enabled_variant{.types = kBoolean, .enum_json = "[true]"};
  const Schema variants{.types = kArray, .contains = &enabled_variant};
  CHECK(check(Json::array({false, true}), variants).empty());
  CHECK(check(Json::array({false, false}), variants) ==
        Strings{"body must have at least one item of the required shape (none of its 2 items is)"});
  CHECK(check(Json::array(), variants) ==
        Strings{"body must have at least one item of the required shape (none of its 0 items is)"});
}

TEST_CASE("uniqueItems: a repeated item is named, numbers compare by value") {
  const Schema ids{.types = kArray, .unique_items = true};
  CHECK(check(Json::parse(R"(["a","b","c"])"), ids).empty());
  CHECK(check(Json::parse(R"(["a","b","a"])"), ids) == Strings{R"(body must not repeat an item (item 2 repeats item 0: "a"))"});
  CHECK(check(Json::parse("[1, 1.0]"), ids) == Strings{"body must not repeat an item (item 1 repeats item 0: 1.0)"});
}

TEST_CASE("readOnly members may not be sent and are never required") {
  CHECK(check(Json::array({lead_with("a@b.co")}), leads).empty());  // "id" is required but read-only
  Json with_id = lead_with("a@b.co");
  with_id.set("id", "l1");
  const auto issues = validate(Json::array({with_id}), leads);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "body[0].id");
  CHECK(issues[0].message == "body[0].id is read-only");
}

TEST_CASE("all issues are reported, in document order, capped at kMaxIssues") {
  CHECK(check(Json::parse(R"({"name":7,"campaign_schedule":{"schedules":[{"timing":{"from":"9am","to":"17:00"}}]},
        "leads":[{"email":"x","first_name":"abcdefg","custom_variables":{"a":[1]}}],"extra":true})"),
              campaign_body) ==
        Strings{"body.name must be a string (got number)",
                "body.campaign_schedule.schedules[0].timing.from must match the pattern ^([01][0-9]|2[0-3]):([0-5][0-9])$",
                "body.leads[0].email must be a valid email address",
                "body.leads[0].first_name must be at most 5 characters long (got 7)",
                "body.leads[0].custom_variables.a must be a string, a number, a boolean or null (got array)",
                "body.extra is not allowed (unknown field)"});

  Json many = Json::array();
  for (int i = 0; i < 50; ++i) many.push_back(lead_with("bad"));
  const auto issues = validate(many, leads);
  CHECK(issues.size() == kMaxIssues);
  CHECK(issues.back().path == "body[19].email");

  // Many issues from a single node are capped too.
  static const char* const many_names[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                           "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y"};
  const Schema demanding{.types = kObject, .required = many_names};
  const auto required_issues = validate(Json::object(), demanding);
  CHECK(required_issues.size() == kMaxIssues);
  CHECK(required_issues.back().message == "body.t is required");

  std::vector<std::pair<std::string, std::string>> unknown;
  for (const char* name : many_names) unknown.emplace_back(name, "1");
  CHECK(validate_query(unknown, {}).size() == kMaxIssues);
}

// --- Query parameters ------------------------------------------------------

namespace {

const Schema q_limit{.types = kInteger, .minimum = 1, .maximum = 100};
const Schema q_ratio{.types = kNumber | kNull};
const Schema q_flag{.types = kBoolean};
const Schema q_search{.types = kString};
const Schema q_email{.types = kString, .format = Format::Email};
const Schema q_emails{.types = kArray, .items = &q_email, .min_items = 1, .max_items = 2};
const Schema q_status_number{.types = kInteger};
const Schema q_status_word{.types = kString, .enum_json = R"(["all"])"};
const Schema* const q_status_branches[] = {&q_status_number, &q_status_word};
const Schema q_status{.any_of = q_status_branches};
const QueryParam list_things_query[] = {
    {"limit", false, &q_limit, false},  {"ratio", false, &q_ratio, false},
    {"archived", false, &q_flag, false}, {"search", true, &q_search, false},
    {"emails", false, &q_emails, true}, {"status", false, &q_status, false},
    {"anything", false, nullptr, false},
};

using Query = std::vector<std::pair<std::string, std::string>>;

Strings check_query(const Query& query) { return messages(validate_query(query, list_things_query)); }

}  // namespace

TEST_CASE("query: values convert to their schema's type before validation") {
  CHECK(check_query({{"search", "x"}, {"limit", "100"}, {"ratio", "0.5"}, {"archived", "true"},
                     {"emails", "a@b.co"}, {"emails", "c@d.co"}, {"status", "-1"}, {"anything", "1"}})
            .empty());
  CHECK(check_query({{"search", "123"}, {"ratio", "null"}, {"archived", "false"}, {"status", "all"}}).empty());
  CHECK(check_query({{"search", "x"}, {"limit", "500"}}) == Strings{"query.limit must be at most 100 (got 500)"});
  CHECK(check_query({{"search", "x"}, {"limit", "2.5"}}) == Strings{"query.limit must be an integer (got 2.5)"});
}

TEST_CASE("query: unparsable values are issues") {
  CHECK(check_query({{"search", "x"}, {"limit", "ten"}, {"ratio", "1e999"}, {"archived", "yes"}, {"limit", ""}}) ==
        Strings{"query.limit must be given only once (got 2 values)",
                R"(query.ratio must be a number or null (got "1e999"))",
                R"(query.archived must be a boolean (got "yes"))"});
  CHECK(check_query({{"search", "x"}, {"limit", "ten"}}) == Strings{R"(query.limit must be an integer (got "ten"))"});
  // anyOf of integer | string: "some" stays a string and fails the string branch.
  CHECK(check_query({{"search", "x"}, {"status", "some"}}) == Strings{R"(query.status must be "all" (got "some"))"});
}

TEST_CASE("query: required, unknown and repeated keys") {
  CHECK(check_query({}) == Strings{"query.search is required"});
  CHECK(check_query({{"search", "x"}, {"sort", "asc"}, {"sort", "desc"}, {"page size", "1"}}) ==
        Strings{"query.sort is not allowed (unknown field)", R"(query["page size"] is not allowed (unknown field))"});
  CHECK(check_query({{"search", "x"}, {"emails", "a@b.co"}, {"emails", "nope"}}) ==
        Strings{"query.emails[1] must be a valid email address"});
  CHECK(check_query({{"search", "x"}, {"emails", "a@b.co"}, {"emails", "c@d.co"}, {"emails", "e@f.co"}}) ==
        Strings{"query.emails must have at most 2 items (got 3)"});
}

TEST_CASE("query: array items convert one by one, with item paths") {
  const Schema id_number{.types = kInteger};
  const Schema ids{.types = kArray, .items = &id_number};
  const QueryParam params[] = {{"ids", false, &ids, true}};
  CHECK(validate_query({{"ids", "1"}, {"ids", "2"}}, params).empty());
  CHECK(messages(validate_query({{"ids", "1"}, {"ids", "x"}}, params)) ==
        Strings{R"(query.ids[1] must be an integer (got "x"))"});
}

// --- Turning issues into the exception ------------------------------------

TEST_CASE("throw_validation_error names the operation and every issue") {
  const auto issues = validate(Json::parse(R"({"campaign_schedule":{"schedules":[]}})"), campaign_body);
  try {
    throw_validation_error("createCampaign", issues);
    FAIL("expected a ValidationError");
  } catch (const instantly::ValidationError& error) {
    CHECK(std::string(error.what()) ==
          "invalid request for createCampaign: body.name is required; "
          "body.campaign_schedule.schedules must have at least 1 item (got 0)");
  }
  CHECK_THROWS_AS(throw_validation_error("x", {}), instantly::ValidationError);
  CHECK(describe_issues({}).empty());
}
