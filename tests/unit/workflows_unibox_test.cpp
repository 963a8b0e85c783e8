// Unibox without a server: the listing's waits on 429 (Retry-After, backoff,
// never giving up), other failures under the client's retry budget,
// cancellation, the filter's query, thread grouping and reply parameters.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/workflows.hpp"
#include "instantly/workflows/unibox.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"
#include "workflows/unibox_listing.hpp"

using namespace instantly;
using namespace std::chrono_literals;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using workflows::EmailThread;
using workflows::Unibox;
using workflows::UniboxOptions;
using workflows::UniboxWait;

namespace {

Client client_over(std::shared_ptr<Transport> transport, std::shared_ptr<Clock> clock = nullptr,
                   int max_retries = 2) {
  ClientOptions options{.api_key = "unit-unibox-key", .base_url = "http://127.0.0.1:9"};
  options.transport = std::move(transport);
  options.clock = clock ? std::move(clock) : std::make_shared<FakeClock>();
  options.rate_limit.enabled = false;
  options.retry.max_retries = max_retries;
  options.retry.jitter = [] { return 0.0; };
  return Client(options);
}

HttpResponse rate_limited(std::string retry_after = "") {
  HttpHeaders headers;
  if (!retry_after.empty()) headers.set("Retry-After", retry_after);
  return json_response(429, R"({"statusCode":429,"error":"Too Many Requests","message":"slow down"})", headers);
}

HttpResponse page_of(const std::vector<std::string>& ids, bool more) {
  std::string items;
  for (const std::string& id : ids) {
    if (!items.empty()) items += ",";
    items += R"({"id":")" + id + R"(","subject":"Re: Hi","eaccount":"me@acme.test","ue_type":2})";
  }
  std::string body = R"({"items":[)" + items + "]";
  if (more && !ids.empty()) body += R"(,"next_starting_after":")" + ids.back() + "\"";
  return json_response(200, body + "}");
}

std::vector<std::string> ids_of(const Paginator<Email>& emails) {
  std::vector<std::string> ids;
  for (const Email& e : emails) ids.push_back(e.id);
  return ids;
}

/// Records each wait instead of waiting.
struct RecordingSleep {
  std::shared_ptr<std::vector<std::chrono::milliseconds>> waits = std::make_shared<std::vector<std::chrono::milliseconds>>();
  void operator()(std::chrono::milliseconds delay, const std::stop_token&) const { waits->push_back(delay); }
};

Email email_with(std::string id, std::string thread, std::string when, int ue_type, bool unread = false) {
  Email e;
  e.id = std::move(id);
  e.thread_id = std::move(thread);
  e.timestamp_email = when;
  e.timestamp_created = std::move(when);
  e.subject = "Re: Quick question";
  e.eaccount = "me@acme.test";
  e.lead = "ann@client.test";
  e.ue_type = static_cast<EmailUeType>(ue_type);
  e.is_unread = unread ? 1.0 : 0.0;
  return e;
}

}  // namespace

