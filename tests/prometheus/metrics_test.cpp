// instantly::prometheus::Metrics: a client's and a workflow's events become
// the documented series (docs/observability.md), with exact values, and the
// text never holds the key or a filled-in path.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/prometheus.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace {

using namespace std::chrono_literals;
using instantly::testing::ConnectionFailure;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

constexpr char kMetricsKey[] = "sk_metrics_test_key_5678";

constexpr char kCampaign[] =
    R"({"id":"c-42","name":"Cafes LA","status":0,"timestamp_created":"2026-01-01T00:00:00Z",)"
    R"("timestamp_updated":"2026-01-01T00:00:00Z","campaign_schedule":{"schedules":[{"name":"Weekdays",)"
    R"("timing":{"from":"09:00","to":"17:00"},"days":{"1":true},"timezone":"America/Detroit"}]}})";

/// The value of the one sample `series` (name plus labels, as the text writes
/// it: labels in alphabetical order), or nothing when the text has no such line.
std::optional<double> sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

struct MeteredClient {
  std::shared_ptr<instantly::prometheus::Metrics> metrics = std::make_shared<instantly::prometheus::Metrics>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<FakeTransport> transport;
  instantly::Client client;

  explicit MeteredClient(std::vector<FakeTransport::Step> script)
      : transport(std::make_shared<FakeTransport>(std::move(script))),
        client(instantly::ClientOptions{.api_key = kMetricsKey,
                                        .base_url = "http://127.0.0.1:1",
                                        .retry = {.jitter = [] { return 0.0; }},
                                        .rate_limit = {.enabled = false},
                                        .transport = transport,
                                        .clock = clock,
                                        .observer = metrics->observer(),
                                        .logger = nullptr}) {}
};

instantly::HttpResponse too_many_requests() {
  return json_response(429, R"({"message":"slow down"})", {{"Retry-After", "2"}});
}

}  // namespace

