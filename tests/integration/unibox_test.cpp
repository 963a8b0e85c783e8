// Unibox against instantly-mock: paging over more than 100 replies under the
// 20/min GET /emails limit without a 429 escaping (server-side 429s waited
// out; the client's own limiter pacing on an injected clock), threads, unread
// count, mark read, replying in-thread, and classifying the simulated replies.
//
// One mock serves the suite (started on first use) with its rate limits on;
// each case starts from POST /__mock/reset and uses an API key of its own, so
// neither the mock's nor the client's rate-limit buckets carry over.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "instantly/workflows.hpp"
#include "instantly/workflows/reply_classifier.hpp"
#include "instantly/workflows/unibox.hpp"
#include "mock_server.hpp"
#include "support/fake_clock.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace instantly;
using namespace std::chrono_literals;
using workflows::EmailThread;
using workflows::Unibox;
using workflows::UniboxOptions;
using workflows::UniboxWait;

mock::MockServer& unibox_mock() {
  mock::MockOptions options;
  options.threads = 8;
  options.rate_limit = true;  // the point of half of these tests
  return testing::suite_mock<struct UniboxSuite>(options);
}

/// A client for `key`: fast retries for setup calls, and by default no
/// client-side limiting (each case says what it wants).
ClientOptions options_for(const std::string& key) {
  ClientOptions options{.api_key = key, .base_url = unibox_mock().url()};
  options.transport = testing::make_local_transport();
  options.rate_limit.enabled = false;
  options.retry.jitter = [] { return 0.0; };
  return options;
}

/// Admin calls (reset, stats, rate limits) on a key of their own.
Client admin() { return Client(options_for("unibox-suite-admin")); }

void reset_mock() { admin().request("POST", "/__mock/reset"); }

/// "A minute has passed" for the mock's rate limits: its windows start empty again.
void clear_mock_windows() {
  admin().request("POST", "/__mock/rate-limits", {.body = Json::object({{"enabled", true}})});
}

Json stats() { return admin().request("GET", "/__mock/stats"); }

std::int64_t stat(const Json& all, const char* group, const char* name) {
  const Json* n = all.at(group).find(name);
  return n ? n->as_int() : 0;
}

/// An active one-step campaign of `leads` leads, each of whom gets the mail and
/// replies (and, with `auto_replies`, also sends an out-of-office notice).
std::string campaign_with_replies(const Client& client, int leads, bool auto_replies = false) {
  Json schedule = Json::object(
      {{"schedules", Json::array({Json::object({{"name", "All week"},
                                                {"timing", Json::object({{"from", "08:00"}, {"to", "18:00"}})},
                                                {"days", Json::object({{"2", true}})},
                                                {"timezone", "Europe/Belgrade"}})})}});
  Json variant = Json::object({{"subject", "Quick question"}, {"body", "Hi {{firstName}}"}});
  Json step = Json::object({{"type", "email"}, {"delay", 1}, {"variants", Json::array({variant})}});
  Json sequence = Json::object({{"steps", Json::array({step})}});
  const Json created = client.request(
      "POST", "/api/v2/campaigns",
      {.body = Json::object({{"name", "Unibox"},
                             {"campaign_schedule", schedule},
                             {"email_list", Json::array({"me@acme.test"})},
                             {"sequences", Json::array({sequence})}})});
  const std::string id = created.at("id").as_string();
  Json batch = Json::array();
  for (int i = 0; i < leads; ++i) {
    batch.push_back(Json::object({{"email", "person" + std::to_string(i) + "@client.test"},
                                  {"first_name", "Person" + std::to_string(i)}}));
  }
  client.request("POST", "/api/v2/leads/add", {.body = Json::object({{"campaign_id", id}, {"leads", batch}})});
  client.request("POST", "/api/v2/campaigns/" + id + "/activate");
  Json rates = Json::object({{"opened", 0}, {"clicked", 0}, {"replied", 1}, {"bounced", 0},
                             {"unsubscribed", 0}, {"auto_reply", auto_replies ? 1 : 0}});
  const Json sent = client.request("POST", "/__mock/send",
                                   {.body = Json::object({{"campaign_id", id}, {"seed", 5}, {"rates", rates}})});
  REQUIRE(sent.at("events").at("reply_received").as_int() == leads);
  return id;
}

/// Spends what is left of `key`'s GET /emails budget on the mock, as another
/// process sharing the workspace would.
void spend_emails_budget(const std::string& key) {
  ClientOptions options = options_for(key);
  options.retry.max_retries = 0;
  Client other(options);
  for (int i = 0; i < 25; ++i) {
    try {
      other.request("GET", "/api/v2/emails", {.query = {{"limit", "1"}}});
    } catch (const RateLimitError&) {
      return;
    }
  }
  FAIL("the mock never answered 429: is its GET /emails limit on?");
}

