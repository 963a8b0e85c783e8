// The generated request validators (tools/codegen/codegen/emit_validators.py):
// the operation table and the schema data behind it, checked against limits
// and required members the spec states for a few well-known operations.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "validation/operations.hpp"

using instantly::Json;
using namespace instantly::detail::validation;

namespace {

// The spec's operation count (240 in the OpenAPI file the code was generated from); update with the spec.
constexpr std::size_t kSpecOperations = 240;

const OperationSchema& operation(std::string_view id) {
  const OperationSchema* found = find_operation(id);
  REQUIRE_MESSAGE(found != nullptr, "no operation " << std::string(id));
  return *found;
}

std::vector<std::string> paths_of(const std::vector<Issue>& issues) {
  std::vector<std::string> paths;
  for (const Issue& issue : issues) paths.push_back(issue.path);
  return paths;
}

std::vector<std::string> messages_of(const std::vector<Issue>& issues) {
  std::vector<std::string> messages;
  for (const Issue& issue : issues) messages.push_back(issue.message);
  return messages;
}

std::vector<Issue> check_body(std::string_view id, const Json& body) {
  return validate_request(operation(id), {}, body);
}

std::vector<Issue> check_query(std::string_view id, const QueryParams& query) {
  return validate_request(operation(id), query, std::nullopt);
}

// A createCampaign body with everything the spec requires, and nothing else.
Json valid_campaign() {
  return Json::parse(R"({
    "name": "Q3 outreach",
    "campaign_schedule": {
      "schedules": [{
        "name": "Weekdays",
        "timing": {"from": "09:00", "to": "17:00"},
        "days": {"1": true, "2": true, "3": true, "4": true, "5": true},
        "timezone": "America/Chicago"
      }]
    }
  })");
}

// The template with every `{param}` filled in, as a client would send it.
std::string filled_path(std::string_view templ) {
  std::string path;
  bool in_param = false;
  for (char c : templ) {
    if (c == '{') {
      in_param = true;
      path += "x1";
    } else if (c == '}') {
      in_param = false;
    } else if (!in_param) {
      path += c;
    }
  }
  return path;
}

}  // namespace

TEST_CASE("the table holds every operation of the spec, findable by id") {
  const auto operations = all_operations();
  CHECK(operations.size() == kSpecOperations);
  std::set<std::string_view> ids;
  for (const OperationSchema& op : operations) {
    ids.insert(op.operation_id);
    CHECK_MESSAGE(find_operation(op.operation_id) == &op, std::string(op.operation_id));
    for (std::string_view name : op.path_params) {
      CHECK_MESSAGE(op.path.find("{" + std::string(name) + "}") != std::string_view::npos,
                    std::string(op.operation_id) << " names path parameter " << std::string(name));
    }
  }
  CHECK(ids.size() == kSpecOperations);
  CHECK(find_operation("noSuchOperation") == nullptr);
  CHECK(find_operation("") == nullptr);
}

TEST_CASE("every operation's path matches back to it") {
  for (const OperationSchema& op : all_operations()) {
    const OperationSchema* matched = match_operation(op.method, filled_path(op.path));
    REQUIRE_MESSAGE(matched != nullptr, std::string(op.operation_id));
    CHECK_MESSAGE(matched == &op, std::string(op.operation_id) << " matched as "
                                      << std::string(matched->operation_id));
  }
}

TEST_CASE("createCampaign is a POST with a body and no query") {
  const OperationSchema& create = operation("createCampaign");
  CHECK(create.method == "POST");
  CHECK(create.path == "/api/v2/campaigns");
  CHECK(create.body != nullptr);
  CHECK(create.query.empty());
  CHECK(create.path_params.empty());
}

TEST_CASE("match_operation prefers literal segments over parameters") {
  const OperationSchema* analytics = match_operation("GET", "/api/v2/campaigns/analytics");
  REQUIRE(analytics != nullptr);
  CHECK(analytics->operation_id == "getCampaignAnalytics");

  const OperationSchema* one = match_operation("GET", "/api/v2/campaigns/abc");
  REQUIRE(one != nullptr);
  CHECK(one->operation_id == "getCampaign");
  CHECK(one->path_params.size() == 1);

  const OperationSchema* with_query = match_operation("GET", "/api/v2/campaigns/analytics?ids=a");
  REQUIRE(with_query != nullptr);
  CHECK(with_query->operation_id == "getCampaignAnalytics");

  CHECK(match_operation("GET", "/api/v2/no-such-resource") == nullptr);
  CHECK(match_operation("PUT", "/api/v2/campaigns/abc") == nullptr);
  CHECK(match_operation("GET", "/api/v2/campaigns/abc/def/ghi/jkl") == nullptr);
}