TEST_SUITE("prometheus") {
  TEST_CASE("a 429 then a 200: two requests by status, one retry, one 429, one call that took the wait") {
    MeteredClient metered({too_many_requests(), json_response(200, kCampaign)});
    CHECK(metered.client.campaigns().get("c-42").id == "c-42");
    const std::string text = metered.metrics->text();

    CHECK(sample(text, R"(instantly_requests_total{method="GET",operation="getCampaign",status="429"})") == 1);
    CHECK(sample(text, R"(instantly_requests_total{method="GET",operation="getCampaign",status="200"})") == 1);
    CHECK(sample(text, R"(instantly_retries_total{operation="getCampaign",reason="rate_limited"})") == 1);
    CHECK(sample(text, R"(instantly_rate_limited_total{operation="getCampaign"})") == 1);
    CHECK(sample(text, R"(instantly_calls_total{operation="getCampaign",outcome="succeeded"})") == 1);
    CHECK(sample(text, R"(instantly_request_duration_seconds_count{operation="getCampaign"})") == 2);
    // The whole call holds the 2 s Retry-After wait (the fake clock makes it exact).
    CHECK(sample(text, R"(instantly_call_duration_seconds_sum{operation="getCampaign"})") == 2);
    CHECK(sample(text, R"(instantly_call_duration_seconds_bucket{operation="getCampaign",le="1"})") == 0);
    CHECK(sample(text, R"(instantly_call_duration_seconds_bucket{operation="getCampaign",le="2.5"})") == 1);

    CHECK(text.find("c-42") == std::string::npos);  // the template names the call, not the path
    CHECK(text.find(kMetricsKey) == std::string::npos);
    CHECK(text.find("Bearer") == std::string::npos);
  }

  TEST_CASE("a client's metrics alone: no receiver, sync or health series (no 1970 'last success' to alert on)") {
    MeteredClient metered({json_response(200, "{}")});
    metered.client.request("GET", "/api/v2/campaigns");
    const std::string text = metered.metrics->text();
    CHECK(text.find("instantly_calls_total") != std::string::npos);
    CHECK(text.find("instantly_webhook_") == std::string::npos);
    CHECK(text.find("instantly_analytics_sync_") == std::string::npos);
    CHECK(text.find("instantly_account_health_") == std::string::npos);
  }

  TEST_CASE("a failed call counts by error type, and a connection failure is a request without a status code") {
    MeteredClient metered({ConnectionFailure{}, json_response(404, R"({"message":"not found"})")});
    CHECK_THROWS_AS(metered.client.campaigns().get("c-1"), instantly::NotFoundError);
    const std::string text = metered.metrics->text();
    CHECK(sample(text, R"(instantly_requests_total{method="GET",operation="getCampaign",status="connection_failed"})") ==
          1);
    CHECK(sample(text, R"(instantly_requests_total{method="GET",operation="getCampaign",status="404"})") == 1);
    CHECK(sample(text, R"(instantly_retries_total{operation="getCampaign",reason="connection_failed"})") == 1);
    CHECK(sample(text, R"(instantly_calls_total{operation="getCampaign",outcome="failed"})") == 1);
    CHECK(sample(text, R"(instantly_call_failures_total{error_type="NotFoundError",operation="getCampaign"})") == 1);
  }

  TEST_CASE("a raw request on an undocumented path is one '(unmatched)' series, whatever its ids") {
    MeteredClient metered({json_response(200, "{}"), json_response(200, "{}")});
    metered.client.request("GET", "/api/v2/not-documented/111");
    metered.client.request("GET", "/api/v2/not-documented/222");
    const std::string text = metered.metrics->text();
    CHECK(sample(text, R"x(instantly_requests_total{method="GET",operation="(unmatched)",status="200"})x") == 2);
    CHECK(text.find("111") == std::string::npos);
  }

  TEST_CASE("rate-limit waits add up by bucket") {
    auto metrics = std::make_shared<instantly::prometheus::Metrics>();
    auto observer = metrics->observer();
    observer->on_rate_limit_wait({.call = {.operation = "listEmail", .method = "GET", .path_template = "/api/v2/emails"},
                                  .bucket = "GET /api/v2/emails",
                                  .waited = 1500ms});
    observer->on_rate_limit_wait({.call = {.operation = "listEmail", .method = "GET", .path_template = "/api/v2/emails"},
                                  .bucket = "GET /api/v2/emails",
                                  .waited = 500ms});
    CHECK(sample(metrics->text(), R"(instantly_rate_limit_wait_seconds_total{bucket="GET /api/v2/emails"})") == 2);
  }

  TEST_CASE("webhook deliveries: received, acknowledged from the spool, then stored, duplicated or unparsed, "
            "refused by reason, and the ack latency") {
    instantly::prometheus::Metrics metrics;
    auto observer = metrics.observer();
    auto delivery = [&](std::string_view action, std::string_view reason = {}, std::chrono::nanoseconds ack = {}) {
      observer->on_workflow({.workflow = "webhook", .action = action, .reason = reason, .items = 1, .duration = ack});
    };
    for (int i = 0; i < 5; ++i) delivery("delivery_received");
    delivery("delivery_accepted", {}, 3ms);
    delivery("delivery_accepted", {}, 3ms);
    delivery("delivery_accepted", {}, 1ms);
    delivery("delivery_refused", "unauthorized", 100us);
    delivery("delivery_refused", "spool_full", 200us);
    delivery("delivery_stored");  // the forwarder, later: no latency of its own
    delivery("delivery_duplicate");
    delivery("delivery_unparsed");
    metrics.set_webhook_queue_depth(7);
    metrics.set_webhook_spool_bytes(4096);
    metrics.set_webhook_unapplied_events(12);
    metrics.set_webhook_ready(false);

    const std::string text = metrics.text();
    CHECK(sample(text, "instantly_webhook_events_received_total") == 5);
    CHECK(sample(text, "instantly_webhook_events_stored_total") == 1);
    CHECK(sample(text, "instantly_webhook_events_duplicated_total") == 1);
    CHECK(sample(text, "instantly_webhook_events_unparsed_total") == 1);
    CHECK(sample(text, R"(instantly_webhook_events_refused_total{reason="unauthorized"})") == 1);
    CHECK(sample(text, R"(instantly_webhook_events_refused_total{reason="spool_full"})") == 1);
    CHECK(sample(text, R"(instantly_webhook_events_refused_total{reason="not_stored"})") == 0);  // there from the start
    CHECK(sample(text, "instantly_webhook_ack_seconds_count") == 5);  // every answer, none of the forwarder's steps
    CHECK(sample(text, R"(instantly_webhook_ack_seconds_bucket{le="0.001"})") == 3);
    CHECK(sample(text, R"(instantly_webhook_ack_seconds_bucket{le="0.005"})") == 5);
    CHECK(sample(text, "instantly_webhook_queue_depth") == 7);
    CHECK(sample(text, "instantly_webhook_spool_bytes") == 4096);
    CHECK(sample(text, "instantly_webhook_unapplied_events") == 12);
    CHECK(sample(text, "instantly_webhook_ready") == 0);
    CHECK(sample(text, R"(instantly_workflow_events_total{action="delivery_accepted",workflow="webhook"})") == 3);
  }

  TEST_CASE("analytics sync runs set the last success time, and account health sets the verdict gauges") {
    instantly::prometheus::Metrics metrics;
    auto observer = metrics.observer();
    const auto before = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    observer->on_workflow({.workflow = "analytics_sync", .action = "run_finished", .items = 12});
    observer->on_workflow({.workflow = "analytics_sync", .action = "run_failed", .reason = "rate_limited"});
    metrics.set_account_health({.ok = 5, .warning = 2, .critical = 1});

    const std::string text = metrics.text();
    CHECK(sample(text, R"(instantly_analytics_sync_runs_total{outcome="finished"})") == 1);
    CHECK(sample(text, R"(instantly_analytics_sync_runs_total{outcome="failed"})") == 1);
    CHECK(sample(text, "instantly_analytics_sync_campaigns") == 12);
    CHECK(sample(text, "instantly_analytics_sync_last_success_timestamp_seconds").value_or(0) >= before - 1);
    CHECK(sample(text, R"(instantly_account_health_accounts{verdict="ok"})") == 5);
    CHECK(sample(text, R"(instantly_account_health_accounts{verdict="critical"})") == 1);
    CHECK(sample(text, "instantly_account_health_last_check_timestamp_seconds").value_or(0) >= before - 1);
  }

  TEST_CASE("the observer outlives the Metrics it came from") {
    std::shared_ptr<instantly::Observer> observer;
    std::string text;
    {
      auto metrics = std::make_shared<instantly::prometheus::Metrics>();
      observer = metrics->observer();
      instantly::Client second({.api_key = kMetricsKey, .base_url = "http://127.0.0.1:1",
                                .rate_limit = {.enabled = false},
                                .transport = std::make_shared<FakeTransport>(
                                    std::vector<FakeTransport::Step>{json_response(200, "{}")}),
                                .observer = observer,
                                .logger = nullptr});
      second.request("GET", "/api/v2/campaigns");
      text = metrics->text();
    }
    CHECK(sample(text, R"(instantly_requests_total{method="GET",operation="listCampaign",status="200"})") == 1);
    observer->on_workflow({.workflow = "lead_import", .action = "chunk_sent", .items = 1000});  // no crash
  }
}
