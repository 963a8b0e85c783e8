// webhooks::watch_subscriptions and the idempotent webhooks::subscribe against
// instantly-mock, with real receivers: a receiver that answers 500 until the
// mock disables its subscription, the watch that resumes it and reports the
// gap, a URL that refuses connections reported as failing, and subscribing
// twice.
//
// Deliveries are awaited with POST /__mock/webhooks/flush (it returns once no
// attempt or retry is pending), never with sleeps.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/webhooks/watch.hpp"
#include "mock_server.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace instantly;
namespace wh = instantly::webhooks;

/// A webhook endpoint: records every POST (its secret header and body) and answers `status`
/// (set it at any time to take the receiver down or bring it back).
class WatchReceiver {
 public:
  struct Delivery {
    std::string secret;  ///< its X-Webhook-Secret header
    std::string body;
  };

  WatchReceiver()
      : server_([this](httplib::Server& s) {
          s.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
            res.status = status.load();
            std::lock_guard lock(mutex_);
            received_.push_back({req.get_header_value("X-Webhook-Secret"), req.body});
          });
        }) {}

  std::string url() const { return server_.url() + "/hook"; }
  std::vector<Delivery> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  std::atomic<int> status{200};

 private:
  std::mutex mutex_;
  std::vector<Delivery> received_;
  testing::LocalServer server_;  // last: stopped (its handlers ended) before the rest goes
};

/// A client for the mock of suite `Suite`, reset, with retries 20 ms apart (4 attempts, then
/// the subscription is disabled) unless `retry_delays_ms` says otherwise.
template <class Suite>
Client watch_suite_client(Json retry_delays_ms = Json::array({20, 20, 20})) {
  mock::MockOptions options;
  options.rate_limit = false;
  auto& server = testing::suite_mock<Suite>(options);
  ClientOptions client_options{.api_key = "watch-suite-key", .base_url = server.url()};
  client_options.rate_limit.enabled = false;
  client_options.retry.max_retries = 0;
  client_options.transport = testing::make_local_transport();
  Client client(client_options);
  client.request("POST", "/__mock/reset");
  client.request("POST", "/__mock/webhooks/retry-delays",
                 {.body = Json::object({{"delays_ms", std::move(retry_delays_ms)}})});
  return client;
}

Client watch_client() { return watch_suite_client<struct WatchSuite>(); }

void emit_event(const Client& client, const std::string& lead = "lead@example.com") {
  client.request("POST", "/__mock/webhooks/emit",
                 {.body = Json::object({{"timestamp", "2026-11-27T10:00:00.000Z"},
                                        {"event_type", "email_opened"},
                                        {"workspace", "019a0000-0000-7000-8000-000000000001"},
                                        {"campaign_id", "c0ffee00-0000-7000-8000-000000000001"},
                                        {"lead_email", lead}})});
}

/// The delivery log's times have millisecond resolution: attempts on either side of this are
/// ordered by their times.
void next_millisecond() { std::this_thread::sleep_for(std::chrono::milliseconds(2)); }

/// Waits until every delivery and retry has been made.
void flush_deliveries(const Client& client) {
  const Json answer = client.request("POST", "/__mock/webhooks/flush", {.body = Json::object({{"timeout_ms", 5000}})});
  REQUIRE(answer.at("idle").as_bool());
}

/// The timestamps of the log's attempts with this outcome, oldest first.
std::vector<std::string> attempt_times(const Client& client, bool success) {
  std::vector<std::string> times;
  WebhookEventListParams params;
  params.success = success;
  for (const WebhookEvent& event : client.webhook_events().list(params)) times.push_back(event.timestamp_created);
  std::sort(times.begin(), times.end());
  return times;
}

