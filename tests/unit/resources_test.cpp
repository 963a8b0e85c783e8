// The typed resources on the shapes that are easy to get wrong: a cursor in
// the JSON body, `+` in an email path segment, DELETEs with and without a body,
// repeated query keys, JSON null in a PATCH, retries that depend on the
// operation rather than the method, 204 and CSV responses, and the per-call
// options merged into what the params build.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/resource_call.hpp"
#include "instantly/instantly.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

using instantly::HttpRequest;
using instantly::HttpResponse;
using instantly::Json;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using instantly::testing::text_response;

namespace {

// Smallest bodies the response models decode from (their required fields).
constexpr char kCampaignJson[] =
    R"({"id":"c-1","name":"Cafes LA","status":0,"timestamp_created":"2026-01-01T00:00:00Z",)"
    R"("timestamp_updated":"2026-01-01T00:00:00Z","campaign_schedule":{"schedules":[{"name":"Weekdays",)"
    R"("timing":{"from":"09:00","to":"17:00"},"days":{"1":true},"timezone":"America/Detroit"}]}})";
constexpr char kAccountJson[] =
    R"({"email":"a+b@x.io","first_name":"A","last_name":"B","organization":"o-1","warmup_status":1,)"
    R"("provider_code":2,"setup_pending":false,"is_managed_account":false,)"
    R"("timestamp_created":"2026-01-01T00:00:00Z","timestamp_updated":"2026-01-01T00:00:00Z"})";
constexpr char kLeadAddResultJson[] =
    R"({"status":"success","total_sent":1,"leads_uploaded":1,"in_blocklist":0,"blocklist_used":"",)"
    R"("duplicated_leads":0,"skipped_count":0,"invalid_email_count":0,"incomplete_count":0,)"
    R"("duplicate_email_count":0,"remaining_in_plan":999,"created_leads":[{"index":0,"id":"l-1"}]})";

std::string lead_json(const std::string& id) {
  return R"({"id":")" + id +
         R"(","timestamp_created":"2026-01-01T00:00:00Z","timestamp_updated":"2026-01-01T00:00:00Z",)"
         R"("organization":"o-1","status":1,"email_open_count":0,"email_reply_count":0,)"
         R"("email_click_count":0,"company_domain":"x.io","status_summary":{}})";
}

struct Setup {
  int max_retries = 0;
  std::optional<bool> validate_requests = false;  ///< empty: the library's default
};

instantly::Client client_over(std::shared_ptr<FakeTransport> transport, Setup setup = {}) {
  return instantly::Client({.api_key = "sk_test",
                            .base_url = "http://api.test",
                            .retry = {.max_retries = setup.max_retries, .jitter = [] { return 0.0; }},
                            .rate_limit = {.enabled = false},
                            .transport = std::move(transport),
                            .clock = std::make_shared<FakeClock>(),
                            .validate_requests = setup.validate_requests});
}

std::shared_ptr<FakeTransport> answering(HttpResponse response) {
  return std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{std::move(response)});
}

HttpRequest only_request(const FakeTransport& transport) {
  const std::vector<HttpRequest> requests = transport.requests();
  REQUIRE(requests.size() == 1);
  return requests.front();
}

}  // namespace

TEST_CASE("leads().list pages through the JSON body cursor, never the query") {
  // Pages keyed by the body's starting_after ("" = first page).
  const std::map<std::string, std::string> pages = {
      {"", R"({"items":[)" + lead_json("l-1") + "," + lead_json("l-2") + R"(],"next_starting_after":"l-2"})"},
      {"l-2", R"({"items":[)" + lead_json("l-3") + R"(],"next_starting_after":"l-3"})"},
      {"l-3", R"({"items":[],"next_starting_after":"l-3b"})"},
  };
  auto transport = std::make_shared<FakeTransport>(FakeTransport::Handler([pages](const HttpRequest& request) {
    const Json body = Json::parse(request.body.value_or("{}"));
    const Json* cursor = body.find("starting_after");
    return json_response(200, pages.at(cursor ? cursor->as_string() : ""));
  }));
  const instantly::Client client = client_over(transport);

  std::vector<std::string> ids;
  for (const instantly::Lead& lead : client.leads().list({.campaign = "c-1", .limit = 2})) {
    ids.push_back(lead.id);
  }
  CHECK(ids == std::vector<std::string>{"l-1", "l-2", "l-3"});

  const std::vector<HttpRequest> requests = transport->requests();
  REQUIRE(requests.size() == 3);
  for (const HttpRequest& request : requests) {
    CHECK(request.method == "POST");
    CHECK(request.url == "http://api.test/api/v2/leads/list");  // no query string at all
    CHECK(request.headers.get("Content-Type") == "application/json");
  }
  CHECK(Json::parse(*requests[0].body) == Json::parse(R"({"campaign":"c-1","limit":2})"));
  CHECK(Json::parse(*requests[1].body) ==
        Json::parse(R"({"campaign":"c-1","limit":2,"starting_after":"l-2"})"));
  CHECK(Json::parse(*requests[2].body) ==
        Json::parse(R"({"campaign":"c-1","limit":2,"starting_after":"l-3"})"));
}

