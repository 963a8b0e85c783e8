#include "prometheus/families.hpp"

#include <chrono>

namespace instantly::prometheus {
namespace {

// Attempts and calls: from a fast local answer to a call that waited out a 429's Retry-After.
const pm::Histogram::BucketBoundaries kCallBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                      1,     2.5,  5,     10,   30,  60};
// A webhook acknowledgement is a group commit away: sub-millisecond to a slow fsync.
const pm::Histogram::BucketBoundaries kAckBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,    0.25,  0.5,    1,     2.5,  5};

pm::Family<pm::Counter>& counter(pm::Registry& registry, const char* name, const char* help) {
  return pm::BuildCounter().Name(name).Help(help).Register(registry);
}
pm::Family<pm::Gauge>& gauge(pm::Registry& registry, const char* name, const char* help) {
  return pm::BuildGauge().Name(name).Help(help).Register(registry);
}
pm::Family<pm::Histogram>& histogram(pm::Registry& registry, const char* name, const char* help) {
  return pm::BuildHistogram().Name(name).Help(help).Register(registry);
}

}  // namespace

namespace detail {

Families::Families()
    : requests(counter(*registry, "instantly_requests_total",
                       "Requests sent to the Instantly API, by operation, method and HTTP status "
                       "(or connection_failed, timeout, cancelled, response_too_large)")),
      request_duration(histogram(*registry, "instantly_request_duration_seconds",
                                 "Time of one request, from sending to its answer")),
      retries(counter(*registry, "instantly_retries_total", "Requests tried again, by operation and reason")),
      rate_limited(counter(*registry, "instantly_rate_limited_total", "Answers with HTTP 429, by operation")),
      rate_limit_wait(counter(*registry, "instantly_rate_limit_wait_seconds_total",
                              "Seconds spent waiting for the client-side rate limiter, by bucket")),
      calls(counter(*registry, "instantly_calls_total", "Calls finished, by operation and outcome")),
      call_duration(histogram(*registry, "instantly_call_duration_seconds",
                              "Time of a whole call, retries and waits included")),
      call_failures(counter(*registry, "instantly_call_failures_total",
                            "Calls that ended in an error, by operation and error type")),
      workflow_events(counter(*registry, "instantly_workflow_events_total",
                              "What the workflows reported, by workflow and action")),
      workflow_items(counter(*registry, "instantly_workflow_items_total",
                             "Items the workflow actions covered (leads in a chunk, campaigns in a run)")) {}

WebhookFamilies& Families::webhook() {
  std::call_once(webhook_once_, [this] { webhook_ = std::make_unique<WebhookFamilies>(*registry); });
  return *webhook_;
}

SyncFamilies& Families::sync() {
  std::call_once(sync_once_, [this] { sync_ = std::make_unique<SyncFamilies>(*registry); });
  return *sync_;
}

HealthFamilies& Families::health() {
  std::call_once(health_once_, [this] { health_ = std::make_unique<HealthFamilies>(*registry); });
  return *health_;
}

WebhookFamilies::WebhookFamilies(pm::Registry& registry)
    : received(counter(registry, "instantly_webhook_events_received_total",
                       "Webhook deliveries received on the webhook path")
                   .Add({})),
      stored(counter(registry, "instantly_webhook_events_stored_total", "Webhook events stored for the first time")
                 .Add({})),
      duplicated(counter(registry, "instantly_webhook_events_duplicated_total",
                         "Webhook deliveries of an event stored before")
                     .Add({})),
      unparsed(counter(registry, "instantly_webhook_events_unparsed_total",
                       "Verified deliveries that did not parse, kept as received")
                   .Add({})),
      refused(counter(registry, "instantly_webhook_events_refused_total", "Webhook deliveries not acknowledged, by reason")),
      ack(histogram(registry, "instantly_webhook_ack_seconds", "Time from a delivery's arrival to its answer")
              .Add({}, kAckBuckets)),
      queue_depth(gauge(registry, "instantly_webhook_queue_depth", "Deliveries in the spool, not yet in the store")
                      .Add({})),
      spool_bytes(gauge(registry, "instantly_webhook_spool_bytes", "The spool's size on disk").Add({})),
      unapplied(gauge(registry, "instantly_webhook_unapplied_events", "Stored events not yet folded into the engagement")
                    .Add({})),
      ready(gauge(registry, "instantly_webhook_ready", "1 when /readyz says ready, else 0").Add({})) {
  // Every reason from the start, at 0: rate() and alerts need the series before the first refusal.
  for (const char* reason : {"unauthorized", "malformed", "too_large", "not_stored", "spool_full"}) {
    refused.Add({{"reason", reason}});
  }
}

SyncFamilies::SyncFamilies(pm::Registry& registry)
    : runs(counter(registry, "instantly_analytics_sync_runs_total", "Analytics sync runs, by outcome")),
      last_success(gauge(registry, "instantly_analytics_sync_last_success_timestamp_seconds",
                         "When the last analytics sync run finished, in Unix seconds")
                       .Add({})),
      campaigns(gauge(registry, "instantly_analytics_sync_campaigns",
                      "Campaigns the last finished analytics sync run covered")
                    .Add({})) {
  for (const char* outcome : {"finished", "failed"}) runs.Add({{"outcome", outcome}});
}

HealthFamilies::HealthFamilies(pm::Registry& registry)
    : accounts(gauge(registry, "instantly_account_health_accounts",
                     "Sending accounts by the verdict of the last health check")),
      last_check(gauge(registry, "instantly_account_health_last_check_timestamp_seconds",
                       "When the last account health check finished, in Unix seconds")
                     .Add({})) {}

}  // namespace detail

const pm::Histogram::BucketBoundaries& call_buckets() { return kCallBuckets; }

double unix_seconds_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace instantly::prometheus
