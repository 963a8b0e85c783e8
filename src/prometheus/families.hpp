// Every metric family of instantly::prometheus::Metrics, in one registry. The
// names and labels are the contract of docs/observability.md (the Python
// package's instantly.metrics registers the same ones, with the same buckets).
//
// The client's families exist from the start. Those of the receiver, the
// analytics sync and account health are registered on first use, so that a
// program that only calls the API never exports a "last successful sync" of
// 0 (1970) that an alert would read as a stale sync.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>

#include "instantly/observer.hpp"

namespace instantly::prometheus {

namespace pm = ::prometheus;

namespace detail {

struct WebhookFamilies {
  explicit WebhookFamilies(pm::Registry& registry);
  pm::Counter& received;
  pm::Counter& stored;
  pm::Counter& duplicated;
  pm::Counter& unparsed;
  pm::Family<pm::Counter>& refused;  // {reason}; every reason is exported from the start, at 0
  pm::Histogram& ack;
  pm::Gauge& queue_depth;
  pm::Gauge& spool_bytes;
  pm::Gauge& unapplied;
  pm::Gauge& ready;
};

struct SyncFamilies {
  explicit SyncFamilies(pm::Registry& registry);
  pm::Family<pm::Counter>& runs;  // {outcome}: finished, failed
  pm::Gauge& last_success;
  pm::Gauge& campaigns;
};

struct HealthFamilies {
  explicit HealthFamilies(pm::Registry& registry);
  pm::Family<pm::Gauge>& accounts;  // {verdict}
  pm::Gauge& last_check;
};

struct Families {
  Families();

  std::shared_ptr<pm::Registry> registry = std::make_shared<pm::Registry>();

  // Client calls (from the observer's events).
  pm::Family<pm::Counter>& requests;             // {operation, method, status}, one per attempt
  pm::Family<pm::Histogram>& request_duration;   // {operation}, one attempt
  pm::Family<pm::Counter>& retries;              // {operation, reason}
  pm::Family<pm::Counter>& rate_limited;         // {operation}, answers with 429
  pm::Family<pm::Counter>& rate_limit_wait;      // {bucket}, seconds
  pm::Family<pm::Counter>& calls;                // {operation, outcome}
  pm::Family<pm::Histogram>& call_duration;      // {operation}, retries and waits included
  pm::Family<pm::Counter>& call_failures;        // {operation, error_type}

  // Workflows.
  pm::Family<pm::Counter>& workflow_events;      // {workflow, action}
  pm::Family<pm::Counter>& workflow_items;       // {workflow, action}

  WebhookFamilies& webhook();
  SyncFamilies& sync();
  HealthFamilies& health();

 private:
  std::once_flag webhook_once_, sync_once_, health_once_;
  std::unique_ptr<WebhookFamilies> webhook_;
  std::unique_ptr<SyncFamilies> sync_;
  std::unique_ptr<HealthFamilies> health_;
};

}  // namespace detail

/// The observer that counts events into `families` (metrics_observer.cpp).
std::shared_ptr<Observer> make_metrics_observer(std::shared_ptr<detail::Families> families);

/// The buckets of the request and call duration histograms (seconds).
const pm::Histogram::BucketBoundaries& call_buckets();

/// Seconds since the Unix epoch, now: what the *_timestamp_seconds gauges hold.
double unix_seconds_now();

}  // namespace instantly::prometheus
