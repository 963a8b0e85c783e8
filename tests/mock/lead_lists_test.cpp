// Lead lists and block list entries over real HTTP.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;

namespace {

std::set<std::string> names_in(const Json& page) {
  std::set<std::string> names;
  for (const Json& list : page.at("items").as_array()) names.insert(list.at("name").as_string());
  return names;
}

}  // namespace

TEST_SUITE("mock lead lists") {
  TEST_CASE("lead lists: create, get, patch, page with a cursor, search, delete") {
    MockFixture mock;
    std::string first_id;
    for (const char* name : {"Alpha leads", "Beta leads", "Gamma prospects"}) {
      auto created = mock.post("/api/v2/lead-lists", Json::object({{"name", name}}));
      REQUIRE(created.status == 200);
      CHECK(created.json.at("name").as_string() == name);
      CHECK(created.json.at("organization_id").is_string());
      if (first_id.empty()) first_id = created.json.at("id").as_string();
    }
    auto page1 = mock.get("/api/v2/lead-lists?limit=2");
    REQUIRE(page1.status == 200);
    CHECK(page1.json.at("items").size() == 2);
    auto page2 = mock.get("/api/v2/lead-lists?limit=2&starting_after=" +
                          page1.json.at("next_starting_after").as_string());
    CHECK(names_in(page2.json) == std::set<std::string>{"Gamma prospects"});
    CHECK_FALSE(page2.json.contains("next_starting_after"));
    CHECK(names_in(mock.get("/api/v2/lead-lists?search=LEADS").json) ==
          std::set<std::string>{"Alpha leads", "Beta leads"});

    auto patched = mock.patch("/api/v2/lead-lists/" + first_id, Json::object({{"name", "Renamed"}, {"owned_by", "u1"}}));
    REQUIRE(patched.status == 200);
    CHECK(mock.get("/api/v2/lead-lists/" + first_id).json.at("name").as_string() == "Renamed");
    CHECK(mock.get("/api/v2/lead-lists/" + first_id).json.at("owned_by").as_string() == "u1");

    CHECK(mock.del("/api/v2/lead-lists/" + first_id).status == 200);
    CHECK(mock.get("/api/v2/lead-lists/" + first_id).status == 404);
    CHECK(mock.patch("/api/v2/lead-lists/" + first_id, Json::object({{"name", "x"}})).status == 404);
  }

  TEST_CASE("deleting a list deletes its leads, verification stats count them") {
    MockFixture mock;
    std::string list = mock.post("/api/v2/lead-lists", Json::object({{"name", "Doomed"}})).json.at("id").as_string();
    Json leads = Json::array({Json::object({{"email", "a@list.com"}}), Json::object({{"email", "b@list.com"}})});
    auto added = mock.post("/api/v2/leads/add", Json::object({{"list_id", list}, {"leads", leads}}));
    REQUIRE(added.json.at("leads_uploaded").as_int() == 2);
    auto stats = mock.get("/api/v2/lead-lists/" + list + "/verification-stats");
    REQUIRE(stats.status == 200);
    CHECK(stats.json.at("total_leads").as_int() == 2);

    std::string lead_id = added.json.at("created_leads").at(0).at("id").as_string();
    REQUIRE(mock.del("/api/v2/lead-lists/" + list).status == 200);
    CHECK(mock.get("/api/v2/leads/" + lead_id).status == 404);
    CHECK(mock.post("/api/v2/leads/list", Json::object({{"search", "@list.com"}})).json.at("items").empty());
  }

  TEST_CASE("block list entries: emails and domains, normalized, listed, patched, deleted") {
    MockFixture mock;
    auto email = mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", " Spam@Example.com "}}));
    REQUIRE(email.status == 200);
    CHECK(email.json.at("bl_value").as_string() == "spam@example.com");
    CHECK_FALSE(email.json.at("is_domain").as_bool());
    auto domain = mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", "competitor.io"}}));
    REQUIRE(domain.status == 200);
    CHECK(domain.json.at("is_domain").as_bool());
    CHECK(mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", "not a value"}})).status == 400);
    // Adding a value twice answers the entry that holds it.
    CHECK(mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", "competitor.io"}})).json.at("id") ==
          domain.json.at("id"));

    CHECK(mock.get("/api/v2/block-lists-entries").json.at("items").size() == 2);
    auto domains = mock.get("/api/v2/block-lists-entries?domains_only=true").json.at("items");
    REQUIRE(domains.size() == 1);
    CHECK(domains.at(0).at("bl_value").as_string() == "competitor.io");
    CHECK(mock.get("/api/v2/block-lists-entries?search=spam").json.at("items").size() == 1);

    std::string id = email.json.at("id").as_string();
    auto patched = mock.patch("/api/v2/block-lists-entries/" + id, Json::object({{"bl_value", "example.com"}}));
    REQUIRE(patched.status == 200);
    CHECK(patched.json.at("is_domain").as_bool());
    CHECK(mock.get("/api/v2/block-lists-entries/" + id).json.at("bl_value").as_string() == "example.com");
    CHECK(mock.del("/api/v2/block-lists-entries/" + id).status == 200);
    CHECK(mock.get("/api/v2/block-lists-entries/" + id).status == 404);
  }

  TEST_CASE("block list bulk create counts invalid values, bulk and filtered delete remove entries") {
    MockFixture mock;
    auto bulk = mock.post("/api/v2/block-lists-entries/bulk-create",
                          Json::object({{"bl_values", Json::array({"a@x.com", "b@x.com", "x.org", "???"})}}));
    REQUIRE(bulk.status == 200);
    CHECK(bulk.json.at("valid_count").as_int() == 3);
    CHECK(bulk.json.at("invalid_count").as_int() == 1);
    CHECK(bulk.json.at("items").size() == 3);

    auto removed = mock.post("/api/v2/block-lists-entries/bulk-delete",
                             Json::object({{"ids", Json::array({bulk.json.at("items").at(0).at("id")})}}));
    REQUIRE(removed.status == 200);
    CHECK(removed.json.size() == 1);
    auto domains = mock.del("/api/v2/block-lists-entries?domains_only=true");
    REQUIRE(domains.status == 200);
    CHECK(domains.json.size() == 1);
    auto left = mock.get("/api/v2/block-lists-entries").json.at("items");
    REQUIRE(left.size() == 1);
    CHECK(left.at(0).at("bl_value").as_string() == "b@x.com");
  }

  TEST_CASE("a blocked domain stops /leads/add into a list too, unblocking lets the lead in") {
    MockFixture mock;
    std::string list = mock.post("/api/v2/lead-lists", Json::object({{"name", "Blocked"}})).json.at("id").as_string();
    auto entry = mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", "rival.com"}}));
    Json leads = Json::array({Json::object({{"email", "ceo@RIVAL.com"}})});
    auto blocked = mock.post("/api/v2/leads/add", Json::object({{"list_id", list}, {"leads", leads}}));
    CHECK(blocked.json.at("in_blocklist").as_int() == 1);
    CHECK(blocked.json.at("leads_uploaded").as_int() == 0);
    REQUIRE(mock.del("/api/v2/block-lists-entries/" + entry.json.at("id").as_string()).status == 200);
    auto allowed = mock.post("/api/v2/leads/add", Json::object({{"list_id", list}, {"leads", leads}}));
    CHECK(allowed.json.at("leads_uploaded").as_int() == 1);
  }
}
