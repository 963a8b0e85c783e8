// Leads over real HTTP: the /leads/add accounting, CRUD, the body-paged
// listing, move jobs and interest status (with its webhook event).
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::HttpResult;
using instantly::mock::testing::MockFixture;

namespace {

std::string create_campaign(MockFixture& mock, const std::string& name) {
  Json schedule = Json::object(
      {{"schedules", Json::array({Json::object({{"name", "Weekdays"},
                                                {"timing", Json::object({{"from", "09:00"}, {"to", "17:00"}})},
                                                {"days", Json::object({{"1", true}, {"2", true}})},
                                                {"timezone", "America/Detroit"}})})}});
  auto created = mock.post("/api/v2/campaigns", Json::object({{"name", name}, {"campaign_schedule", schedule}}));
  REQUIRE(created.status == 200);
  return created.json.at("id").as_string();
}

std::string create_list(MockFixture& mock, const std::string& name) {
  auto created = mock.post("/api/v2/lead-lists", Json::object({{"name", name}}));
  REQUIRE(created.status == 200);
  return created.json.at("id").as_string();
}

Json lead_with(const std::string& email) { return Json::object({{"email", email}}); }

/// POST /leads/add into `scope_key` ("campaign_id" or "list_id") plus any extra body members.
HttpResult add_leads(MockFixture& mock, const std::string& scope_key, const std::string& scope_id, Json leads,
                     Json extra = Json::object()) {
  extra.set(scope_key, scope_id);
  extra.set("leads", std::move(leads));
  return mock.post("/api/v2/leads/add", extra);
}

std::int64_t count_of(const HttpResult& result, const char* field) { return result.json.at(field).as_int(); }

/// Every lead a /leads/list body selects, following the body cursor.
std::vector<Json> list_all(MockFixture& mock, Json body, std::size_t* pages = nullptr) {
  std::vector<Json> leads;
  body.set("limit", 10);
  for (int guard = 0; guard < 100; ++guard) {
    auto page = mock.post("/api/v2/leads/list", body);
    REQUIRE(page.status == 200);
    const auto& items = page.json.at("items").as_array();
    if (pages && !items.empty()) ++*pages;
    for (const Json& lead : items) leads.push_back(lead);
    const Json* next = page.json.find("next_starting_after");
    if (!next || items.empty()) break;
    body.set("starting_after", *next);
  }
  return leads;
}

}  // namespace