/// A subscription to `receiver` that delivered once, then was disabled by 4 failed attempts.
/// With `earlier_outage`, before that: disabled once already (4 failed attempts), resumed by
/// hand, so failures precede the successful delivery.
wh::Subscription disabled_subscription(const Client& client, WatchReceiver& receiver, bool earlier_outage = false) {
  wh::Subscription sub = wh::subscribe(client, {.target_url = receiver.url()});
  if (earlier_outage) {
    receiver.status = 500;
    emit_event(client, "earlier@example.com");
    flush_deliveries(client);
    REQUIRE(wh::is_disabled(client.webhooks().get(sub.webhook.id)));
    client.webhooks().resume(sub.webhook.id);
    next_millisecond();
  }
  receiver.status = 200;
  const std::size_t before = receiver.received().size();
  emit_event(client, "before@example.com");
  flush_deliveries(client);
  REQUIRE(receiver.received().size() == before + 1);
  next_millisecond();
  receiver.status = 500;
  emit_event(client, "lost@example.com");
  flush_deliveries(client);
  REQUIRE(wh::is_disabled(client.webhooks().get(sub.webhook.id)));
  return sub;
}

}  // namespace

TEST_SUITE("webhooks: watch_subscriptions against instantly-mock") {
  TEST_CASE("a subscription disabled by a failing receiver is resumed, its gap covering the failed deliveries") {
    WatchReceiver receiver;
    const Client client = watch_client();
    const wh::Subscription sub = disabled_subscription(client, receiver, /*earlier_outage=*/true);
    const std::vector<std::string> failed = attempt_times(client, false);
    const std::vector<std::string> succeeded = attempt_times(client, true);
    REQUIRE(failed.size() == 8);  // the earlier outage, then the one that disabled it now
    REQUIRE(succeeded.size() == 1);
    // The first failed attempt after the delivery that succeeded: where the gap begins.
    const std::string first_lost = failed[4];
    REQUIRE(failed[3] < succeeded.front());
    REQUIRE(succeeded.front() < first_lost);

    const wh::WatchReport report = wh::watch_subscriptions(client, {.target_url = receiver.url()});
    REQUIRE(report.watched.size() == 1);
    CHECK(report.errors.empty());
    CHECK(report.failing.empty());
    REQUIRE(report.gaps.size() == 1);
    const wh::SubscriptionGap& gap = report.gaps.front();
    CHECK(gap.webhook_id == sub.webhook.id);
    CHECK(gap.target_url == receiver.url());
    CHECK(gap.event_type == "all_events");
    CHECK_FALSE(gap.campaign.has_value());
    CHECK(gap.resumed);
    // The same format on both sides: text order is time order. The earlier outage, before the
    // successful delivery, is not part of this streak.
    CHECK(succeeded.front() < gap.from);
    CHECK(gap.from <= first_lost);
    CHECK(first_lost <= gap.to);

    // Active again, and the next event reaches the receiver.
    CHECK_FALSE(wh::is_disabled(client.webhooks().get(sub.webhook.id)));
    receiver.status = 200;
    const std::size_t before = receiver.received().size();
    emit_event(client, "after@example.com");
    flush_deliveries(client);
    const std::vector<WatchReceiver::Delivery> received = receiver.received();
    REQUIRE(received.size() == before + 1);
    CHECK(received.back().body.find("after@example.com") != std::string::npos);
    CHECK(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", received.back().secret}}));

    // Healthy again: nothing to report the next time.
    const wh::WatchReport again = wh::watch_subscriptions(client, {.target_url = receiver.url()});
    CHECK(again.gaps.empty());
    CHECK(again.failing.empty());
    CHECK(again.errors.empty());
  }

  TEST_CASE("resume_disabled false reports the gap and leaves the subscription disabled") {
    WatchReceiver receiver;
    const Client client = watch_client();
    const wh::Subscription sub = disabled_subscription(client, receiver);
    const std::vector<std::string> failed = attempt_times(client, false);
    REQUIRE_FALSE(failed.empty());

    const wh::WatchReport report = wh::watch_subscriptions(client, {.resume_disabled = false});
    REQUIRE(report.gaps.size() == 1);
    CHECK_FALSE(report.gaps.front().resumed);
    CHECK(report.gaps.front().from <= failed.front());
    CHECK(failed.back() <= report.gaps.front().to);
    CHECK(wh::is_disabled(client.webhooks().get(sub.webhook.id)));
  }

  TEST_CASE("a resume the API refuses is collected and the other subscription is still resumed") {
    WatchReceiver first;
    WatchReceiver second;
    const Client client = watch_client();
    const wh::Subscription refused = disabled_subscription(client, first);
    const wh::Subscription fine = disabled_subscription(client, second);
    client.request("POST", "/__mock/responses",
                   {.body = Json::object({{"status", 404},
                                          {"path", "/api/v2/webhooks/" + refused.webhook.id + "/resume"}})});

    const wh::WatchReport report = wh::watch_subscriptions(client);
    CHECK(report.watched.size() == 2);
    REQUIRE(report.gaps.size() == 2);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors.front().webhook_id == refused.webhook.id);
    for (const wh::SubscriptionGap& gap : report.gaps) CHECK(gap.resumed == (gap.webhook_id == fine.webhook.id));
    CHECK(wh::is_disabled(client.webhooks().get(refused.webhook.id)));
    CHECK_FALSE(wh::is_disabled(client.webhooks().get(fine.webhook.id)));
  }

  TEST_CASE("an enabled subscription whose URL refuses connections is reported as failing") {
    // Retries a minute apart: after the first attempt the subscription is still enabled. A mock
    // of its own, since that pending retry would keep the suite's dispatcher from going idle.
    const Client client = watch_suite_client<struct WatchFailingSuite>(Json::array({60000}));
    const std::string url = "http://127.0.0.1:" + std::to_string(testing::unused_local_port()) + "/hook";
    const wh::Subscription sub = wh::subscribe(client, {.target_url = url});
    emit_event(client);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (attempt_times(client, false).empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(attempt_times(client, false).size() == 1);

    const wh::WatchReport report = wh::watch_subscriptions(client, {.target_url = url});
    CHECK(report.gaps.empty());
    CHECK(report.errors.empty());
    REQUIRE(report.failing.size() == 1);
    const wh::FailingSubscription& failing = report.failing.front();
    CHECK(failing.webhook.id == sub.webhook.id);
    CHECK_FALSE(failing.last_status_code.has_value());  // no answer at all
    CHECK_FALSE(failing.last_error.empty());
    CHECK(failing.failed_attempts == 1);
    CHECK(failing.since == failing.last_attempt);
    CHECK_FALSE(wh::is_disabled(client.webhooks().get(sub.webhook.id)));  // nothing changed
  }
}

TEST_SUITE("webhooks: subscribe against instantly-mock") {
  TEST_CASE("subscribing twice returns the same subscription and only one exists") {
    WatchReceiver receiver;
    const Client client = watch_client();
    const wh::Subscription first = wh::subscribe(client, {.target_url = receiver.url()});
    const wh::Subscription again = wh::subscribe(client, {.target_url = receiver.url()});
    CHECK_FALSE(first.reused);
    CHECK(again.reused);
    CHECK(again.webhook.id == first.webhook.id);
    CHECK(again.secret == first.secret);
    std::size_t subscriptions = 0;
    for (const Webhook& webhook : client.webhooks().list()) {
      (void)webhook;
      ++subscriptions;
    }
    CHECK(subscriptions == 1);
  }

  TEST_CASE("subscribing with a new secret updates the header the deliveries carry") {
    WatchReceiver receiver;
    const Client client = watch_client();
    const wh::Subscription first = wh::subscribe(client, {.target_url = receiver.url(), .secret = "first-secret"});
    const wh::Subscription rotated = wh::subscribe(client, {.target_url = receiver.url(), .secret = "second-secret"});
    CHECK(rotated.reused);
    CHECK(rotated.webhook.id == first.webhook.id);
    const Webhook stored = client.webhooks().get(first.webhook.id);
    REQUIRE(stored.headers.has_value());
    CHECK(*stored.headers == Json::object({{"X-Webhook-Secret", "second-secret"}}));

    emit_event(client);
    flush_deliveries(client);
    REQUIRE(receiver.received().size() == 1);
    CHECK(receiver.received().front().secret == "second-secret");
    CHECK(rotated.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "second-secret"}}));
    CHECK_FALSE(rotated.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "first-secret"}}));
  }
}
#endif
