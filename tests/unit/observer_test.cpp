// The observer seam (instantly/observer.hpp): which events a call produces,
// what they say, that they never carry the key, and that a broken observer
// cannot break a call.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/analytics_sync.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace {

using namespace std::chrono_literals;
using instantly::HttpResponse;
using instantly::RetryReason;
using instantly::testing::ConnectionFailure;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

constexpr char kObservedKey[] = "sk_observer_test_key_1234";

constexpr char kObservedCampaign[] =
    R"({"id":"c-1","name":"Cafes LA","status":0,"timestamp_created":"2026-01-01T00:00:00Z",)"
    R"("timestamp_updated":"2026-01-01T00:00:00Z","campaign_schedule":{"schedules":[{"name":"Weekdays",)"
    R"("timing":{"from":"09:00","to":"17:00"},"days":{"1":true},"timezone":"America/Detroit"}]}})";

// Every event as plain copies, plus one line of text per event to search for the key.
struct SeenEvent {
  std::string kind;  // attempt, retry, wait, succeeded, failed, workflow
  std::string operation, method, path;
  int attempt = 0;
  std::optional<int> status;
  std::string detail;  // failure / reason / bucket / error type
  std::string stop_reason;
  std::chrono::milliseconds delay{0};
  bool from_retry_after = false;
  std::size_t request_bytes = 0, response_bytes = 0;
};

class RecordingObserver final : public instantly::Observer {
 public:
  void on_attempt(const instantly::AttemptEvent& e) override {
    add({.kind = "attempt", .operation = std::string(e.call.operation), .method = std::string(e.call.method),
         .path = std::string(e.call.path_template), .attempt = e.attempt, .status = e.status,
         .detail = std::string(e.failure), .request_bytes = e.request_bytes, .response_bytes = e.response_bytes});
  }
  void on_retry(const instantly::RetryEvent& e) override {
    add({.kind = "retry", .operation = std::string(e.call.operation), .method = std::string(e.call.method),
         .path = std::string(e.call.path_template), .attempt = e.attempt, .status = e.status,
         .detail = instantly::to_string(e.reason), .delay = e.delay, .from_retry_after = e.delay_from_retry_after});
  }
  void on_rate_limit_wait(const instantly::RateLimitWaitEvent& e) override {
    add({.kind = "wait", .operation = std::string(e.call.operation), .method = std::string(e.call.method),
         .path = std::string(e.call.path_template), .attempt = e.attempt, .detail = std::string(e.bucket),
         .delay = std::chrono::duration_cast<std::chrono::milliseconds>(e.waited)});
  }
  void on_call_succeeded(const instantly::CallSucceededEvent& e) override {
    add({.kind = "succeeded", .operation = std::string(e.call.operation), .method = std::string(e.call.method),
         .path = std::string(e.call.path_template), .attempt = e.attempts, .status = e.status,
         .delay = std::chrono::duration_cast<std::chrono::milliseconds>(e.elapsed)});
  }
  void on_call_failed(const instantly::CallFailedEvent& e) override {
    add({.kind = "failed", .operation = std::string(e.call.operation), .method = std::string(e.call.method),
         .path = std::string(e.call.path_template), .attempt = e.attempts, .status = e.status,
         .detail = std::string(e.error_type), .stop_reason = std::string(e.stop_reason)});
  }
  void on_workflow(const instantly::WorkflowEvent& e) override {
    add({.kind = "workflow", .operation = std::string(e.workflow), .detail = std::string(e.action)});
  }

  std::vector<SeenEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<std::string> kinds() const {
    std::vector<std::string> out;
    for (const SeenEvent& e : events()) out.push_back(e.kind);
    return out;
  }

 private:
  void add(SeenEvent event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  mutable std::mutex mutex_;
  std::vector<SeenEvent> events_;
};

// Every line a client logs, rendered as "level message key=value ...".
class RecordingLogger final : public instantly::Logger {
 public:
  explicit RecordingLogger(instantly::LogLevel threshold = instantly::LogLevel::Debug) : threshold_(threshold) {}
  bool enabled(instantly::LogLevel level) const noexcept override { return level >= threshold_; }
  void log(instantly::LogLevel level, std::string_view message, std::span<const instantly::LogField> fields) override {
    std::string line = std::string(instantly::to_string(level)) + " " + std::string(message);
    for (const instantly::LogField& field : fields) {
      line += " " + std::string(field.key) + "=";
      std::visit([&line](const auto& value) {
        if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string_view>) {
          line += std::string(value);
        } else {
          line += std::to_string(value);
        }
      }, field.value);
    }
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  instantly::LogLevel threshold_;
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

struct ObservedClient {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<FakeTransport> transport;
  std::shared_ptr<RecordingObserver> observer = std::make_shared<RecordingObserver>();
  std::shared_ptr<RecordingLogger> logger = std::make_shared<RecordingLogger>();
  instantly::Client client;

