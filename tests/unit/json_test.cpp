// instantly::Json: parsing, writing, typed access, editing and equality.
#include "instantly/error.hpp"
#include "instantly/json.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using instantly::DecodeError;
using instantly::Json;
using namespace std::string_literals;

// The message of the DecodeError `action` throws; fails the test if it throws none.
template <class Action>
std::string decode_error_message(Action action) {
  try {
    action();
  } catch (const DecodeError& e) {
    return e.what();
  }
  FAIL("expected a DecodeError");
  return {};
}

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_CASE("Json round-trips text through parse and dump") {
  SUBCASE("objects keep member order, including fields we know nothing about") {
    std::string text = R"({"zeta":1,"alpha":{"b":[true,null,"x"],"a":-2.5},"custom_shape":[[],{}]})";
    CHECK(Json::parse(text).dump() == text);
  }
  SUBCASE("scalars at the root") {
    for (std::string text : {"null", "true", "false", "0", "-7", "\"s\"", "1.5"}) {
      CAPTURE(text);
      CHECK(Json::parse(text).dump() == text);
    }
  }
  SUBCASE("insignificant whitespace is dropped") {
    CHECK(Json::parse(" {\n\t\"a\" : [ 1 , 2 ]\r\n} ").dump() == R"({"a":[1,2]})");
  }
}

TEST_CASE("Json::parse maps numbers to int or double") {
  SUBCASE("int64 extremes stay exact ints") {
    auto min = Json::parse("-9223372036854775808");
    auto max = Json::parse("9223372036854775807");
    REQUIRE(min.is_int());
    REQUIRE(max.is_int());
    CHECK(min.as_int() == std::numeric_limits<std::int64_t>::min());
    CHECK(max.as_int() == std::numeric_limits<std::int64_t>::max());
    CHECK(max.dump() == "9223372036854775807");
  }
  SUBCASE("an unsigned integer above int64 max becomes a double") {
    auto value = Json::parse("18446744073709551615");
    REQUIRE(value.is_double());
    CHECK(value.as_double() == 18446744073709551615.0);
  }
  SUBCASE("fractions and exponents are doubles") {
    CHECK(Json::parse("1.0").is_double());
    CHECK(Json::parse("1e2").is_double());
    CHECK(Json::parse("-0.5").as_double() == -0.5);
    // More than 19 significant digits: simdjson's slow path.
    CHECK(Json::parse("[0.1234567890123456789012]").at(0).as_double() == 0.12345678901234568);
    CHECK(Json::parse("100000000000000000.0").as_double() == 1e17);
  }
}

TEST_CASE("Json doubles round-trip exactly") {
  const std::vector<double> values = {0.1,
                                      1e300,
                                      -1e-300,
                                      0.30000000000000004,
                                      5e-324,
                                      std::numeric_limits<double>::max(),
                                      123456789.12345679,
                                      9007199254740993.0,
                                      1e17,  // written as 18 digits and ".0"
                                      -3e20,
                                      1.0};
  for (double d : values) {
    CAPTURE(d);
    auto text = Json(d).dump();
    auto back = Json::parse(text);
    REQUIRE(back.is_double());
    CHECK(back.as_double() == d);
  }
  CHECK(Json(0.1).dump() == "0.1");
  CHECK(Json(1e300).dump() == "1e300");
}

TEST_CASE("Json strings round-trip") {
  SUBCASE("unicode passes through as UTF-8") {
    std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE4\xB8\xAD";
    auto dumped = Json(text).dump();
    CHECK(dumped == "\"" + text + "\"");
    CHECK(Json::parse(dumped).as_string() == text);
  }
  SUBCASE("\\u escapes decode, including surrogate pairs") {
    CHECK(Json::parse(R"("\u00e9\ud83d\ude00")").as_string() == "\xC3\xA9\xF0\x9F\x98\x80");
  }
  SUBCASE("control characters, quotes and backslashes are escaped and restored") {
    std::string text = "nul\0 tab\t nl\n cr\r quote\" back\\ bell\x07 esc\x1B"s;
    auto dumped = Json(text).dump();
    for (char c : dumped) CHECK(static_cast<unsigned char>(c) >= 0x20);
    CHECK(Json::parse(dumped).as_string() == text);
  }
  SUBCASE("object keys are escaped too") {
    Json value = Json::object({{"line\nbreak", 1}});
    CHECK(value.dump() == R"({"line\nbreak":1})");
    CHECK(Json::parse(value.dump()) == value);
  }
}