TEST_SUITE("workflows unibox") {
  TEST_CASE("a 429 the client gave up on is waited out, Retry-After first, however often it comes") {
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        rate_limited("7"), rate_limited("7"), rate_limited("7"), rate_limited("7"), page_of({"e3", "e2"}, true),
        rate_limited("2"), page_of({"e1"}, false)});
    RecordingSleep sleep;
    std::vector<UniboxWait> seen;
    UniboxOptions options;
    options.sleep = sleep;
    options.on_wait = [&seen](const UniboxWait& w) { seen.push_back(w); };
    // No retries in the client: every 429 reaches the listing.
    Unibox unibox(client_over(transport, nullptr, /*max_retries=*/0), options);

    CHECK(ids_of(unibox.emails()) == std::vector<std::string>{"e3", "e2", "e1"});
    CHECK(*sleep.waits == std::vector<std::chrono::milliseconds>{7s, 7s, 7s, 7s, 2s});
    REQUIRE(seen.size() == 5);
    CHECK(seen[0].status == 429);
    CHECK(seen[0].from_retry_after);
    CHECK(seen[3].attempt == 4);
    CHECK(seen[4].attempt == 1);  // counted per page
    CHECK(transport->request_count() == 7);
  }

  TEST_CASE("the client's own retries come first: the listing waits only once they are spent") {
    auto clock = std::make_shared<FakeClock>();
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        rate_limited("7"), rate_limited("7"), rate_limited("7"), rate_limited("7"), page_of({"e1"}, false)});
    RecordingSleep sleep;
    Unibox unibox(client_over(transport, clock, /*max_retries=*/2), {.sleep = sleep});
    const auto start = clock->now();
    CHECK(ids_of(unibox.emails()) == std::vector<std::string>{"e1"});
    // Attempts 1-3 in the client (two waits on its clock), then the listing's wait, then
    // the client again: a 429 (a wait on its clock) and the page.
    CHECK(*sleep.waits == std::vector<std::chrono::milliseconds>{7s});
    CHECK(clock->sleeps() == std::vector<Clock::time_point>{start + 7s, start + 14s, start + 21s});
    CHECK(transport->request_count() == 5);
  }

  TEST_CASE("a 429 without Retry-After backs off, doubling up to max_rate_limit_wait, a long Retry-After is cut") {
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        rate_limited(), rate_limited(), rate_limited(), rate_limited(), rate_limited("3600"), page_of({"e1"}, false)});
    RecordingSleep sleep;
    UniboxOptions options;
    options.sleep = sleep;
    options.rate_limit_backoff = 5s;
    options.max_rate_limit_wait = 15s;
    Unibox unibox(client_over(transport, nullptr, /*max_retries=*/0), options);
    CHECK(ids_of(unibox.emails()) == std::vector<std::string>{"e1"});
    CHECK(*sleep.waits == std::vector<std::chrono::milliseconds>{5s, 10s, 15s, 15s, 15s});
  }

  TEST_CASE("other transient failures get the client's retry budget, on its clock, then are thrown, a 404 at once") {
    auto clock = std::make_shared<FakeClock>();
    RecordingSleep sleep;
    SUBCASE("503 three times with max_retries 2") {
      auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
          json_response(503, R"({"message":"busy"})")});
      Unibox unibox(client_over(transport, clock), {.sleep = sleep});
      CHECK_THROWS_AS(ids_of(unibox.emails()), InternalServerError);
      CHECK(transport->request_count() == 3);
      CHECK(clock->sleeps().size() == 2);
    }
    SUBCASE("a dropped connection, then success") {
      auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
          testing::ConnectionFailure{}, page_of({"e1"}, false)});
      Unibox unibox(client_over(transport, clock), {.sleep = sleep});
      CHECK(ids_of(unibox.emails()) == std::vector<std::string>{"e1"});
      CHECK(clock->sleeps().size() == 1);
    }
    SUBCASE("404") {
      auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
          json_response(404, R"({"message":"no"})")});
      Unibox unibox(client_over(transport, clock), {.sleep = sleep});
      CHECK_THROWS_AS(ids_of(unibox.emails()), NotFoundError);
      CHECK(transport->request_count() == 1);
      CHECK(clock->sleeps().empty());
    }
    CHECK(sleep.waits->empty());  // none of these is the listing's to wait out
  }

  TEST_CASE("without an injected sleep the listing waits on the client's clock") {
    auto clock = std::make_shared<FakeClock>();
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        rate_limited("42"), page_of({"e1"}, false)});
    Unibox unibox(client_over(transport, clock));
    const auto start = clock->now();
    CHECK(ids_of(unibox.emails()) == std::vector<std::string>{"e1"});
    CHECK(clock->sleeps() == std::vector<Clock::time_point>{start + 42s});
  }

  TEST_CASE("a stop request ends a wait and the listing: no further call") {
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        page_of({"e2"}, true), rate_limited("30"), page_of({"e1"}, false)});
    std::stop_source stop;
    UniboxOptions options;
    options.stop = stop.get_token();
    options.sleep = [&stop](std::chrono::milliseconds, const std::stop_token& token) {
      stop.request_stop();  // as if Ctrl-C came during the wait
      CHECK(token.stop_requested());
    };
    Unibox unibox(client_over(transport, nullptr, /*max_retries=*/0), options);
    CHECK(ids_of(unibox.emails()) == std::vector<std::string>{"e2"});
    CHECK(transport->request_count() == 2);

    // Once stopped, a new listing sends nothing.
    CHECK(ids_of(unibox.emails()).empty());
    CHECK(transport->request_count() == 2);
  }

  TEST_CASE("a wait on the real clock returns when stop is requested, not after the delay") {
    std::stop_source stop;
    std::atomic<bool> returned{false};
    std::jthread waiter([&] {
      CHECK_FALSE(instantly::system_clock()->wait_until(instantly::system_clock()->now() + std::chrono::minutes(10), stop.get_token()));
      returned = true;
    });
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
    waiter.join();  // would block for ten minutes if the wait ignored the stop request
    CHECK(returned);
  }

  TEST_CASE("the filter becomes the listing's query: limit 100, received by default") {
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{page_of({}, false)});
    Unibox unibox(client_over(transport));
    (void)ids_of(unibox.emails({.campaign_id = "c1", .is_unread = true, .i_status = 1}));
    const auto requests = transport->requests();
    REQUIRE(requests.size() == 1);
    const std::string& url = requests[0].url;
    CHECK(url.find("/api/v2/emails?") != std::string::npos);
    CHECK(url.find("limit=100") != std::string::npos);
    CHECK(url.find("email_type=received") != std::string::npos);
    CHECK(url.find("campaign_id=c1") != std::string::npos);
    CHECK(url.find("is_unread=true") != std::string::npos);
    CHECK(url.find("i_status=1") != std::string::npos);

    auto all = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{page_of({}, false)});
    Unibox every(client_over(all), {.page_size = 25});
    (void)ids_of(every.emails({.email_type = std::nullopt, .starting_after = "e9"}));
    const std::string second = all->requests().at(0).url;  // requests() returns a copy
    CHECK(second.find("email_type") == std::string::npos);
    CHECK(second.find("limit=25") != std::string::npos);
    CHECK(second.find("starting_after=e9") != std::string::npos);
  }

  TEST_CASE("bad options are refused up front") {
    auto transport = std::make_shared<FakeTransport>();
    CHECK_THROWS_AS(Unibox(client_over(transport), {.page_size = 0}), ValidationError);
    CHECK_THROWS_AS(Unibox(client_over(transport), {.page_size = 101}), ValidationError);
    CHECK_THROWS_AS(Unibox(client_over(transport), {.rate_limit_backoff = 0ms}), ValidationError);
  }

  TEST_CASE("threads: by thread_id, newest first, with unread counts and the message to answer") {
    std::vector<Email> emails{
        email_with("a1", "t-a", "2025-03-01T10:00:00.000Z", 1),
        email_with("b1", "t-b", "2025-03-02T09:00:00.000Z", 1),
        email_with("a2", "t-a", "2025-03-03T08:00:00.000Z", 2, true),
        email_with("a3", "t-a", "2025-03-03T09:00:00.000Z", 3),
        email_with("b2", "t-b", "2025-03-02T12:00:00.000Z", 2, true),
        email_with("b3", "t-b", "2025-03-02T13:00:00.000Z", 2, true),
    };
    emails[1].campaign_id = "camp-b";
    const std::vector<EmailThread> threads = workflows::group_into_threads(emails);
    REQUIRE(threads.size() == 2);
    CHECK(threads[0].id == "t-a");  // its last message (a3) is the newest of all
    CHECK(threads[0].has_api_id);
    CHECK(threads[0].last_message().id == "a3");
    REQUIRE(threads[0].last_received() != nullptr);
    CHECK(threads[0].last_received()->id == "a2");
    CHECK(threads[0].unread_count == 1);
    CHECK(threads[0].unread);
    CHECK(threads[0].lead == "ann@client.test");
    CHECK_FALSE(threads[0].campaign_id.has_value());
    std::vector<std::string> order;
    for (const Email& m : threads[1].messages) order.push_back(m.id);
    CHECK(order == std::vector<std::string>{"b3", "b2", "b1"});
    CHECK(threads[1].unread_count == 2);
    CHECK(threads[1].campaign_id == "camp-b");
  }

  TEST_CASE("threads without thread_id fall back to normalised subject plus lead") {
    auto bare = [](std::string id, std::string subject, std::string from, std::string when) {
      Email e;
      e.id = std::move(id);
      e.subject = std::move(subject);
      e.from_address_email = std::move(from);
      e.timestamp_email = std::move(when);
      e.ue_type = EmailUeType::Received;
      return e;
    };
    const std::vector<EmailThread> threads = workflows::group_into_threads({
        bare("x1", "Quick question", "Ann@Client.test", "2025-03-01T10:00:00Z"),
        bare("x2", "RE: Fwd:  quick   QUESTION", "ann@client.test", "2025-03-02T10:00:00Z"),
        bare("x3", "Re: Quick question", "bob@client.test", "2025-03-03T10:00:00Z"),
    });
    REQUIRE(threads.size() == 2);
    CHECK(threads[0].id == "subject:quick question|lead:bob@client.test");
    CHECK_FALSE(threads[0].has_api_id);
    CHECK(threads[1].id == "subject:quick question|lead:ann@client.test");
    CHECK(threads[1].messages.size() == 2);
    CHECK(threads[1].last_message().id == "x2");
    CHECK(threads[1].lead == "ann@client.test");

    CHECK(workflows::normalise_subject("  Re: re:FW: Hello\tthere ") == "hello there");
    CHECK(workflows::reply_subject("Quick question") == "Re: Quick question");
    CHECK(workflows::reply_subject("RE: Quick question") == "RE: Quick question");
  }

  TEST_CASE("reply: reply_to_uuid, the receiving account and 'Re:' by default, a body is required") {
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        json_response(200, R"({"id":"sent-1","subject":"Re: Quick question","eaccount":"me@acme.test"})")});
    Unibox unibox(client_over(transport));
    Email original = email_with("a2", "t-a", "2025-03-03T08:00:00.000Z", 2);
    original.subject = "Quick question";

    const Email sent = unibox.reply(original, {.text = "Tuesday?"});
    CHECK(sent.id == "sent-1");
    const HttpRequest request = transport->requests().at(0);
    CHECK(request.method == "POST");
    CHECK(request.url.ends_with("/api/v2/emails/reply"));
    const Json body = Json::parse(*request.body);
    CHECK(body.at("reply_to_uuid").as_string() == "a2");
    CHECK(body.at("eaccount").as_string() == "me@acme.test");
    CHECK(body.at("subject").as_string() == "Re: Quick question");
    CHECK(body.at("body").at("text").as_string() == "Tuesday?");
    CHECK_FALSE(body.at("body").contains("html"));

    CHECK_THROWS_AS(unibox.reply(original, {}), ValidationError);
    CHECK_THROWS_AS(unibox.reply(original, {.text = "  "}), ValidationError);
    Email no_account = original;
    no_account.eaccount.clear();
    CHECK_THROWS_AS(unibox.reply(no_account, {.text = "hi"}), ValidationError);
    CHECK_THROWS_AS(unibox.reply(EmailThread{}, {.text = "hi"}), ValidationError);
    CHECK(transport->request_count() == 1);  // none of the refused replies was sent
  }
}
