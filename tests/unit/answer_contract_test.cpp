// What the client asks the server to answer in, and what it takes for a list answer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "support/fake_transport.hpp"

namespace {

using instantly::testing::FakeTransport;
using instantly::testing::json_response;

struct Answering {
  std::shared_ptr<FakeTransport> transport;
  instantly::Client client;

  explicit Answering(std::vector<FakeTransport::Step> answers)
      : transport(std::make_shared<FakeTransport>(std::move(answers))),
        client({.api_key = "sk_test_contract",
                .base_url = "http://127.0.0.1:4010",
                .rate_limit = {.enabled = false},
                .transport = transport}) {}

  std::optional<std::string> accept() const { return transport->requests().back().headers.get("Accept"); }
};

}  // namespace

TEST_CASE("each operation asks for the media type it answers in") {
  Answering a({instantly::HttpResponse{200, {{"Content-Type", "text/csv"}}, "value\nspam.example.com\n"}});
  CHECK(a.client.block_list_entries().download({}) == "value\nspam.example.com\n");
  CHECK(a.accept() == "text/csv");  // a server that honours Accept would refuse a request for JSON
  a.client.block_list_entries().download({}, {.headers = {{"Accept", "*/*"}}});
  CHECK(a.accept() == "*/*");  // the caller's own Accept wins
  Answering json({json_response(200, R"({"items":[],"next_starting_after":null})")});
  (void)json.client.campaigns().list({}).first_page();
  CHECK(json.accept() == "application/json");
}

TEST_CASE("a list answer must be a page: without `items` it is a DecodeError, not an empty page") {
  Answering a({json_response(200, R"({"data":[{"id":"c1"}]})")});
  try {
    (void)a.client.campaigns().list({}).first_page();
    FAIL("an answer without items was read as a page");
  } catch (const instantly::DecodeError& e) {
    CHECK(e.json_path() == "$");
    CHECK(std::string(e.what()).find("items") != std::string::npos);
  }
  Answering empty({json_response(200, R"({"items":[]})")});
  CHECK(empty.client.campaigns().list({}).first_page().items.empty());  // really no campaigns
  Answering bare({json_response(200, R"([{"id":"c1","name":"A"}])")});
  CHECK(bare.client.campaigns().list({}).first_page().items.size() == 1);  // a bare array is one page
}

TEST_CASE("an enum the spec writes as strings and numbers reads either and writes back what it read") {
  // The spec: `resource_type: {type: number, enum: ["CAMPAIGN", "LIST", 1, 2]}`; the API answers
  // the strings.
  for (const char* value : {R"("CAMPAIGN")", R"("LIST")", "1", "2"}) {
    const std::string text = std::string(R"({"id":"e1","resource_id":"r1","resource_type":)") + value + "}";
    const auto result = instantly::SuperSearchEnrichmentCreateAiResult::from_json(text);
    CHECK(result.resource_type.dump() == value);
    CHECK(instantly::Json::parse(result.to_json()).find("resource_type")->dump() == value);
  }
}
