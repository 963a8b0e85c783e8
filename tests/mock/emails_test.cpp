// The unibox over HTTP: simulated replies arrive unread in the campaign
// mail's thread; listing, reading, replying in-thread and read state.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "mock_fixture.hpp"

using instantly::Json;
using instantly::mock::testing::MockFixture;
namespace collections = instantly::mock::collections;

namespace {

/// An active one-step campaign with `leads` leads, every one of which
/// receives the mail and replies (rates 1/0), so the unibox holds 2 × leads emails.
std::string campaign_with_replies(MockFixture& mock, int leads) {
  Json schedule = Json::object(
      {{"schedules", Json::array({Json::object({{"name", "All week"},
                                                {"timing", Json::object({{"from", "08:00"}, {"to", "18:00"}})},
                                                {"days", Json::object({{"2", true}})},
                                                {"timezone", "Europe/Belgrade"}})})}});
  Json sequence = Json::object(
      {{"steps", Json::array({Json::object({{"type", "email"},
                                            {"delay", 1},
                                            {"variants", Json::array({Json::object(
                                                             {{"subject", "Quick question"}, {"body", "Hi {{firstName}}"}})})}})})}});
  auto created = mock.post("/api/v2/campaigns", Json::object({{"name", "Unibox"},
                                                              {"campaign_schedule", schedule},
                                                              {"email_list", Json::array({"me@acme.test"})},
                                                              {"sequences", Json::array({sequence})}}));
  REQUIRE(created.status == 200);
  std::string id = created.json.at("id").as_string();
  REQUIRE(mock.post_empty("/api/v2/campaigns/" + id + "/activate").status == 200);
  {
    auto lock = mock.state().lock();
    for (int i = 0; i < leads; ++i) {
      std::string lead_id = mock.state().new_id();
      mock.state().collection(collections::kLeads).put(
          lead_id, Json::object({{"id", lead_id},
                                 {"email", "person" + std::to_string(i) + "@client.test"},
                                 {"campaign", id},
                                 {"first_name", "Person" + std::to_string(i)},
                                 {"status", 1}}));
    }
  }
  Json rates = Json::object({{"opened", 0}, {"clicked", 0}, {"replied", 1}, {"bounced", 0},
                             {"unsubscribed", 0}, {"auto_reply", 0}});
  auto sent = mock.admin("POST", "/send", Json::object({{"campaign_id", id}, {"seed", 11}, {"rates", rates}}));
  REQUIRE(sent.status == 200);
  REQUIRE(sent.json.at("events").at("reply_received").as_int() == leads);
  return id;
}

std::int64_t unread(MockFixture& mock) {
  auto result = mock.get("/api/v2/emails/unread/count");
  REQUIRE(result.status == 200);
  return static_cast<std::int64_t>(result.json.at("count").as_double());
}

Json list_emails(MockFixture& mock, const std::string& query) {
  auto result = mock.get("/api/v2/emails" + query);
  REQUIRE(result.status == 200);
  return result.json.at("items");
}

}  // namespace