TEST_CASE("match_operation keeps the trailing slash of the supersearch enrichment path") {
  const OperationSchema* create = match_operation("POST", "/api/v2/supersearch-enrichment/");
  REQUIRE(create != nullptr);
  CHECK(create->path == "/api/v2/supersearch-enrichment/");
  // A parameter never matches the empty segment after the slash.
  const OperationSchema* without = match_operation("POST", "/api/v2/supersearch-enrichment");
  CHECK((without == nullptr || without != create));
}

TEST_CASE("a valid createCampaign body has no issues") {
  CHECK(messages_of(check_body("createCampaign", valid_campaign())).empty());
}

TEST_CASE("createCampaign requires campaign_schedule") {
  const auto issues = check_body("createCampaign", Json::parse(R"({"name": "Q3 outreach"})"));
  CHECK(paths_of(issues) == std::vector<std::string>{"body.campaign_schedule"});
  CHECK(messages_of(issues) == std::vector<std::string>{"body.campaign_schedule is required"});
}

TEST_CASE("createCampaign rejects unknown top-level members") {
  Json body = valid_campaign();
  body.set("not_a_campaign_field", true);
  CHECK(messages_of(check_body("createCampaign", body)) ==
        std::vector<std::string>{"body.not_a_campaign_field is not allowed (unknown field)"});
}

TEST_CASE("createCampaign checks nested schedule rules") {
  Json body = Json::parse(R"({
    "name": "Q3 outreach",
    "campaign_schedule": {"schedules": [{
      "name": "Weekdays",
      "timing": {"from": "9am", "to": "17:00"},
      "days": {},
      "timezone": "Mars/Olympus_Mons"
    }]}
  })");
  CHECK(paths_of(check_body("createCampaign", body)) ==
        std::vector<std::string>{"body.campaign_schedule.schedules[0].timing.from",
                                 "body.campaign_schedule.schedules[0].days",
                                 "body.campaign_schedule.schedules[0].timezone"});
}

TEST_CASE("a missing createCampaign body names each required member") {
  CHECK(paths_of(validate_request(operation("createCampaign"), {}, std::nullopt)) ==
        std::vector<std::string>{"body.name", "body.campaign_schedule"});
}

TEST_CASE("bulkAddLeads takes at most 1000 leads") {
  Json::Array leads;
  for (int i = 0; i < 1001; ++i) {
    leads.push_back(Json::object({{"email", "lead" + std::to_string(i) + "@example.com"}}));
  }
  Json body = Json::object({{"campaign_id", "c1"}, {"leads", Json(std::move(leads))}});
  CHECK(messages_of(check_body("bulkAddLeads", body)) ==
        std::vector<std::string>{"body.leads must have at most 1000 items (got 1001)"});

  body.find("leads")->as_array().pop_back();
  CHECK(check_body("bulkAddLeads", body).empty());
}

TEST_CASE("bulkAddLeads goes to a campaign or to a list, never both (api-facts)") {
  const Json lead = Json::object({{"email", "ada@example.com"}});
  CHECK(check_body("bulkAddLeads", Json::object({{"campaign_id", "c1"}, {"leads", Json::array({lead})}})).empty());
  CHECK(check_body("bulkAddLeads", Json::object({{"list_id", "l1"}, {"leads", Json::array({lead})}})).empty());
  CHECK(messages_of(check_body("bulkAddLeads", Json::object({{"campaign_id", "c1"}, {"list_id", "l1"},
                                                             {"leads", Json::array({lead})}}))) ==
        std::vector<std::string>{"body must not have both campaign_id and list_id"});
  CHECK(messages_of(check_body("bulkAddLeads", Json::object({{"leads", Json::array({lead})}}))) ==
        std::vector<std::string>{"body must have either campaign_id or list_id"});
}

TEST_CASE("bulkAddLeads: a lead without an email is the server's to count, not a refused batch") {
  // The API takes the call and counts such a lead in incomplete_count (api-facts.md): refusing
  // the request would fail the other 999 leads of the batch with it.
  const Json named = Json::object({{"first_name", "Ada"}});
  CHECK(check_body("bulkAddLeads", Json::object({{"campaign_id", "c1"}, {"leads", Json::array({named})}})).empty());
  CHECK(check_body("bulkAddLeads", Json::object({{"list_id", "l1"}, {"leads", Json::array({Json::object()})}}))
            .empty());
}

TEST_CASE("custom variables hold scalars only, in every operation that takes them") {
  for (const char* operation_id : {"bulkAddLeads", "createLead", "patchLead"}) {
    const std::string operation(operation_id);
    CAPTURE(operation);
    const Json variables = Json::object({{"past_customer", true}, {"score", 3}, {"note", "hi"}, {"gone", nullptr},
                                         {"address", Json::object({{"city", "Oslo"}})}, {"tags", Json::array({"a"})}});
    Json body = Json::object({{"custom_variables", variables}});
    std::string prefix = "body.custom_variables.";
    if (operation == "bulkAddLeads") {
      body.set("email", "ada@example.com");
      body = Json::object({{"campaign_id", "c1"}, {"leads", Json::array({body})}});
      prefix = "body.leads[0].custom_variables.";
    }
    CHECK(messages_of(check_body(operation_id, body)) ==
          std::vector<std::string>{prefix + "address must be a string, a number, a boolean or null (got object)",
                                   prefix + "tags must be a string, a number, a boolean or null (got array)"});
  }
}