  explicit ObservedClient(std::vector<FakeTransport::Step> script, instantly::RateLimitOptions limits = {.enabled = false},
                          std::shared_ptr<instantly::Observer> other = nullptr)
      : transport(std::make_shared<FakeTransport>(std::move(script))),
        client(instantly::ClientOptions{.api_key = kObservedKey,
                                        .base_url = "http://127.0.0.1:1",
                                        .retry = {.jitter = [] { return 0.0; }},
                                        .rate_limit = limits,
                                        .transport = transport,
                                        .clock = clock,
                                        .observer = other ? other : observer,
                                        .logger = logger}) {}
};

HttpResponse too_many_requests(std::string retry_after) {
  return json_response(429, R"({"statusCode":429,"error":"Too Many Requests","message":"slow down"})",
                       {{"Retry-After", std::move(retry_after)}});
}

void check_no_key(const std::vector<SeenEvent>& events, const std::vector<std::string>& lines) {
  for (const SeenEvent& e : events) {
    for (const std::string* text : {&e.operation, &e.method, &e.path, &e.detail, &e.stop_reason}) {
      CHECK(text->find(kObservedKey) == std::string::npos);
      CHECK(text->find("Bearer") == std::string::npos);
    }
  }
  for (const std::string& line : lines) {
    CHECK(line.find(kObservedKey) == std::string::npos);
    CHECK(line.find("Bearer") == std::string::npos);
  }
}

}  // namespace

TEST_SUITE("observer") {
  TEST_CASE("a 429 then a 200: two attempts and a retry, named by operation and path template") {
    ObservedClient observed({too_many_requests("2"), json_response(200, kObservedCampaign)});
    const instantly::Campaign campaign = observed.client.campaigns().get("c-1");
    CHECK(campaign.id == "c-1");

    const auto events = observed.observer->events();
    REQUIRE(observed.observer->kinds() == std::vector<std::string>{"attempt", "retry", "attempt", "succeeded"});
    for (const SeenEvent& e : events) {
      CHECK(e.operation == "getCampaign");
      CHECK(e.method == "GET");
      CHECK(e.path == "/api/v2/campaigns/{id}");  // the template, not /campaigns/c-1
    }
    CHECK(events[0].attempt == 1);
    CHECK(events[0].status == 429);
    CHECK(events[0].detail.empty());
    CHECK(events[1].attempt == 1);
    CHECK(events[1].detail == "rate_limited");
    CHECK(events[1].status == 429);
    CHECK(events[1].delay == 2s);
    CHECK(events[1].from_retry_after);
    CHECK(events[2].attempt == 2);
    CHECK(events[2].status == 200);
    CHECK(events[2].response_bytes == std::string(kObservedCampaign).size());
    CHECK(events[3].attempt == 2);  // the whole call: both attempts, and the 2 s wait between them
    CHECK(events[3].status == 200);
    CHECK(events[3].delay == 2s);

    const auto lines = observed.logger->lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].starts_with("debug request operation=getCampaign method=GET path=/api/v2/campaigns/{id} attempt=1 "
                               "status=429"));
    CHECK(lines[1] == "info retrying operation=getCampaign method=GET path=/api/v2/campaigns/{id} attempt=1 "
                      "reason=rate_limited status=429 delay_ms=2000 delay_from=retry_after");
    CHECK(lines[2].find("attempt=2 status=200") != std::string::npos);
    check_no_key(events, lines);
  }

  TEST_CASE("the body's size is counted, the body itself is never in an event") {
    ObservedClient observed({json_response(200, R"({"id":"x"})")});
    observed.client.request("POST", "/api/v2/campaigns/c-1/pause",
                            {.body = instantly::Json::object({{"secret_note", "hunter2"}})});
    const auto events = observed.observer->events();
    REQUIRE(events.size() == 2);  // the attempt and the call's success
    CHECK(events[0].operation == "pauseCampaign");
    CHECK(events[0].path == "/api/v2/campaigns/{id}/pause");
    CHECK(events[0].request_bytes == std::string(R"({"secret_note":"hunter2"})").size());
    for (const std::string& line : observed.logger->lines()) CHECK(line.find("hunter2") == std::string::npos);
  }

  TEST_CASE("a raw request on an unknown path is not named by its filled-in path") {
    ObservedClient observed({json_response(200, "{}")});
    observed.client.request("GET", "/api/v2/not-a-documented-thing/12345");
    const auto events = observed.observer->events();
    REQUIRE(events.size() == 2);
    CHECK(events[0].operation.empty());
    CHECK(events[0].path == "(unmatched)");
  }

  TEST_CASE("connection failures: an attempt without a status, a retry with the reason") {
    ObservedClient observed({ConnectionFailure{}, ConnectionFailure{.timeout = true}, json_response(200, "{}")});
    observed.client.request("GET", "/api/v2/campaigns");
    const auto events = observed.observer->events();
    REQUIRE(observed.observer->kinds() ==
            std::vector<std::string>{"attempt", "retry", "attempt", "retry", "attempt", "succeeded"});
    CHECK_FALSE(events[0].status.has_value());
    CHECK(events[0].detail == "connection_failed");
    CHECK(events[1].detail == "connection_failed");
    CHECK_FALSE(events[1].from_retry_after);
    CHECK(events[1].delay == 500ms);  // backoff, no jitter
    CHECK(events[2].detail == "timeout");
    CHECK(events[3].detail == "timeout");
    CHECK(events[3].delay == 1000ms);
    CHECK(events[4].status == 200);
  }

  TEST_CASE("a call given up on: one failure event with the error, the status and the stop reason") {
    ObservedClient observed({json_response(503, R"({"message":"down"})")});
    CHECK_THROWS_AS(observed.client.campaigns().get("c-1"), instantly::InternalServerError);
    const auto events = observed.observer->events();
    REQUIRE(events.size() == 6);  // 3 attempts, 2 retries, 1 failure
    const SeenEvent& failed = events.back();
    CHECK(failed.kind == "failed");
    CHECK(failed.operation == "getCampaign");
    CHECK(failed.attempt == 3);
    CHECK(failed.status == 503);
    CHECK(failed.detail == "InternalServerError");
    CHECK(failed.stop_reason == "retries exhausted");
    const auto lines = observed.logger->lines();
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.back().starts_with("warning giving up operation=getCampaign"));
    CHECK(lines.back().find("stop_reason=retries exhausted") != std::string::npos);
    check_no_key(events, lines);
  }

  TEST_CASE("a plain 404 is a failure event, logged at debug only") {
    ObservedClient observed({json_response(404, R"({"message":"Campaign not found"})")});
    CHECK_THROWS_AS(observed.client.campaigns().get("c-1"), instantly::NotFoundError);
    const auto events = observed.observer->events();
    REQUIRE(events.size() == 2);
    CHECK(events[1].kind == "failed");
    CHECK(events[1].detail == "NotFoundError");
    CHECK(events[1].stop_reason.empty());
    CHECK(observed.logger->lines().back().starts_with("debug call failed"));
  }

  TEST_CASE("a request refused by validation is a failure with no attempts") {
    ObservedClient observed({json_response(200, "{}")});
    CHECK_THROWS_AS(observed.client.campaigns().create({.name = "Cafes LA"}), instantly::ValidationError);  // no schedule
    const auto events = observed.observer->events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == "failed");
    CHECK(events[0].operation == "createCampaign");
    CHECK(events[0].path == "/api/v2/campaigns");
    CHECK(events[0].attempt == 0);
    CHECK(events[0].detail == "ValidationError");
    CHECK(observed.transport->request_count() == 0);
  }

  TEST_CASE("a wait for the rate limiter names its bucket and how long it took") {
    ObservedClient observed({json_response(200, "{}")},
                           {.per_second = {1, std::chrono::seconds(1)}, .per_minute = {1000, std::chrono::minutes(1)}});
    observed.client.request("GET", "/api/v2/campaigns");
    observed.client.request("GET", "/api/v2/campaigns");
    const auto events = observed.observer->events();
    REQUIRE(observed.observer->kinds() ==
            std::vector<std::string>{"attempt", "succeeded", "wait", "attempt", "succeeded"});
    CHECK(events[2].detail == "workspace");
    CHECK(events[2].operation == "listCampaign");
    CHECK(events[2].attempt == 1);
    CHECK(events[2].delay == 1s);
    CHECK(events[4].delay == 1s);  // the call's elapsed time holds its wait
    bool logged = false;
    for (const std::string& line : observed.logger->lines()) {
      logged = logged || (line.starts_with("info waited for the rate limit") &&
                          line.find("bucket=workspace") != std::string::npos);
    }
    CHECK(logged);
  }

  TEST_CASE("an endpoint's own limit is named as the bucket") {
    ObservedClient observed({json_response(200, R"({"items":[]})")}, {});
    for (int i = 0; i < 21; ++i) observed.client.request("GET", "/api/v2/emails");  // 20 per minute
    const auto events = observed.observer->events();
    std::vector<SeenEvent> waits;
    for (const SeenEvent& e : events) {
      if (e.kind == "wait") waits.push_back(e);
    }
    REQUIRE(waits.size() == 1);
    CHECK(waits[0].detail == "GET /api/v2/emails");
    CHECK(waits[0].delay >= 59s);
  }

  TEST_CASE("an observer that throws does not break the call, and is reported once") {
    struct Throwing final : instantly::Observer {
      void on_attempt(const instantly::AttemptEvent&) override { throw std::runtime_error("observer bug"); }
      void on_retry(const instantly::RetryEvent&) override { throw 42; }
    };
    ObservedClient observed({too_many_requests("1"), too_many_requests("1"), json_response(200, kObservedCampaign)}, {.enabled = false},
                           std::make_shared<Throwing>());
    CHECK(observed.client.campaigns().get("c-1").id == "c-1");
    CHECK(observed.client.campaigns().get("c-1").id == "c-1");
    int reports = 0;
    for (const std::string& line : observed.logger->lines()) {
      if (line.starts_with("warning an observer threw")) {
        ++reports;
        CHECK(line.find("error=observer bug") != std::string::npos);
      }
    }
    CHECK(reports == 1);
  }

  TEST_CASE("workflow events reach the observer and the log through Client::notify") {
    ObservedClient observed({json_response(200, "{}")});
    CHECK(observed.client.observed());
    observed.client.notify({.workflow = "lead_import", .action = "chunk_failed", .reason = "RateLimitError", .items = 1000});
    const auto events = observed.observer->events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].operation == "lead_import");
    CHECK(events[0].detail == "chunk_failed");
    CHECK(observed.logger->lines().back() ==
          "warning workflow workflow=lead_import action=chunk_failed reason=RateLimitError items=1000");
  }

  TEST_CASE("an unobserved client has no event sink") {
    instantly::Client client({.api_key = kObservedKey, .rate_limit = {.enabled = false},
                              .transport = std::make_shared<FakeTransport>(),
                              .logger = nullptr});
    // Without INSTANTLY_LOG in the test's environment the default logger is null too.
    if (!instantly::default_logger()) CHECK_FALSE(client.observed());
    client.notify({.workflow = "lead_import", .action = "chunk_sent"});  // harmless
  }
}

