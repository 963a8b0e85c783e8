// JSON built to hurt: nesting deep enough to exhaust a recursive reader's stack, duplicate
// keys, numbers outside int64 and double, bytes that are not UTF-8, trailing documents, and
// valid JSON of the wrong shape in an answer. Each is a DecodeError (with the JSON path where
// there is one) or a documented acceptance; none crashes.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "support/fake_transport.hpp"
#include "support/text.hpp"

namespace hostile_json {

using instantly::DecodeError;
using instantly::Json;
using instantly::testing::contains;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

constexpr const char* kKey = "sk_hostile_SECRET_7f3a";

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string nested_objects(std::size_t depth) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += R"({"a":)";
  text += "1";
  text += std::string(depth, '}');
  return text;
}

struct Answering {
  std::shared_ptr<FakeTransport> transport;
  instantly::Client client;
  explicit Answering(const std::string& body, int status = 200)
      : transport(std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{json_response(status, body)})),
        client({.api_key = kKey, .base_url = "http://127.0.0.1:9", .rate_limit = {.enabled = false},
                .transport = transport}) {}
};

template <class Call>
DecodeError decode_error(Call&& call) {
  try {
    call();
  } catch (const DecodeError& e) {
    CHECK_FALSE(contains(e.what(), kKey));
    return e;
  }
  FAIL("hostile JSON was accepted");
  return DecodeError("unreachable");
}


