// Workspace-wide resources over real HTTP: the current workspace, background
// jobs, custom tags (and their mappings) and API keys.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;

namespace {

/// A move-leads job, made the way a client makes one.
std::string start_move_job(MockFixture& mock) {
  std::string from = mock.post("/api/v2/lead-lists", Json::object({{"name", "From"}})).json.at("id").as_string();
  std::string to = mock.post("/api/v2/lead-lists", Json::object({{"name", "To"}})).json.at("id").as_string();
  Json leads = Json::array({Json::object({{"email", "job@acme.com"}})});
  REQUIRE(mock.post("/api/v2/leads/add", Json::object({{"list_id", from}, {"leads", leads}})).status == 200);
  auto job = mock.post("/api/v2/leads/move", Json::object({{"list_id", from}, {"to_list_id", to}}));
  REQUIRE(job.status == 200);
  return job.json.at("id").as_string();
}

}  // namespace

TEST_SUITE("mock workspace") {
  TEST_CASE("the current workspace reads and patches") {
    MockFixture mock;
    auto current = mock.get("/api/v2/workspaces/current");
    REQUIRE(current.status == 200);
    CHECK(current.json.at("id").is_string());
    auto patched = mock.patch("/api/v2/workspaces/current",
                              Json::object({{"name", "Renamed Co"}, {"org_logo_url", "https://x.test/logo.png"}}));
    REQUIRE(patched.status == 200);
    CHECK(patched.json.at("name").as_string() == "Renamed Co");
    auto again = mock.get("/api/v2/workspaces/current").json;
    CHECK(again.at("name").as_string() == "Renamed Co");
    CHECK(again.at("org_logo_url").as_string() == "https://x.test/logo.png");
    CHECK(again.at("id") == current.json.at("id"));
    CHECK(mock.patch("/api/v2/workspaces/current", Json::object({{"org_logo_url", nullptr}})).json.at("org_logo_url").is_null());
  }

  TEST_CASE("a background job advances one step per read: pending, in-progress, success, then stays") {
    MockFixture mock;
    std::string id = start_move_job(mock);
    std::vector<std::string> statuses;
    std::vector<std::int64_t> progress;
    for (int i = 0; i < 3; ++i) {
      auto job = mock.get("/api/v2/background-jobs/" + id);
      REQUIRE(job.status == 200);
      statuses.push_back(job.json.at("status").as_string());
      progress.push_back(job.json.at("progress").as_int());
    }
    CHECK(statuses == std::vector<std::string>{"in-progress", "success", "success"});
    CHECK(progress == std::vector<std::int64_t>{50, 100, 100});
    auto narrowed = mock.get("/api/v2/background-jobs/" + id + "?data_fields=moved_count");
    CHECK(narrowed.json.at("data") == Json::object({{"moved_count", 1}}));
    CHECK(mock.get("/api/v2/background-jobs/019a0000-0000-7000-8000-00000000beef").status == 404);
  }

  TEST_CASE("background jobs list and filter by type, status and ids") {
    MockFixture mock;
    std::string first = start_move_job(mock);
    std::string second = start_move_job(mock);
    mock.get("/api/v2/background-jobs/" + first);
    mock.get("/api/v2/background-jobs/" + first);  // first is now success, second still pending

    auto all = mock.get("/api/v2/background-jobs?type=move-leads");
    REQUIRE(all.status == 200);
    CHECK(all.json.at("items").size() == 2);
    auto pending = mock.get("/api/v2/background-jobs?status=pending").json.at("items");
    REQUIRE(pending.size() == 1);
    CHECK(pending.at(0).at("id").as_string() == second);
    CHECK(mock.get("/api/v2/background-jobs?ids=" + first).json.at("items").size() == 1);
    CHECK(mock.get("/api/v2/background-jobs?entity_type=campaign").json.at("items").empty());
    auto page = mock.get("/api/v2/background-jobs?limit=1");
    CHECK(page.json.at("items").at(0).at("id").as_string() == first);
    auto next = mock.get("/api/v2/background-jobs?limit=1&starting_after=" + page.json.at("next_starting_after").as_string());
    CHECK(next.json.at("items").at(0).at("id").as_string() == second);
  }

  TEST_CASE("custom tags: CRUD, search, and toggling them onto resources") {
    MockFixture mock;
    auto hot = mock.post("/api/v2/custom-tags", Json::object({{"label", "Hot"}}));
    REQUIRE(hot.status == 200);
    auto cold = mock.post("/api/v2/custom-tags", Json::object({{"label", "Cold"}}));
    std::string hot_id = hot.json.at("id").as_string();
    std::string cold_id = cold.json.at("id").as_string();
    CHECK(mock.get("/api/v2/custom-tags").json.at("items").size() == 2);
    CHECK(mock.get("/api/v2/custom-tags?search=ho").json.at("items").size() == 1);

    auto patched = mock.patch("/api/v2/custom-tags/" + hot_id, Json::object({{"label", "Very hot"}}));
    CHECK(patched.json.at("label").as_string() == "Very hot");
    CHECK(mock.get("/api/v2/custom-tags/" + hot_id).json.at("label").as_string() == "Very hot");

    auto toggled = mock.post("/api/v2/custom-tags/toggle-resource",
                             Json::object({{"tag_ids", Json::array({hot_id, cold_id})},
                                           {"resource_type", 2},
                                           {"resource_ids", Json::array({"camp-1", "camp-2"})},
                                           {"assign", true}}));
    REQUIRE(toggled.status == 200);
    CHECK(toggled.json.at("success").as_bool());
    CHECK(mock.get("/api/v2/custom-tag-mappings").json.at("items").size() == 4);
    CHECK(mock.get("/api/v2/custom-tag-mappings?resource_ids=camp-1").json.at("items").size() == 2);
    // Assigning again adds nothing; unassigning one tag leaves the other.
    mock.post("/api/v2/custom-tags/toggle-resource", Json::object({{"tag_ids", Json::array({hot_id})},
                                                                  {"resource_type", 2},
                                                                  {"resource_ids", Json::array({"camp-1"})},
                                                                  {"assign", true}}));
    CHECK(mock.get("/api/v2/custom-tag-mappings").json.at("items").size() == 4);
    mock.post("/api/v2/custom-tags/toggle-resource", Json::object({{"tag_ids", Json::array({cold_id})},
                                                                  {"resource_type", 2},
                                                                  {"resource_ids", Json::array({"camp-1", "camp-2"})},
                                                                  {"assign", false}}));
    auto on_camp1 = mock.get("/api/v2/custom-tags?resource_ids=camp-1").json.at("items");
    REQUIRE(on_camp1.size() == 1);
    CHECK(on_camp1.at(0).at("id").as_string() == hot_id);
    CHECK(mock.post("/api/v2/custom-tags/toggle-resource", Json::object({{"tag_ids", Json::array({"nope"})},
                                                                        {"resource_type", 1},
                                                                        {"resource_ids", Json::array({"a@b.co"})},
                                                                        {"assign", true}}))
              .status == 404);

    CHECK(mock.del("/api/v2/custom-tags/" + hot_id).status == 200);
    CHECK(mock.get("/api/v2/custom-tags/" + hot_id).status == 404);
    CHECK(mock.get("/api/v2/custom-tag-mappings").json.at("items").empty());
  }

  TEST_CASE("API keys: the secret is shown once, masked in listings, and deletion removes the key") {
    MockFixture mock;
    auto created = mock.post("/api/v2/api-keys",
                             Json::object({{"name", "CI"}, {"scopes", Json::array({"leads:read", "campaigns:all"})}}));
    REQUIRE(created.status == 200);
    std::string secret = created.json.at("key").as_string();
    CHECK(secret.size() >= 32);
    CHECK(secret.find('*') == std::string::npos);
    CHECK(created.json.at("scopes").size() == 2);

    auto listed = mock.get("/api/v2/api-keys").json.at("items");
    REQUIRE(listed.size() == 1);
    std::string shown = listed.at(0).at("key").as_string();
    CHECK(shown != secret);
    CHECK(shown.find('*') != std::string::npos);
    CHECK(shown.substr(0, 6) == secret.substr(0, 6));

    std::string id = created.json.at("id").as_string();
    auto deleted = mock.del("/api/v2/api-keys/" + id);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.json.at("key").as_string() != secret);
    CHECK(mock.get("/api/v2/api-keys").json.at("items").empty());
    CHECK(mock.del("/api/v2/api-keys/" + id).status == 404);
  }
}