TEST_SUITE("mock leads") {
  TEST_CASE("/leads/add counts every input lead exactly once, in the right category") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Accounting");
    REQUIRE(add_leads(mock, "campaign_id", campaign, Json::array({lead_with("existing@acme.com")})).status == 200);
    REQUIRE(mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", "Blocked@x.com"}})).status == 200);
    REQUIRE(mock.post("/api/v2/block-lists-entries", Json::object({{"bl_value", "blocked.org"}})).status == 200);

    Json second = Json::object({{"email", "ok2@acme.com"},
                                {"first_name", "Ada"},
                                {"custom_variables", Json::object({{"tier", "gold"}, {"seats", 12}})}});
    Json leads = Json::array({lead_with("ok1@acme.com"),                       // 0 created
                              Json::object({{"first_name", "No Mail"}}),       // 1 incomplete (campaign)
                              lead_with("not-an-email"),                       // 2 invalid
                              lead_with("OK1@acme.com"),                       // 3 same email again in payload
                              lead_with("existing@acme.com"),                  // 4 already in the campaign
                              lead_with("blocked@x.com"),                      // 5 blocked address
                              lead_with("someone@blocked.org"),                // 6 blocked domain
                              second});                                        // 7 created
    auto result = add_leads(mock, "campaign_id", campaign, leads);
    REQUIRE(result.status == 200);
    CHECK(result.json.at("status").as_string() == "success");
    CHECK(count_of(result, "total_sent") == 8);
    CHECK(count_of(result, "leads_uploaded") == 2);
    CHECK(count_of(result, "incomplete_count") == 1);
    CHECK(count_of(result, "invalid_email_count") == 1);
    CHECK(count_of(result, "duplicate_email_count") == 1);
    CHECK(count_of(result, "duplicated_leads") == 1);
    CHECK(count_of(result, "in_blocklist") == 2);
    CHECK(count_of(result, "skipped_count") == 0);
    CHECK(result.json.at("remaining_in_plan").is_int());

    const auto& created = result.json.at("created_leads").as_array();
    REQUIRE(created.size() == 2);
    CHECK(created[0].at("index").as_int() == 0);
    CHECK(created[0].at("email").as_string() == "ok1@acme.com");
    CHECK(created[1].at("index").as_int() == 7);
    CHECK(created[1].at("email").as_string() == "ok2@acme.com");
    CHECK(created[1].at("first_name").as_string() == "Ada");

    auto stored = mock.get("/api/v2/leads/" + created[1].at("id").as_string());
    REQUIRE(stored.status == 200);
    CHECK(stored.json.at("campaign").as_string() == campaign);
    CHECK(stored.json.at("payload").at("tier").as_string() == "gold");
    CHECK(stored.json.at("payload").at("seats").as_int() == 12);
    CHECK(stored.json.at("status").as_int() == 1);
    CHECK(stored.json.at("company_domain").as_string() == "acme.com");
    CHECK(stored.json.at("organization").as_string() == mock.get("/api/v2/workspaces/current").json.at("id").as_string());
  }

  TEST_CASE("re-sending a chunk adds nothing and reports the leads as duplicates") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Resend");
    Json chunk = Json::array({lead_with("a@acme.com"), lead_with("b@acme.com"), lead_with("c@acme.com")});
    REQUIRE(count_of(add_leads(mock, "campaign_id", campaign, chunk), "leads_uploaded") == 3);
    auto again = add_leads(mock, "campaign_id", campaign, chunk);
    CHECK(count_of(again, "leads_uploaded") == 0);
    CHECK(count_of(again, "duplicated_leads") == 3);
    CHECK(again.json.at("created_leads").empty());
    CHECK(list_all(mock, Json::object({{"campaign", campaign}})).size() == 3);

    // The same emails are new to another campaign.
    std::string other = create_campaign(mock, "Other");
    CHECK(count_of(add_leads(mock, "campaign_id", other, chunk), "leads_uploaded") == 3);
  }

  TEST_CASE("each skip flag skips leads found where it looks, and only there") {
    MockFixture mock;
    std::string list = create_list(mock, "Prospects");
    std::string source = create_campaign(mock, "Source");
    REQUIRE(count_of(add_leads(mock, "list_id", list, Json::array({lead_with("in-list@x.com")})), "leads_uploaded") == 1);
    REQUIRE(count_of(add_leads(mock, "campaign_id", source, Json::array({lead_with("in-campaign@x.com")})),
                     "leads_uploaded") == 1);
    // Each round uses a fresh target campaign and a never-seen third email;
    // what earlier rounds uploaded is part of the workspace for later ones.
    auto chunk_with = [](const std::string& fresh) {
      return Json::array({lead_with("in-list@x.com"), lead_with("in-campaign@x.com"), lead_with(fresh)});
    };
    {
      std::string target = create_campaign(mock, "list flag");
      auto result = add_leads(mock, "campaign_id", target, chunk_with("f1@x.com"),
                              Json::object({{"skip_if_in_list", true}}));
      CHECK(count_of(result, "skipped_count") == 1);  // in-list
      CHECK(count_of(result, "leads_uploaded") == 2);
    }
    {
      std::string target = create_campaign(mock, "campaign flag");
      auto result = add_leads(mock, "campaign_id", target, chunk_with("f2@x.com"),
                              Json::object({{"skip_if_in_campaign", true}}));
      CHECK(count_of(result, "skipped_count") == 1);  // in-campaign (in-list was skipped above, so in no campaign)
      CHECK(count_of(result, "leads_uploaded") == 2);
    }
    {
      std::string target = create_campaign(mock, "workspace flag");
      auto result = add_leads(mock, "campaign_id", target, chunk_with("f3@x.com"),
                              Json::object({{"skip_if_in_workspace", true}}));
      CHECK(count_of(result, "skipped_count") == 2);
      CHECK(count_of(result, "leads_uploaded") == 1);
    }
    std::string unflagged = create_campaign(mock, "No flags");
    CHECK(count_of(add_leads(mock, "campaign_id", unflagged, chunk_with("f4@x.com")), "leads_uploaded") == 3);
  }

  TEST_CASE("a list takes leads without an email, a campaign does not") {
    MockFixture mock;
    std::string list = create_list(mock, "Phone only");
    auto result = add_leads(mock, "list_id", list,
                            Json::array({Json::object({{"phone", "+1 555 0100"}}), Json::object(),
                                         Json::object({{"email", ""}, {"first_name", ""}}),
                                         Json::object({{"email", ""}, {"first_name", "Bo"}})}));
    CHECK(count_of(result, "leads_uploaded") == 2);
    CHECK(count_of(result, "incomplete_count") == 2);
    const auto& created = result.json.at("created_leads");
    CHECK(created.at(0).at("phone").as_string() == "+1 555 0100");
    CHECK(created.at(1).at("index").as_int() == 3);
    CHECK(created.at(1).at("email").is_null());  // "" is stored as no email
    // Two email-less leads never collide as duplicates of each other.
    CHECK(count_of(add_leads(mock, "list_id", list, Json::array({Json::object({{"first_name", "Bo"}})})),
                   "leads_uploaded") == 1);
  }

  TEST_CASE("/leads/add needs exactly one of campaign_id and list_id, and an existing one") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Target");
    std::string list = create_list(mock, "Target list");
    Json leads = Json::array({lead_with("a@acme.com")});
    auto both = mock.post("/api/v2/leads/add",
                          Json::object({{"campaign_id", campaign}, {"list_id", list}, {"leads", leads}}));
    CHECK(both.status == 400);
    CHECK(mock.post("/api/v2/leads/add", Json::object({{"leads", leads}})).status == 400);
    auto missing = add_leads(mock, "campaign_id", "019a0000-0000-7000-8000-00000000dead", leads);
    CHECK(missing.status == 404);
    CHECK(missing.json.at("message").as_string().find("campaign") != std::string::npos);
    CHECK(add_leads(mock, "list_id", "no-such-list", leads).status == 404);
  }

  TEST_CASE("1,000 leads go in one call, 1,001 are refused") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Bulk");
    Json leads = Json::array();
    for (int i = 0; i < 1000; ++i) {
      leads.push_back(Json::object({{"email", "lead" + std::to_string(i) + "@bulk.example.com"},
                                    {"first_name", "Lead"},
                                    {"last_name", std::to_string(i)},
                                    {"company_name", "Bulk Inc"},
                                    {"custom_variables", Json::object({{"row", i}, {"source", "import"}})}}));
    }
    auto started = std::chrono::steady_clock::now();
    auto result = add_leads(mock, "campaign_id", campaign, leads);
    auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE(result.status == 200);
    CHECK(count_of(result, "leads_uploaded") == 1000);
    CHECK(result.json.at("created_leads").at(999).at("index").as_int() == 999);