TEST_SUITE("mock emails") {
  TEST_CASE("a simulated reply lands unread in the unibox, in the campaign mail's thread") {
    MockFixture mock;
    std::string campaign = campaign_with_replies(mock, 3);
    CHECK(unread(mock) == 3);

    Json received = list_emails(mock, "?email_type=received&limit=100");
    REQUIRE(received.size() == 3);
    Json sent = list_emails(mock, "?email_type=sent&limit=100");
    REQUIRE(sent.size() == 3);
    for (const Json& reply : received.as_array()) {
      CHECK(reply.at("ue_type").as_int() == 2);
      CHECK(reply.at("is_unread").as_int() == 1);
      CHECK(reply.at("campaign_id").as_string() == campaign);
      CHECK(reply.at("eaccount").as_string() == "me@acme.test");
      CHECK(reply.at("subject").as_string() == "Re: Quick question");
      const std::string lead = reply.at("lead").as_string();
      CHECK(reply.at("from_address_email").as_string() == lead);
      // The campaign mail to the same lead shares the thread.
      Json thread = list_emails(mock, "?search=thread:" + reply.at("thread_id").as_string());
      REQUIRE(thread.size() == 2);
      std::set<std::int64_t> types;
      for (const Json& e : thread.as_array()) {
        types.insert(e.at("ue_type").as_int());
        CHECK(e.at("lead").as_string() == lead);
      }
      CHECK(types == std::set<std::int64_t>{1, 2});
    }
    for (const Json& mail : sent.as_array()) {
      CHECK(mail.at("ue_type").as_int() == 1);
      CHECK(mail.at("from_address_email").as_string() == "me@acme.test");
      CHECK(mail.at("body").at("text").as_string().starts_with("Hi Person"));
    }
  }

  TEST_CASE("marking a thread read clears its unread mails only") {
    MockFixture mock;
    campaign_with_replies(mock, 2);
    Json received = list_emails(mock, "?email_type=received");
    std::string thread = received.at(0).at("thread_id").as_string();

    auto marked = mock.post_empty("/api/v2/emails/threads/" + thread + "/mark-as-read");
    REQUIRE(marked.status == 200);
    CHECK(marked.json.at("success").as_bool());
    CHECK(unread(mock) == 1);
    Json in_thread = list_emails(mock, "?search=thread:" + thread);
    REQUIRE(in_thread.size() == 2);
    for (const Json& e : in_thread.as_array()) CHECK(e.at("is_unread").as_int() == 0);
    CHECK(list_emails(mock, "?is_unread=true").size() == 1);
    CHECK(mock.post_empty("/api/v2/emails/threads/no-such-thread/mark-as-read").status == 404);
  }

  TEST_CASE("replying answers in the same thread, to the lead") {
    MockFixture mock;
    campaign_with_replies(mock, 1);
    Json incoming = list_emails(mock, "?email_type=received").at(0);
    auto reply = mock.post("/api/v2/emails/reply",
                           Json::object({{"reply_to_uuid", incoming.at("id")},
                                         {"eaccount", "me@acme.test"},
                                         {"subject", "Re: Quick question"},
                                         {"body", Json::object({{"text", "Happy to talk.\nTuesday?"}})}}));
    REQUIRE(reply.status == 200);
    const Json& mail = reply.json;
    CHECK(mail.at("thread_id") == incoming.at("thread_id"));
    CHECK(mail.at("to_address_email_list").as_string() == "person0@client.test");
    CHECK(mail.at("from_address_email").as_string() == "me@acme.test");
    CHECK(mail.at("subject").as_string() == "Re: Quick question");
    CHECK(mail.at("body").at("text").as_string() == "Happy to talk.\nTuesday?");
    CHECK(mail.at("body").at("html").as_string() == "<div>Happy to talk.<br>Tuesday?</div>");
    CHECK(mail.at("ue_type").as_int() == 3);
    CHECK(mail.at("is_unread").as_int() == 0);
    CHECK(mail.at("lead").as_string() == "person0@client.test");

    CHECK(list_emails(mock, "?search=thread:" + incoming.at("thread_id").as_string()).size() == 3);
    CHECK(mock.get("/api/v2/emails/" + mail.at("id").as_string()).json == mail);
    CHECK(list_emails(mock, "?email_type=manual").size() == 1);

    auto missing = mock.post("/api/v2/emails/reply", Json::object({{"reply_to_uuid", "019a0000-0000-7000-8000-00000000dead"},
                                                                   {"eaccount", "me@acme.test"},
                                                                   {"subject", "x"},
                                                                   {"body", Json::object({{"text", "x"}})}}));
    CHECK(missing.status == 404);
  }

  TEST_CASE("get, patch and delete one email") {
    MockFixture mock;
    campaign_with_replies(mock, 1);
    Json incoming = list_emails(mock, "?email_type=received").at(0);
    const std::string path = "/api/v2/emails/" + incoming.at("id").as_string();

    CHECK(mock.get(path).json == incoming);
    auto patched = mock.patch(path, Json::object({{"is_unread", 0}}));
    REQUIRE(patched.status == 200);
    CHECK(patched.json.at("is_unread").as_int() == 0);
    CHECK(unread(mock) == 0);
    CHECK(mock.patch(path, Json::object({{"is_unread", 1}})).json.at("is_unread").as_int() == 1);
    CHECK(unread(mock) == 1);

    auto deleted = mock.del(path);
    REQUIRE(deleted.status == 200);
    CHECK(deleted.json.at("id") == incoming.at("id"));
    CHECK(mock.get(path).status == 404);
    CHECK(mock.del(path).status == 404);
    CHECK(mock.patch(path, Json::object({{"is_unread", 0}})).status == 404);
    CHECK(unread(mock) == 0);
  }

  TEST_CASE("listing pages newest first by default, oldest first with sort_order=asc") {
    MockFixture mock;
    campaign_with_replies(mock, 6);  // 12 emails

    std::vector<std::string> newest_first;
    std::vector<std::size_t> sizes;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
      auto result = mock.get("/api/v2/emails?limit=5" + (cursor.empty() ? "" : "&starting_after=" + cursor));
      REQUIRE(result.status == 200);
      sizes.push_back(result.json.at("items").size());
      for (const Json& e : result.json.at("items").as_array()) newest_first.push_back(e.at("id").as_string());
      const Json* next = result.json.find("next_starting_after");
      if (!next) break;
      cursor = next->as_string();
    }
    CHECK(sizes == std::vector<std::size_t>{5, 5, 2});
    REQUIRE(newest_first.size() == 12);
    CHECK(std::set<std::string>(newest_first.begin(), newest_first.end()).size() == 12);
    for (std::size_t i = 1; i < newest_first.size(); ++i) CHECK(newest_first[i - 1] > newest_first[i]);

    Json oldest = list_emails(mock, "?limit=100&sort_order=asc");
    REQUIRE(oldest.size() == 12);
    CHECK(oldest.at(0).at("id").as_string() == newest_first.back());
  }

  TEST_CASE("listing filters by campaign, lead and account") {
    MockFixture mock;
    std::string campaign = campaign_with_replies(mock, 2);
    CHECK(list_emails(mock, "?campaign_id=" + campaign + "&limit=100").size() == 4);
    CHECK(list_emails(mock, "?campaign_id=019a0000-0000-7000-8000-00000000dead").empty());
    Json of_lead = list_emails(mock, "?lead=person1%40client.test");
    CHECK(of_lead.size() == 2);
    for (const Json& e : of_lead.as_array()) CHECK(e.at("lead").as_string() == "person1@client.test");
    CHECK(list_emails(mock, "?eaccount=other%40acme.test,me%40acme.test&limit=100").size() == 4);
    CHECK(list_emails(mock, "?eaccount=other%40acme.test").empty());
    CHECK(list_emails(mock, "?search=person0%40client.test").size() == 2);
  }
}
