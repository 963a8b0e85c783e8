// instantly::prometheus: what a client, a webhook receiver and the workflows
// did, as Prometheus metrics (the optional `prometheus` component; links
// prometheus-cpp's core, never a web server of its own).
//
//   auto metrics = std::make_shared<instantly::prometheus::Metrics>();
//   instantly::Client client({.api_key = key, .observer = metrics->observer()});
//   ...
//   // in your HTTP server's GET /metrics:
//   response.set_content(metrics->text(), instantly::prometheus::kContentType);
//
// The observer counts every attempt, retry, rate-limit wait and call of the
// clients it is given to, and the workflow events (lead import chunks,
// analytics sync runs, webhook deliveries) reported through it. Receivers and
// monitors set the figures that are states, not events (queue depth, account
// verdicts) with the setters below. Every name and label is listed in
// docs/observability.md; labels are bounded sets (operation ids, path
// templates, statuses, reasons), never ids, messages, keys or bodies.
//
// Thread-safety: every member may be called from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "instantly/observer.hpp"

namespace instantly::prometheus {

namespace detail {
struct Families;  // the registered metric families (src/prometheus/families.hpp)
}

/// The Content-Type of `Metrics::text()`: Prometheus' text exposition format 0.0.4.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

/// How many sending accounts the last health check put under each verdict.
struct AccountVerdicts {
  std::int64_t ok = 0;
  std::int64_t warning = 0;
  std::int64_t critical = 0;
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// Counts the events of every client (`ClientOptions::observer`) and
  /// workflow it is handed to; combine it with an observer of your own with
  /// `instantly::combine_observers`. It stays valid after `*this` is gone.
  std::shared_ptr<Observer> observer() const;

  /// Webhook receiver states: deliveries in the spool not yet in the store, the
  /// spool's bytes on disk, stored events not yet folded into the engagement,
  /// and whether /readyz says ready.
  void set_webhook_queue_depth(std::int64_t deliveries);
  void set_webhook_spool_bytes(std::int64_t bytes);
  void set_webhook_unapplied_events(std::int64_t events);
  void set_webhook_ready(bool ready);

  /// The verdicts of an account-health check that just finished, and its time.
  void set_account_health(const AccountVerdicts& verdicts);

  /// Every metric in the text exposition format (see kContentType).
  std::string text() const;

 private:
  std::shared_ptr<detail::Families> families_;
};

}  // namespace instantly::prometheus