TEST_CASE("Json::parse rejects malformed input with DecodeError") {
  for (std::string text : {"{", "[1,]", "nul", "nulll", "tru", "{} x", "[1] [2]", "1 2", "", "   ",
                           "{\"a\" 1}", "{\"a\":1,}", "[01]", "\"unterminated", "{'a':1}",
                           "\"raw\x01control\"", "\"\xFF\""}) {
    CAPTURE(text);
    CHECK_THROWS_AS(Json::parse(text), DecodeError);
  }
}

TEST_CASE("Json::parse errors carry simdjson's reason") {
  auto message = decode_error_message([] { Json::parse("[1,]"); });
  CHECK(message.rfind("malformed JSON: ", 0) == 0);
  CHECK(message.size() > std::string("malformed JSON: ").size());
}

TEST_CASE("Json::parse bounds nesting depth") {
  CHECK(Json::parse(nested_arrays(1000)).is_array());
  CHECK_THROWS_AS(Json::parse(nested_arrays(1025)), DecodeError);
  // Far deeper than any stack would survive if the recursion were unbounded.
  CHECK_THROWS_AS(Json::parse(nested_arrays(1'000'000)), DecodeError);
}

TEST_CASE("Json::parse keeps the last value of a repeated key, at its first position") {
  CHECK(Json::parse(R"({"a":1,"b":2,"a":3})").dump() == R"({"a":3,"b":2})");

  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  many += "\"k5\":\"last\"}";
  auto value = Json::parse(many);
  CHECK(value.size() == 40);
  CHECK(value.as_object()[5].first == "k5");
  CHECK(value.at("k5").as_string() == "last");
}

TEST_CASE("Json typed accessors") {
  SUBCASE("return the value of the matching kind") {
    CHECK(Json(true).as_bool());
    CHECK(Json(42).as_int() == 42);
    CHECK(Json(2.5).as_double() == 2.5);
    CHECK(Json("s").as_string() == "s");
    CHECK(Json::array({1, 2}).as_array().size() == 2);
    CHECK(Json::object({{"k", 1}}).as_object().front().first == "k");
  }
  SUBCASE("as_double accepts an int") { CHECK(Json(3).as_double() == 3.0); }
  SUBCASE("throw DecodeError naming the expected and the actual kind") {
    CHECK(decode_error_message([] { (void)Json(1).as_string(); }) == "expected a string, got an int");
    CHECK(decode_error_message([] { (void)Json("x").as_int(); }) == "expected an int, got a string");
    CHECK(decode_error_message([] { (void)Json(1.5).as_int(); }) == "expected an int, got a double");
    CHECK(decode_error_message([] { (void)Json().as_bool(); }) == "expected a bool, got null");
    CHECK(decode_error_message([] { (void)Json(true).as_double(); }) == "expected a number, got a bool");
    CHECK(decode_error_message([] { (void)Json::object().as_array(); }) ==
          "expected an array, got an object");
    CHECK(decode_error_message([] { (void)Json::array().as_object(); }) ==
          "expected an object, got an array");
  }
}

TEST_CASE("Json lookup") {
  auto value = Json::parse(R"({"name":"n","list":[10,20]})");
  SUBCASE("find returns the member or nullptr") {
    REQUIRE(value.find("name") != nullptr);
    CHECK(value.find("name")->as_string() == "n");
    CHECK(value.find("missing") == nullptr);
    CHECK(Json(1).find("name") == nullptr);
    CHECK(value.contains("list"));
    CHECK_FALSE(value.contains("missing"));
  }
  SUBCASE("at finds members and elements") {
    CHECK(value.at("list").at(1).as_int() == 20);
  }
  SUBCASE("at throws DecodeError when absent, out of range or the wrong kind") {
    CHECK(decode_error_message([&] { (void)value.at("missing"); }).find("missing") != std::string::npos);
    CHECK_THROWS_AS((void)value.at("list").at(2), DecodeError);
    CHECK_THROWS_AS((void)value.at(0), DecodeError);
    CHECK_THROWS_AS((void)value.at("list").at("name"), DecodeError);
  }
  SUBCASE("size counts elements and members, 0 for scalars") {
    CHECK(value.size() == 2);
    CHECK(value.at("list").size() == 2);
    CHECK(Json("abc").size() == 0);
    CHECK(Json().empty());
  }
}