/// Records the listing's waits and lets the mock's minute pass instead of waiting it.
struct MinutePassingSleep {
  std::shared_ptr<std::vector<std::chrono::milliseconds>> waits =
      std::make_shared<std::vector<std::chrono::milliseconds>>();
  void operator()(std::chrono::milliseconds delay, const std::stop_token&) const {
    waits->push_back(delay);
    clear_mock_windows();
  }
};

/// A fake clock whose sleeps also let the mock's minute pass: the client's own
/// limiter waits on it, so the server's windows move in step with the client's.
class MinutePassingClock final : public Clock {
 public:
  time_point now() override { return fake_.now(); }
  void sleep_until(time_point deadline) override {
    fake_.sleep_until(deadline);
    clear_mock_windows();
  }
  std::chrono::system_clock::time_point wall_now() override { return fake_.wall_now(); }
  std::vector<time_point> sleeps() const { return fake_.sleeps(); }

 private:
  testing::FakeClock fake_;
};

}  // namespace

TEST_SUITE("integration unibox") {
  TEST_CASE("150 replies page through although another process spent the GET /emails budget") {
    const std::string key = "unibox-key-spent-budget";
    reset_mock();
    Client setup(options_for(key));
    const std::string campaign = campaign_with_replies(setup, 150);

    // The client's own GET /emails bucket is off so that the server's 429 is what happens, and
    // so are its retries: every 429 reaches the listing, whose waits the test lets pass at once.
    ClientOptions reading = options_for(key);
    reading.rate_limit.enabled = true;
    reading.rate_limit.endpoint_limits = false;
    reading.retry.max_retries = 0;
    MinutePassingSleep sleep;
    std::vector<UniboxWait> waits;
    UniboxOptions options;
    options.sleep = sleep;
    options.on_wait = [&waits](const UniboxWait& w) { waits.push_back(w); };
    Unibox unibox(Client(reading), options);

    spend_emails_budget(key);
    admin().request("POST", "/__mock/stats/reset");

    std::set<std::string> ids;
    int seen = 0;
    for (const Email& email : unibox.emails({.campaign_id = campaign})) {
      CHECK(email.ue_type == EmailUeType::Received);
      ids.insert(email.id);
      // Between the first and second page, the other process spends the budget again.
      if (++seen == 100) spend_emails_budget(key);
    }
    CHECK(seen == 150);
    CHECK(ids.size() == 150);
    REQUIRE(waits.size() >= 2);
    for (const UniboxWait& w : waits) {
      CHECK(w.status == 429);
      CHECK(w.from_retry_after);  // the mock says how long the window stays full
      CHECK(w.delay >= 1s);
      CHECK(w.delay <= 60s);
    }
    CHECK(sleep.waits->size() == waits.size());  // every wait went through the injected sleep
    const Json served = stats();
    CHECK(stat(served, "statuses", "429") >= 2);
  }

  TEST_CASE("the client's own limiter paces the listing: more than 20 calls, no 429, no real minute") {
    const std::string key = "unibox-key-client-bucket";
    reset_mock();
    Client setup(options_for(key));
    const std::string campaign = campaign_with_replies(setup, 150);
    admin().request("POST", "/__mock/stats/reset");

    auto clock = std::make_shared<MinutePassingClock>();
    ClientOptions reading = options_for(key);
    reading.rate_limit.enabled = true;  // GET /api/v2/emails: 20 per minute
    reading.clock = clock;
    int unibox_waits = 0;
    UniboxOptions options;
    options.page_size = 5;  // 30 pages: more than one minute's budget
    options.on_wait = [&unibox_waits](const UniboxWait&) { ++unibox_waits; };
    Unibox unibox(Client(reading), options);

    const auto start = clock->now();
    std::set<std::string> ids;
    for (const Email& email : unibox.emails({.campaign_id = campaign})) ids.insert(email.id);
    CHECK(ids.size() == 150);

    const Json served = stats();
    CHECK(stat(served, "operations", "listEmail") >= 30);
    CHECK(stat(served, "statuses", "429") == 0);
    CHECK(unibox_waits == 0);  // the client waited before sending; the server never refused
    const auto sleeps = clock->sleeps();
    REQUIRE_FALSE(sleeps.empty());
    // The 21st call waited for the first one's minute to pass.
    CHECK(sleeps.front() >= start + 1min);
  }

  TEST_CASE("threads: one per lead, newest first, with the campaign mail and the reply, unread count and mark read") {
    const std::string key = "unibox-key-threads";
    reset_mock();
    Client client(options_for(key));
    const std::string campaign = campaign_with_replies(client, 3);
    Unibox unibox(client);

    CHECK(unibox.unread_count() == 3);
    std::vector<EmailThread> threads = unibox.threads({.email_type = std::nullopt, .campaign_id = campaign});
    REQUIRE(threads.size() == 3);
    std::set<std::string> leads;
    for (const EmailThread& thread : threads) {
      CHECK(thread.has_api_id);
      REQUIRE(thread.messages.size() == 2);  // the campaign mail and the lead's reply
      CHECK(thread.last_message().ue_type == EmailUeType::Received);
      CHECK(thread.last_received() == &thread.last_message());
      CHECK(thread.messages[1].ue_type == EmailUeType::SentFromCampaign);
      CHECK(thread.unread);
      CHECK(thread.unread_count == 1);
      CHECK(thread.campaign_id == campaign);
      CHECK(thread.subject == "Re: Quick question");
      leads.insert(thread.lead);
    }
    CHECK(leads == std::set<std::string>{"person0@client.test", "person1@client.test", "person2@client.test"});
    for (std::size_t i = 1; i < threads.size(); ++i) {
      CHECK(threads[i - 1].last_message().timestamp_email >= threads[i].last_message().timestamp_email);
    }

    CHECK(unibox.mark_read(threads[0]) == 1);
    CHECK(unibox.unread_count() == 2);
    const std::vector<EmailThread> unread = unibox.threads({.campaign_id = campaign, .is_unread = true});
    REQUIRE(unread.size() == 2);
    for (const EmailThread& thread : unread) CHECK(thread.id != threads[0].id);
    CHECK(unibox.mark_thread_read(threads[1].id));
    CHECK(unibox.unread_count() == 1);
    CHECK_THROWS_AS(unibox.mark_thread_read("019a0000-0000-7000-8000-00000000dead"), NotFoundError);
  }

  TEST_CASE("a reply goes out in the lead's thread, from the account that received the mail") {
    const std::string key = "unibox-key-reply";
    reset_mock();
    Client client(options_for(key));
    const std::string campaign = campaign_with_replies(client, 2);
    Unibox unibox(client);
    const std::vector<EmailThread> threads = unibox.threads({.email_type = std::nullopt, .campaign_id = campaign});
    REQUIRE(threads.size() == 2);
    const EmailThread& thread = threads[1];
    const Email& answered = *thread.last_received();

    const Email sent = unibox.reply(thread, {.text = "Happy to talk.\nDoes Tuesday work?"});
    CHECK(sent.thread_id == thread.id);
    CHECK(sent.eaccount == "me@acme.test");
    CHECK(sent.from_address_email == "me@acme.test");
    CHECK(sent.to_address_email_list == thread.lead);
    CHECK(sent.subject == "Re: Quick question");  // already a reply: no "Re: Re:"
    CHECK(sent.body.text == "Happy to talk.\nDoes Tuesday work?");
    CHECK(sent.ue_type == EmailUeType::Sent);

    // The thread now holds the reply as its newest message; the other thread is untouched.
    const std::vector<EmailThread> again = unibox.threads({.email_type = std::nullopt, .search = "thread:" + thread.id});
    REQUIRE(again.size() == 1);
    REQUIRE(again[0].messages.size() == 3);
    CHECK(again[0].last_message().id == sent.id);
    CHECK(again[0].last_received()->id == answered.id);
    const std::vector<EmailThread> other =
        unibox.threads({.email_type = std::nullopt, .search = "thread:" + threads[0].id});
    REQUIRE(other.size() == 1);
    CHECK(other[0].messages.size() == 2);

    // Sent and received listings tell them apart.
    std::size_t manual = 0;
    for (const Email& e : unibox.emails({.email_type = EmailListParamsEmailType::Manual})) {
      CHECK(e.id == sent.id);
      ++manual;
    }
    CHECK(manual == 1);

    const Email html = unibox.reply(answered, {.html = "<p>See you then</p>", .subject = "Tuesday"});
    CHECK(html.subject == "Tuesday");
    CHECK(html.thread_id == thread.id);
  }

  TEST_CASE("the simulated replies classify as a person would read them") {
    const std::string key = "unibox-key-classify";
    reset_mock();
    Client client(options_for(key));
    const std::string campaign = campaign_with_replies(client, 12, /*auto_replies=*/true);
    Unibox unibox(client);
    std::vector<Email> received;
    for (const Email& e : unibox.emails({.campaign_id = campaign})) received.push_back(e);
    REQUIRE(received.size() == 24);

    const workflows::KeywordReplyClassifier classifier;
    std::set<workflows::ReplyLabel> labels;
    for (const workflows::ClassifiedEmail& c : workflows::classify_all(received, classifier)) {
      const std::string text = c.email.body.text.value_or("");
      workflows::ReplyLabel expected = workflows::ReplyLabel::Interested;
      if (c.email.is_auto_reply == 1.0) {
        expected = workflows::ReplyLabel::OutOfOffice;
      } else if (text.find("not the right time") != std::string::npos) {
        expected = workflows::ReplyLabel::NotInterested;
      }
      CHECK_MESSAGE(c.classification.label == expected, text);
      labels.insert(c.classification.label);
    }
    CHECK(labels.contains(workflows::ReplyLabel::OutOfOffice));
    CHECK(labels.contains(workflows::ReplyLabel::Interested));
  }
}

#endif  // INSTANTLY_HAVE_MOCK