TEST_CASE("a listing starts after the caller's own cursor") {
  auto transport = answering(json_response(200, R"({"items":[]})"));
  const instantly::Client client = client_over(transport);
  auto campaigns = client.campaigns().list({.limit = 10, .starting_after = "c-9"});
  CHECK(campaigns.begin() == campaigns.end());
  CHECK(only_request(*transport).url == "http://api.test/api/v2/campaigns?limit=10&starting_after=c-9");
}

TEST_CASE("an account email with + and @ is percent-encoded as one path segment") {
  auto transport = answering(json_response(200, kAccountJson));
  const instantly::Client client = client_over(transport);
  const instantly::Account account = client.accounts().get("a+b@x.io");
  CHECK(account.email == "a+b@x.io");
  CHECK(only_request(*transport).url == "http://api.test/api/v2/accounts/a%2Bb%40x.io");
}

TEST_CASE("DELETE /api/v2/campaigns/{id} sends neither a body nor a Content-Type") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport);
  client.campaigns().remove("c-1");
  const HttpRequest request = only_request(*transport);
  CHECK(request.method == "DELETE");
  CHECK(request.url == "http://api.test/api/v2/campaigns/c-1");
  CHECK_FALSE(request.body.has_value());
  CHECK_FALSE(request.headers.contains("Content-Type"));
}

TEST_CASE("bulk DELETE /api/v2/leads sends its JSON body") {
  auto transport = answering(json_response(200, R"({"count":2})"));
  const instantly::Client client = client_over(transport);
  client.leads().bulk_remove({.campaign_id = "c-1", .ids = std::vector<std::string>{"l-1", "l-2"}});
  const HttpRequest request = only_request(*transport);
  CHECK(request.method == "DELETE");
  CHECK(request.url == "http://api.test/api/v2/leads");
  REQUIRE(request.body.has_value());
  CHECK(Json::parse(*request.body) == Json::parse(R"({"campaign_id":"c-1","ids":["l-1","l-2"]})"));
  CHECK(request.headers.get("Content-Type") == "application/json");
}

TEST_CASE("campaigns().analytics sends several ids as repeated query keys") {
  auto transport = answering(json_response(200, "[]"));
  const instantly::Client client = client_over(transport);
  const auto analytics = client.campaigns().analytics(
      {.ids = std::vector<std::string>{"c-1", "c-2", "c 3"}, .exclude_total_leads_count = true});
  CHECK(analytics.empty());
  CHECK(only_request(*transport).url ==
        "http://api.test/api/v2/campaigns/analytics?ids=c-1&ids=c-2&ids=c%203"
        "&exclude_total_leads_count=true");
}

TEST_CASE("a PATCH sends a Nullable set to null as JSON null and leaves absent fields out") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport);
  client.campaigns().update("c-1", {.text_only = instantly::null, .daily_limit = 50.0});
  const HttpRequest request = only_request(*transport);
  CHECK(request.method == "PATCH");
  REQUIRE(request.body.has_value());
  const Json body = Json::parse(*request.body);
  CHECK(body == Json::parse(R"({"text_only":null,"daily_limit":50})"));
  CHECK_FALSE(body.contains("email_gap"));  // absent: not sent, so the server leaves it alone
}