TEST_CASE("Json editing") {
  SUBCASE("operator[] builds nested objects from null") {
    Json value;
    value["campaign"]["schedule"]["timezone"] = "Etc/UTC";
    value["campaign"]["name"] = "Launch";
    CHECK(value.dump() == R"({"campaign":{"schedule":{"timezone":"Etc/UTC"},"name":"Launch"}})");
  }
  SUBCASE("operator[] returns the existing member") {
    Json value = Json::object({{"a", 1}});
    value["a"] = 2;
    CHECK(value.dump() == R"({"a":2})");
  }
  SUBCASE("operator[] on a scalar or array throws DecodeError") {
    Json number = 5;
    CHECK_THROWS_AS(number["a"], DecodeError);
    Json list = Json::array();
    CHECK_THROWS_AS(list["a"], DecodeError);
  }
  SUBCASE("set replaces in place, keeping the member's position, or appends") {
    Json value = Json::parse(R"({"a":1,"b":2,"c":3})");
    value.set("b", "two");
    value.set("d", 4);
    CHECK(value.dump() == R"({"a":1,"b":"two","c":3,"d":4})");
  }
  SUBCASE("set returns the stored value") {
    Json value;
    value.set("list", Json::array()).push_back(1);
    CHECK(value.dump() == R"({"list":[1]})");
  }
  SUBCASE("erase removes a member and reports whether it was there") {
    Json value = Json::parse(R"({"a":1,"b":2,"c":3})");
    CHECK(value.erase("b"));
    CHECK_FALSE(value.erase("b"));
    CHECK_FALSE(Json(1).erase("b"));
    CHECK(value.dump() == R"({"a":1,"c":3})");
  }
  SUBCASE("push_back turns null into an array and appends") {
    Json value;
    value.push_back(1);
    value.push_back("two");
    CHECK(value.dump() == R"([1,"two"])");
    Json object = Json::object();
    CHECK_THROWS_AS(object.push_back(1), DecodeError);
  }
  SUBCASE("object() keeps the last value of a repeated key") {
    CHECK(Json::object({{"a", 1}, {"b", 2}, {"a", 3}}).dump() == R"({"a":3,"b":2})");
  }
}

TEST_CASE("Json equality") {
  SUBCASE("numbers compare by value across int and double") {
    CHECK(Json(1) == Json(1.0));
    CHECK(Json(-0.0) == Json(0));
    CHECK(Json(1) != Json(1.5));
    CHECK(Json(2) != Json(2.0000000000000004));
    // 2^53 + 1 has no double; rounding the int would call these equal.
    CHECK(Json(std::int64_t{9007199254740993}) != Json(9007199254740992.0));
    CHECK(Json(std::numeric_limits<std::int64_t>::max()) != Json(9223372036854775808.0));
    CHECK(Json(1) != Json(std::nan("")));
  }
  SUBCASE("objects ignore member order") {
    CHECK(Json::parse(R"({"a":1,"b":[1,2],"c":{"x":null,"y":true}})") ==
          Json::parse(R"({"c":{"y":true,"x":null},"b":[1,2],"a":1.0})"));
    CHECK(Json::parse(R"({"a":1,"b":2})") != Json::parse(R"({"b":2,"a":3})"));
    CHECK(Json::parse(R"({"a":1,"b":2})") != Json::parse(R"({"a":1,"c":2})"));
    CHECK(Json::parse(R"({"a":1})") != Json::parse(R"({"a":1,"b":2})"));
  }
  SUBCASE("arrays compare in order") {
    CHECK(Json::array({1, 2}) == Json::array({1.0, 2}));
    CHECK(Json::array({1, 2}) != Json::array({2, 1}));
    CHECK(Json::array({1}) != Json::array({1, 1}));
  }
  SUBCASE("different kinds differ") {
    CHECK(Json() != Json(false));
    CHECK(Json("1") != Json(1));
    CHECK(Json::array() != Json::object());
    CHECK(Json() == Json(nullptr));
  }
}

TEST_CASE("Json::dump") {
  SUBCASE("non-finite doubles are written as null") {
    CHECK(Json(std::numeric_limits<double>::quiet_NaN()).dump() == "null");
    CHECK(Json(std::numeric_limits<double>::infinity()).dump() == "null");
    CHECK(Json::array({-std::numeric_limits<double>::infinity()}).dump() == "[null]");
  }
  SUBCASE("ints are written without a fraction, doubles keep one") {
    CHECK(Json(std::int64_t{-42}).dump() == "-42");
    CHECK(Json(2.0).dump() == "2.0");
  }
  SUBCASE("empty containers") {
    CHECK(Json::array().dump() == "[]");
    CHECK(Json::object().dump() == "{}");
  }
}

TEST_CASE("Json::dump_pretty indents for humans") {
  auto value = Json::parse(R"({"a":[1,2],"b":{}})");
  CHECK(value.dump_pretty() == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
  CHECK(value.dump_pretty(4) == "{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": {}\n}");
  CHECK(Json::parse(value.dump_pretty()) == value);
}

}  // namespace