#if !defined(__SANITIZE_ADDRESS__)
    // Target is well under 20 ms; the bound leaves room for a loaded CI box
    // while still catching anything quadratic.
    CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() < 250);
#endif
    (void)elapsed;

    leads.push_back(lead_with("one-too-many@bulk.example.com"));
    auto refused = add_leads(mock, "campaign_id", campaign, leads);
    CHECK(refused.status == 400);
    CHECK(refused.json.at("message").as_string().find("leads") != std::string::npos);
  }

  TEST_CASE("POST /leads/list pages through the body cursor and filters by campaign, list and search") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Paged");
    std::string other = create_campaign(mock, "Elsewhere");
    std::string list = create_list(mock, "Paged list");
    Json leads = Json::array();
    for (int i = 0; i < 25; ++i) {
      leads.push_back(Json::object({{"email", "p" + std::to_string(i) + "@paged.com"},
                                    {"last_name", i % 5 == 0 ? "Smith" : "Jones"}}));
    }
    REQUIRE(count_of(add_leads(mock, "campaign_id", campaign, leads), "leads_uploaded") == 25);
    REQUIRE(count_of(add_leads(mock, "campaign_id", other, Json::array({lead_with("x@other.com")})), "leads_uploaded") == 1);
    REQUIRE(count_of(add_leads(mock, "list_id", list, Json::array({lead_with("l1@list.com"), lead_with("l2@list.com")})),
                     "leads_uploaded") == 2);

    std::size_t pages = 0;
    auto in_campaign = list_all(mock, Json::object({{"campaign", campaign}}), &pages);
    CHECK(in_campaign.size() == 25);
    CHECK(pages == 3);
    std::set<std::string> ids;
    for (const Json& lead : in_campaign) {
      ids.insert(lead.at("id").as_string());
      CHECK(lead.at("campaign").as_string() == campaign);
    }
    CHECK(ids.size() == 25);

    auto in_list = list_all(mock, Json::object({{"list_id", list}}));
    CHECK(in_list.size() == 2);
    auto smiths = list_all(mock, Json::object({{"campaign", campaign}, {"search", "SMITH"}}));
    CHECK(smiths.size() == 5);
    auto by_email = list_all(mock, Json::object({{"search", "x@other"}}));
    REQUIRE(by_email.size() == 1);
    CHECK(by_email[0].at("campaign").as_string() == other);
    // campaign_ids is not a filter the API honours: everything comes back.
    CHECK(list_all(mock, Json::object({{"campaign_ids", Json::array({campaign})}})).size() == 28);
    auto chosen = list_all(mock, Json::object({{"ids", Json::array({in_campaign[3].at("id"), in_list[1].at("id")})}}));
    CHECK(chosen.size() == 2);
  }

  TEST_CASE("PATCH merges: null clears a field, custom_variables merge into payload") {
    MockFixture mock;
    auto created = mock.post("/api/v2/leads", Json::object({{"email", "pat@acme.com"},
                                                            {"first_name", "Pat"},
                                                            {"company_name", "Acme"},
                                                            {"custom_variables", Json::object({{"a", "1"}, {"b", "2"}})}}));
    REQUIRE(created.status == 200);
    std::string id = created.json.at("id").as_string();
    auto patched = mock.patch("/api/v2/leads/" + id,
                              Json::object({{"first_name", nullptr},
                                            {"job_title", "CTO"},
                                            {"custom_variables", Json::object({{"b", nullptr}, {"c", true}})}}));
    REQUIRE(patched.status == 200);
    auto lead = mock.get("/api/v2/leads/" + id).json;
    CHECK(lead.at("first_name").is_null());
    CHECK(lead.at("company_name").as_string() == "Acme");
    CHECK(lead.at("job_title").as_string() == "CTO");
    CHECK(lead.at("payload") == Json::object({{"a", "1"}, {"c", true}}));
    CHECK(mock.patch("/api/v2/leads/nope", Json::object({{"phone", "1"}})).status == 404);
  }

  TEST_CASE("POST /leads creates one lead and refuses a campaign lead without email") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Single");
    auto created = mock.post("/api/v2/leads", Json::object({{"campaign", campaign}, {"email", "one@acme.com"}}));
    REQUIRE(created.status == 200);
    CHECK(created.json.at("campaign").as_string() == campaign);
    auto again = mock.post("/api/v2/leads", Json::object({{"campaign", campaign}, {"email", "ONE@acme.com"}}));
    CHECK(again.json.at("id") == created.json.at("id"));
    CHECK(mock.post("/api/v2/leads", Json::object({{"campaign", campaign}, {"first_name", "X"}})).status == 400);
    CHECK(mock.post("/api/v2/leads", Json::object({{"email", "bad@"}})).status == 400);
    CHECK(mock.post("/api/v2/leads", Json::object({{"campaign", "missing"}, {"email", "a@b.co"}})).status == 404);
  }

  TEST_CASE("deleting leads, one or in bulk, frees their emails for re-adding") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Deletes");
    std::string list = create_list(mock, "Kept");
    Json chunk = Json::array();
    for (int i = 0; i < 6; ++i) chunk.push_back(lead_with("d" + std::to_string(i) + "@acme.com"));
    auto added = add_leads(mock, "campaign_id", campaign, chunk);
    REQUIRE(count_of(added, "leads_uploaded") == 6);
    REQUIRE(count_of(add_leads(mock, "list_id", list, Json::array({lead_with("d0@acme.com")})), "leads_uploaded") == 1);
    const auto& created = added.json.at("created_leads").as_array();

    std::string first = created[0].at("id").as_string();
    auto deleted = mock.del("/api/v2/leads/" + first);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.json.at("email").as_string() == "d0@acme.com");
    CHECK(mock.get("/api/v2/leads/" + first).status == 404);
    CHECK(mock.del("/api/v2/leads/" + first).status == 404);
    CHECK(count_of(add_leads(mock, "campaign_id", campaign, Json::array({lead_with("d0@acme.com")})), "leads_uploaded") == 1);

    auto some = mock.del("/api/v2/leads", Json::object({{"campaign_id", campaign},
                                                        {"ids", Json::array({created[1].at("id"), created[2].at("id")})}}));
    REQUIRE(some.status == 200);
    CHECK(some.json.at("count").as_int() == 2);
    auto rest = mock.del("/api/v2/leads", Json::object({{"campaign_id", campaign}}));
    CHECK(rest.json.at("count").as_int() == 4);
    CHECK(list_all(mock, Json::object({{"campaign", campaign}})).empty());
    CHECK(list_all(mock, Json::object({{"list_id", list}})).size() == 1);
    CHECK(count_of(add_leads(mock, "campaign_id", campaign, chunk), "leads_uploaded") == 6);
  }

  TEST_CASE("POST /leads/move returns a job that polls to success, the leads are in the new campaign") {
    MockFixture mock;
    std::string list = create_list(mock, "To move");
    std::string campaign = create_campaign(mock, "Destination");
    Json chunk = Json::array({lead_with("m1@acme.com"), lead_with("m2@acme.com"), lead_with("m3@acme.com")});
    REQUIRE(count_of(add_leads(mock, "list_id", list, chunk), "leads_uploaded") == 3);
    REQUIRE(count_of(add_leads(mock, "campaign_id", campaign, Json::array({lead_with("m3@acme.com")})),
                     "leads_uploaded") == 1);

    auto job = mock.post("/api/v2/leads/move", Json::object({{"list_id", list}, {"to_campaign_id", campaign}}));
    REQUIRE(job.status == 200);
    CHECK(job.json.at("type").as_string() == "move-leads");
    CHECK(job.json.at("status").as_string() == "pending");
    CHECK(job.json.at("entity_type").as_string() == "campaign");
    std::string job_id = job.json.at("id").as_string();

    std::vector<std::string> seen;
    for (int i = 0; i < 5; ++i) {
      auto polled = mock.get("/api/v2/background-jobs/" + job_id);
      REQUIRE(polled.status == 200);
      seen.push_back(polled.json.at("status").as_string());
      if (seen.back() == "success") {
        CHECK(polled.json.at("progress").as_int() == 100);
        CHECK(polled.json.at("data").at("moved_lead_emails").size() == 2);
        break;
      }
    }
    CHECK(seen == std::vector<std::string>{"in-progress", "success"});

    // m3 was already in the campaign, so it stays in the list rather than doubling up.
    CHECK(list_all(mock, Json::object({{"campaign", campaign}})).size() == 3);
    auto left = list_all(mock, Json::object({{"list_id", list}}));
    REQUIRE(left.size() == 1);
    CHECK(left[0].at("email").as_string() == "m3@acme.com");
    // The duplicate index moved with the leads.
    auto resend = add_leads(mock, "campaign_id", campaign, chunk);
    CHECK(count_of(resend, "duplicated_leads") == 3);
    CHECK(count_of(add_leads(mock, "list_id", list, Json::array({lead_with("m1@acme.com")})), "leads_uploaded") == 1);

    CHECK(mock.post("/api/v2/leads/move", Json::object({{"list_id", list}})).status == 400);
    CHECK(mock.post("/api/v2/leads/move", Json::object({{"list_id", list}, {"to_list_id", "gone"}})).status == 404);
  }

  TEST_CASE("update-interest-status answers 202, sets the lead's status and fires the matching webhook event") {
    MockFixture mock;
    // A receiver for the webhook, so the delivery log holds the real payload.
    httplib::Server receiver;
    std::mutex mutex;
    std::vector<Json> received;
    receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      received.push_back(Json::parse(req.body));
      res.status = 200;
    });
    int port = receiver.bind_to_any_port("127.0.0.1");
    std::thread serving([&receiver] { receiver.listen_after_bind(); });
    while (!receiver.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

    std::string campaign = create_campaign(mock, "Interest");
    auto hook = mock.post("/api/v2/webhooks",
                          Json::object({{"target_hook_url", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
                                        {"event_type", "lead_interested"}}));
    REQUIRE(hook.status == 200);
    Json lead = Json::object({{"email", "Warm@Acme.com"}, {"custom_variables", Json::object({{"tier", "gold"}})}});
    auto added = add_leads(mock, "campaign_id", campaign, Json::array({lead}));
    std::string id = added.json.at("created_leads").at(0).at("id").as_string();

    auto accepted = mock.post("/api/v2/leads/update-interest-status",
                              Json::object({{"lead_email", "warm@acme.com"}, {"interest_value", 1}, {"campaign_id", campaign}}));
    CHECK(accepted.status == 202);
    CHECK(mock.get("/api/v2/leads/" + id).json.at("lt_interest_status").as_int() == 1);

    REQUIRE(mock.admin("POST", "/webhooks/flush").json.at("idle").as_bool());
    {
      std::lock_guard lock(mutex);
      REQUIRE(received.size() == 1);
      CHECK(received[0].at("event_type").as_string() == "lead_interested");
      CHECK(received[0].at("lead_email").as_string() == "Warm@Acme.com");
      CHECK(received[0].at("campaign_id").as_string() == campaign);
      CHECK(received[0].at("campaign_name").as_string() == "Interest");
      CHECK(received[0].at("tier").as_string() == "gold");
      CHECK(received[0].at("timestamp").is_string());
    }

    auto reset = mock.post("/api/v2/leads/update-interest-status",
                           Json::object({{"lead_email", "warm@acme.com"}, {"interest_value", nullptr}}));
    CHECK(reset.status == 202);
    CHECK_FALSE(mock.get("/api/v2/leads/" + id).json.contains("lt_interest_status"));
    CHECK(mock.post("/api/v2/leads/update-interest-status",
                    Json::object({{"lead_email", "warm@acme.com"}, {"interest_value", 7}}))
              .status == 400);
    CHECK(mock.post("/api/v2/leads/update-interest-status",
                    Json::object({{"lead_email", "nobody@acme.com"}, {"interest_value", 1}}))
              .status == 404);

    receiver.stop();
    serving.join();
  }

  TEST_CASE("bulk-assign answers 202 and deals the selected leads out in turn") {
    MockFixture mock;
    std::string campaign = create_campaign(mock, "Assign");
    Json chunk = Json::array({lead_with("a1@acme.com"), lead_with("a2@acme.com"), lead_with("a3@acme.com")});
    REQUIRE(count_of(add_leads(mock, "campaign_id", campaign, chunk), "leads_uploaded") == 3);
    auto assigned = mock.post("/api/v2/leads/bulk-assign",
                              Json::object({{"campaign", campaign}, {"organization_user_ids", Json::array({"u1", "u2"})}}));
    CHECK(assigned.status == 202);
    auto leads = list_all(mock, Json::object({{"campaign", campaign}}));
    REQUIRE(leads.size() == 3);
    CHECK(leads[0].at("assigned_to").as_string() == "u1");
    CHECK(leads[1].at("assigned_to").as_string() == "u2");
    CHECK(leads[2].at("assigned_to").as_string() == "u1");
  }
}