TEST_CASE("leads().add is retried after a 500 because re-adding is safe") {
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
      json_response(500, R"({"statusCode":500,"error":"Internal Server Error","message":"boom"})"),
      json_response(200, kLeadAddResultJson)});
  const instantly::Client client = client_over(transport, {.max_retries = 2});
  instantly::LeadAddParamsLead lead;
  lead.email = "a@x.io";
  const instantly::LeadAddResult result = client.leads().add({.campaign_id = "c-1", .leads = {lead}});
  CHECK(result.leads_uploaded == 1);
  CHECK(transport->request_count() == 2);
}

TEST_CASE("campaigns().create is not retried after a 500: it may have created the campaign") {
  auto transport = answering(
      json_response(500, R"({"statusCode":500,"error":"Internal Server Error","message":"boom"})"));
  const instantly::Client client = client_over(transport, {.max_retries = 2});
  instantly::CampaignScheduleEntry weekdays{.name = "Weekdays",
                                            .timing = {.from = "09:00", .to = "17:00"},
                                            .timezone = instantly::Timezone::AmericaDetroit};
  CHECK_THROWS_AS(client.campaigns().create({.name = "Cafes LA", .campaign_schedule = {.schedules = {weekdays}}}),
                  instantly::InternalServerError);
  CHECK(transport->request_count() == 1);
}

TEST_CASE("the caller's idempotent option wins over the operation's") {
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
      json_response(503, R"({"message":"busy"})"), json_response(200, kCampaignJson)});
  const instantly::Client client = client_over(transport, {.max_retries = 1});
  client.campaigns().activate("c-1", {.idempotent = true});
  CHECK(transport->request_count() == 2);
}

TEST_CASE("share() answers 204 and returns void") {
  static_assert(std::is_void_v<decltype(std::declval<instantly::Campaigns>().share("c-1"))>);
  auto transport = answering(HttpResponse{204, {}, ""});
  const instantly::Client client = client_over(transport);
  client.campaigns().share("c-1");
  const HttpRequest request = only_request(*transport);
  CHECK(request.url == "http://api.test/api/v2/campaigns/c-1/share");
  CHECK_FALSE(request.body.has_value());
}

TEST_CASE("the block list download returns the CSV text as sent") {
  const std::string csv = "bl_value,is_domain\nspam.example,true\nx@y.io,false\n";
  auto transport = answering(text_response(200, csv));
  const instantly::Client client = client_over(transport);
  const std::string text = client.block_list_entries().download({.domains_only = false});
  CHECK(text == csv);
  CHECK(only_request(*transport).url ==
        "http://api.test/api/v2/block-lists-entries/download?domains_only=false");
}

TEST_CASE("per-call options add query keys, body members and headers to a typed call") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport);
  client.campaigns().update("c-1", {.name = "Renamed"},
                            {.query = {{"trace", "1"}},
                             .body = Json::object({{"beta_flag", true}, {"name", "Override"}}),
                             .headers = {{"X-Request-Id", "r-1"}}});
  const HttpRequest request = only_request(*transport);
  CHECK(request.url == "http://api.test/api/v2/campaigns/c-1?trace=1");
  CHECK(Json::parse(*request.body) == Json::parse(R"({"name":"Override","beta_flag":true})"));
  CHECK(request.headers.get("X-Request-Id") == "r-1");
}

TEST_CASE("extra_fields of a params struct go out as body members") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport);
  instantly::CampaignUpdateParams patch;
  patch.extra_fields = Json::object({{"undocumented", 7}});
  client.campaigns().update("c-1", patch);
  CHECK(Json::parse(*only_request(*transport).body) == Json::parse(R"({"undocumented":7})"));
}

TEST_CASE("an action with per-call body members sends them, without, nothing") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport);
  client.campaigns().pause("c-1", {.body = Json::object()});
  client.campaigns().pause("c-1", {.body = Json::object({{"reason", "holiday"}})});
  const std::vector<HttpRequest> requests = transport->requests();
  REQUIRE(requests.size() == 2);
  CHECK_FALSE(requests[0].body.has_value());
  CHECK(Json::parse(*requests[1].body) == Json::parse(R"({"reason":"holiday"})"));
}