TEST_CASE("JSON nested 100,000 deep is a DecodeError, not a stack overflow") {
  CHECK(contains(decode_error([] { (void)Json::parse(nested_arrays(100'000)); }).what(), "malformed JSON"));
  (void)decode_error([] { (void)Json::parse(nested_objects(100'000)); });
}

TEST_CASE("documented: nesting up to 1024 levels is read, one level more is refused") {
  CHECK(Json::parse(nested_arrays(1024)).is_array());
  (void)decode_error([] { (void)Json::parse(nested_arrays(1025)); });
}

TEST_CASE("a deeply nested answer to a typed call is a DecodeError, not a crash") {
  Answering a(R"({"id":"c1","name":"n","extra":)" + nested_objects(5000) + "}");
  (void)decode_error([&] { (void)a.client.campaigns().get("c1"); });
  Answering raw(nested_arrays(50'000));
  (void)decode_error([&] { (void)raw.client.request("GET", "/api/v2/campaigns"); });
}

TEST_CASE("documented: with duplicate keys the last value wins, at the first key's position") {
  const Json value = Json::parse(R"({"id":"first","name":"n","id":"second"})");
  CHECK(value.size() == 2);
  CHECK(value.as_object()[0].first == "id");
  CHECK(value.at("id").as_string() == "second");
  CHECK(value.dump() == R"({"id":"second","name":"n"})");
}

TEST_CASE("documented: a typed answer with a duplicate key takes the last value too") {
  Answering a(R"({"id":"c_first","name":"Cafes","id":"c_second"})");
  CHECK(a.client.campaigns().get("c1").id == "c_second");
}

TEST_CASE("many duplicate keys (the hash path) keep one member each, the last value") {
  std::string text = "{";
  for (int i = 0; i < 2000; ++i) text += "\"k" + std::to_string(i % 40) + "\":" + std::to_string(i) + ",";
  text.back() = '}';
  const Json value = Json::parse(text);
  CHECK(value.size() == 40);
  CHECK(value.at("k0").as_int() == 1960);
  CHECK(value.at("k39").as_int() == 1999);
}

TEST_CASE("integers beyond int64 become doubles up to uint64, and beyond that are refused") {
  CHECK(Json::parse("9223372036854775807").as_int() == std::numeric_limits<std::int64_t>::max());
  CHECK(Json::parse("-9223372036854775808").as_int() == std::numeric_limits<std::int64_t>::min());
  const Json big = Json::parse("9223372036854775808");  // documented: the magnitude survives
  CHECK(big.is_double());
  CHECK(big.as_double() == 9223372036854775808.0);
  for (const char* text : {"18446744073709551616", "-9223372036854775809", "1e400", "-1e400"}) {
    const std::string shown_text = text;
    CAPTURE(shown_text);
    (void)decode_error([&] { (void)Json::parse(text); });
  }
}

TEST_CASE("an int64 field given a fraction, an out-of-range number or a string is a DecodeError naming it") {
  for (const char* value : {"1.5", "9223372036854775808", "1e30", "\"12\"", "true"}) {
    const std::string shown_value = value;
    CAPTURE(shown_value);
    const DecodeError e = decode_error([&] {
      (void)instantly::LeadAddResult::from_json(std::string(R"({"status":"success","total_sent":)") + value + "}");
    });
    CHECK(e.json_path() == "$.total_sent");
  }
}

TEST_CASE("JSON that is not UTF-8 is a DecodeError: stray bytes, overlong forms, encoded surrogates") {
  for (const std::string& text : {std::string("{\"a\":\"caf\xe9\"}"), std::string("{\"a\":\"\xc0\xaf\"}"),
                                  std::string("{\"a\":\"\xed\xa0\x80\"}"), std::string("{\"\xff\":1}"),
                                  std::string("{\"a\":\"\xf4\x90\x80\x80\"}")}) {
    (void)decode_error([&] { (void)Json::parse(text); });
  }
}

TEST_CASE("a lone surrogate escape is refused, a paired one is read") {
  (void)decode_error([] { (void)Json::parse(R"({"a":"\ud800"})"); });
  (void)decode_error([] { (void)Json::parse(R"({"a":"\udc00x"})"); });
  CHECK(Json::parse(R"({"a":"\ud83d\ude00"})").at("a").as_string() == "\xf0\x9f\x98\x80");
}

TEST_CASE("a raw control byte inside a string is refused, an escaped NUL is kept, not a terminator") {
  (void)decode_error([] { (void)Json::parse(std::string("{\"a\":\"x\0y\"}", 11)); });
  (void)decode_error([] { (void)Json::parse("{\"a\":\"x\ny\"}"); });
  const Json value = Json::parse(R"({"a":"x\u0000y"})");
  CHECK(value.at("a").as_string() == std::string("x\0y", 3));
  CHECK(Json::parse(value.dump()) == value);
}

TEST_CASE("trailing content, a second document, NaN and comments are refused") {
  for (const char* text : {"{} x", "{}{}", R"({"a":NaN})", R"({"a":Infinity})", "{/*c*/}", "[1,]", "", "   "}) {
    const std::string shown_text = text;
    CAPTURE(shown_text);
    (void)decode_error([&] { (void)Json::parse(text); });
  }
}

TEST_CASE("valid JSON of the wrong shape for a typed call is a DecodeError naming where") {
  for (const char* body : {"[]", R"("campaign")", "42", "true"}) {
    const std::string shown_body = body;
    CAPTURE(shown_body);
    Answering a(body);
    CHECK(decode_error([&] { (void)a.client.campaigns().get("c1"); }).json_path() == "$");
  }
  Answering wrong_field(R"({"id":5,"name":"n"})");
  CHECK(decode_error([&] { (void)wrong_field.client.campaigns().get("c1"); }).json_path() == "$.id");
}

TEST_CASE("a list answer with items of the wrong shape is a DecodeError, not an empty or short page") {
  Answering not_array(R"({"items":{"id":"c1"}})");
  (void)decode_error([&] { (void)not_array.client.campaigns().list({}).first_page(); });
  Answering bad_item(R"({"items":[{"id":"c1","name":"a"},7]})");
  const DecodeError e = decode_error([&] { (void)bad_item.client.campaigns().list({}).first_page(); });
  CHECK(contains(e.json_path(), "items"));
}

TEST_CASE("a page whose cursor is not a string is a DecodeError, not the end of the listing") {
  Answering a(R"({"items":[{"id":"c1","name":"a"}],"next_starting_after":{"$gt":""}})");
  (void)decode_error([&] {
    for (const auto& campaign : a.client.campaigns().list({})) (void)campaign;
  });
}

TEST_CASE("an HTML page with status 200 for a JSON call is a DecodeError") {
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
      instantly::HttpResponse{200, {{"Content-Type", "text/html"}}, "<html><body>Welcome to the captive portal</body></html>"}});
  instantly::Client client({.api_key = kKey, .base_url = "http://127.0.0.1:9", .rate_limit = {.enabled = false},
                            .transport = transport});
  (void)decode_error([&] { (void)client.campaigns().get("c1"); });
}

}  // namespace hostile_json