TEST_SUITE("combine_observers") {
  TEST_CASE("every observer gets every event, even after one of them threw") {
    struct ThrowsFirst final : instantly::Observer {
      void on_attempt(const instantly::AttemptEvent&) override { throw std::runtime_error("first one broke"); }
    };
    auto second = std::make_shared<RecordingObserver>();
    auto combined = instantly::combine_observers({std::make_shared<ThrowsFirst>(), nullptr, second});
    ObservedClient observed({json_response(200, "{}")}, {.enabled = false}, combined);
    observed.client.request("GET", "/api/v2/campaigns");
    CHECK(second->kinds() == std::vector<std::string>{"attempt", "succeeded"});
    int reports = 0;
    for (const std::string& line : observed.logger->lines()) reports += line.find("first one broke") != std::string::npos;
    CHECK(reports == 1);
  }
}

TEST_SUITE("workflow events") {
  TEST_CASE("an analytics sync that fails is reported as a failed run, with a kind of failure") {
    ObservedClient observed({json_response(500, R"({"message":"down"})")});
    instantly::workflows::AnalyticsSync sync(observed.client, {.campaign_ids = {"c-1"}});
    CHECK_THROWS_AS(sync.sync(), instantly::InternalServerError);
    std::vector<SeenEvent> runs;
    for (const SeenEvent& e : observed.observer->events()) {
      if (e.kind == "workflow") runs.push_back(e);
    }
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].operation == "analytics_sync");
    CHECK(runs[0].detail == "run_failed");
    bool warned = false;
    for (const std::string& line : observed.logger->lines()) {
      warned = warned || line.starts_with("warning workflow workflow=analytics_sync action=run_failed reason=api_error");
    }
    CHECK(warned);
  }
}