TEST_CASE("spec if/then: a lead finder agent that falls back needs its fallback filters") {
  Json body = Json::parse(R"({"name": "Dentists", "campaign_id": "c1", "search_filters": {},
                              "min_active_leads": 10, "on_exhaustion": "fallback"})");
  CHECK(messages_of(check_body("createLeadFinderAgent", body)) ==
        std::vector<std::string>{"body.fallback_search_filters is required"});
  body.set("on_exhaustion", "pause");
  CHECK(check_body("createLeadFinderAgent", body).empty());
}

TEST_CASE("spec not: the two spellings of one filter may not come together") {
  const Json body = Json::parse(R"({"name": "Dentists", "campaign_id": "c1", "min_active_leads": 10,
                                    "on_exhaustion": "pause",
                                    "search_filters": {"funding_type": [], "fundingType": []}})");
  const auto messages = messages_of(check_body("createLeadFinderAgent", body));
  CHECK(std::find(messages.begin(), messages.end(),
                  "body.search_filters must not have both funding_type and fundingType") != messages.end());
}

TEST_CASE("spec if/then/else: inbox manager guidance of category 0 takes options, others an instruction") {
  CHECK(check_body("createInboxManagerGuidance",
                   Json::parse(R"({"label": "Tone", "category": 0,
                                   "basic_guidance_options": {"tone": "friendly", "length": "concise"}})"))
            .empty());
  CHECK(messages_of(check_body("createInboxManagerGuidance", Json::parse(R"({"label": "Tone", "category": 0})"))) ==
        std::vector<std::string>{"body.basic_guidance_options is required"});
  CHECK(messages_of(check_body("createInboxManagerGuidance",
                               Json::parse(R"({"label": "Price", "category": 2, "instruction": "Quote", "status": 1,
                                               "basic_guidance_options": {"tone": "friendly", "length": "concise"}})"))) ==
        std::vector<std::string>{"body.basic_guidance_options is not allowed here"});
}

TEST_CASE("spec uniqueItems: imported lead ids may not repeat") {
  CHECK(messages_of(check_body("createImportedLeadsActivity",
                               Json::parse(R"({"lead_ids": ["l1", "l2", "l1"], "master_list_id": "m1"})"))) ==
        std::vector<std::string>{R"(body.lead_ids must not repeat an item (item 2 repeats item 0: "l1"))"});
}

TEST_CASE("listCampaign refuses a page size of 0, 101 or -1") {
  CHECK(messages_of(check_query("listCampaign", {{"limit", "0"}})) ==
        std::vector<std::string>{"query.limit must be at least 1 (got 0)"});
  CHECK(messages_of(check_query("listCampaign", {{"limit", "101"}})) ==
        std::vector<std::string>{"query.limit must be at most 100 (got 101)"});
  CHECK(messages_of(check_query("listCampaign", {{"limit", "-1"}})) ==
        std::vector<std::string>{"query.limit must be at least 1 (got -1)"});
}

TEST_CASE("listCampaign limits the page size") {
  const auto issues = check_query("listCampaign", {{"limit", "500"}});
  CHECK(messages_of(issues) == std::vector<std::string>{"query.limit must be at most 100 (got 500)"});
  CHECK(check_query("listCampaign", {{"limit", "100"}, {"search", "spring"}}).empty());
}

TEST_CASE("unknown query parameters are reported") {
  CHECK(messages_of(check_query("listCampaign", {{"colour", "blue"}})) ==
        std::vector<std::string>{"query.colour is not allowed (unknown field)"});
}

TEST_CASE("repeated query parameters are checked as arrays") {
  CHECK(check_query("getCampaignAnalytics", {{"ids", "a"}, {"ids", "b"}}).empty());
  CHECK(paths_of(check_query("listCampaign", {{"limit", "5"}, {"limit", "6"}})) ==
        std::vector<std::string>{"query.limit"});
}

TEST_CASE("an operation without a body rejects one") {
  const OperationSchema* remove = match_operation("DELETE", "/api/v2/campaigns/abc");
  REQUIRE(remove != nullptr);
  CHECK(remove->operation_id == "deleteCampaign");
  CHECK(remove->body == nullptr);
  const auto issues = validate_request(*remove, {}, Json::object({{"id", "abc"}}));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "body");
  CHECK(issues[0].message.find("takes no request body") != std::string::npos);
  CHECK(validate_request(*remove, {}, std::nullopt).empty());
}