TEST_CASE("by default, a call that breaks the API's schema is refused unsent, naming operation and field") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport, {.validate_requests = std::nullopt});
  for (const std::int64_t limit : {std::int64_t{0}, std::int64_t{101}, std::int64_t{-1}}) {
    CAPTURE(limit);
    try {
      (void)client.campaigns().list({.limit = limit}).first_page();
      FAIL("expected a ValidationError");
    } catch (const instantly::ValidationError& error) {
      const std::string message = error.what();
      CHECK(message.find("listCampaign") != std::string::npos);
      CHECK(message.find("query.limit must be at") != std::string::npos);
    }
  }
  instantly::LeadAddParams both{.campaign_id = "c-1", .list_id = "l-1"};
  both.leads.push_back({.email = "ada@example.com"});
  CHECK_THROWS_WITH_AS(client.leads().add(both),
                       "invalid request for bulkAddLeads: body must not have both campaign_id and list_id",
                       instantly::ValidationError);
  CHECK(transport->request_count() == 0);
}

TEST_CASE("validate_requests = false sends what the call was given, for the server to judge") {
  auto transport = answering(json_response(200, R"({"items":[]})"));
  const instantly::Client client = client_over(transport, {.validate_requests = false});
  (void)client.campaigns().list({.limit = 0}).first_page();
  REQUIRE(transport->request_count() == 1);
  CHECK(only_request(*transport).url.find("limit=0") != std::string::npos);
}

TEST_CASE("a create answer without the new object's id is a DecodeError at $.id") {
  for (const char* answer : {R"({"name":"Cafes LA"})", R"({"id":"","name":"Cafes LA"})"}) {
    CAPTURE(answer);
    auto transport = answering(json_response(200, answer));
    const instantly::Client client = client_over(transport);
    try {
      (void)client.custom_tags().create({.label = "vip"});
      FAIL("expected a DecodeError");
    } catch (const instantly::DecodeError& error) {
      CHECK(error.json_path() == "$.id");
      CHECK(std::string(error.what()).find("createCustomTag") != std::string::npos);
    }
  }
  // Lenient as ever about the other members: an id alone is a created tag.
  auto transport = answering(json_response(200, R"({"id":"t-1"})"));
  CHECK(client_over(transport).custom_tags().create({.label = "vip"}).id == "t-1");
}

TEST_CASE("with validate_requests, a call that breaks the API's schema is refused unsent") {
  auto transport = answering(json_response(200, kCampaignJson));
  const instantly::Client client = client_over(transport, {.validate_requests = true});
  // No schedule: the API requires at least one.
  CHECK_THROWS_AS(client.campaigns().create({.name = "Cafes LA"}), instantly::ValidationError);
  CHECK_THROWS_AS(client.campaigns().list({.limit = 500}).first_page(), instantly::ValidationError);
  // Action endpoints take no body.
  CHECK_THROWS_AS(client.campaigns().pause("c-1", {.body = Json::object({{"now", true}})}),
                  instantly::ValidationError);
  CHECK(transport->request_count() == 0);
  client.campaigns().pause("c-1");
  CHECK(transport->request_count() == 1);
}

TEST_CASE("query values: booleans, integers, shortest doubles, enums, repeats, absent") {
  using instantly::detail::add_query;
  instantly::QueryParams query;
  add_query(query, "flag", false);
  add_query(query, "limit", std::int64_t{100});
  add_query(query, "ratio", 1.5);
  add_query(query, "whole", 2.0);
  add_query(query, "status", instantly::CampaignStatus::Paused);
  add_query(query, "ids", std::vector<std::string>{"a", "b"});
  add_query(query, "skipped", std::optional<std::string>());
  add_query(query, "cleared", instantly::Nullable<std::string>(instantly::null));
  add_query(query, "kept", instantly::Nullable<std::string>("v"));
  CHECK(query == instantly::QueryParams{{"flag", "false"},
                                        {"limit", "100"},
                                        {"ratio", "1.5"},
                                        {"whole", "2"},
                                        {"status", "2"},
                                        {"ids", "a"},
                                        {"ids", "b"},
                                        {"kept", "v"}});
}

TEST_CASE("merge_body: empty objects send nothing, a non-object cannot be merged") {
  using instantly::detail::merge_body;
  CHECK_FALSE(merge_body(std::string("{}"), std::nullopt).has_value());
  CHECK_FALSE(merge_body(std::nullopt, Json::object()).has_value());
  CHECK(merge_body(std::string(R"({"a":1})"), std::nullopt) == R"({"a":1})");
  CHECK(merge_body(std::nullopt, Json::object({{"b", 2}})) == R"({"b":2})");
  CHECK_THROWS_AS(merge_body(std::string(R"({"a":1})"), Json::array({1})), instantly::ValidationError);
}
