// Every metric family of instantly::prometheus::Metrics, registered once in
// one registry. The names and labels are the contract of docs/observability.md
// (the Python package's instantly.metrics uses the same ones).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

namespace instantly::prometheus {

namespace pm = ::prometheus;

namespace detail {

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

  // Webhook receivers.
  pm::Counter& webhook_received;
  pm::Counter& webhook_stored;
  pm::Counter& webhook_duplicated;
  pm::Family<pm::Counter>& webhook_refused;      // {reason}
  pm::Histogram& webhook_ack;
  pm::Gauge& webhook_queue_depth;
  pm::Gauge& webhook_unapplied;
  pm::Gauge& webhook_ready;

  // Analytics sync.
  pm::Family<pm::Counter>& sync_runs;            // {outcome}
  pm::Gauge& sync_last_success;
  pm::Gauge& sync_campaigns;

  // Account health.
  pm::Family<pm::Gauge>& account_verdicts;       // {verdict}
  pm::Gauge& account_last_check;
};

}  // namespace detail

/// The observer that counts events into `families` (metrics_observer.cpp).
std::shared_ptr<Observer> make_metrics_observer(std::shared_ptr<detail::Families> families);

/// The buckets of the request and call duration histograms.
const pm::Histogram::BucketBoundaries& call_buckets();

/// Seconds since the Unix epoch, now: what the *_timestamp_seconds gauges hold.
double unix_seconds_now();

}  // namespace instantly::prometheus
