// The observer behind Metrics::observer(): each event of a client or a
// workflow becomes counts in the families (families.hpp).
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/prometheus.hpp"
#include "prometheus/families.hpp"

namespace instantly::prometheus {
namespace {

using detail::Families;

double seconds(std::chrono::nanoseconds duration) { return std::chrono::duration<double>(duration).count(); }

// A raw request on an undocumented path has no operation id: its template
// ("(unmatched)") names it, so the label stays one bounded value.
std::string operation_label(const CallName& call) {
  return std::string(call.operation.empty() ? call.path_template : call.operation);
}

class MetricsObserver final : public Observer {
 public:
  explicit MetricsObserver(std::shared_ptr<Families> families) : m_(std::move(families)) {}

  void on_attempt(const AttemptEvent& event) override {
    const std::string operation = operation_label(event.call);
    const std::string status = event.status ? std::to_string(*event.status) : std::string(event.failure);
    m_->requests.Add({{"operation", operation}, {"method", std::string(event.call.method)}, {"status", status}})
        .Increment();
    m_->request_duration.Add({{"operation", operation}}, call_buckets()).Observe(seconds(event.duration));
    if (event.status == 429) m_->rate_limited.Add({{"operation", operation}}).Increment();
  }

  void on_retry(const RetryEvent& event) override {
    m_->retries.Add({{"operation", operation_label(event.call)}, {"reason", to_string(event.reason)}}).Increment();
  }

  void on_rate_limit_wait(const RateLimitWaitEvent& event) override {
    m_->rate_limit_wait.Add({{"bucket", std::string(event.bucket)}}).Increment(seconds(event.waited));
  }

  void on_call_succeeded(const CallSucceededEvent& event) override {
    const std::string operation = operation_label(event.call);
    m_->calls.Add({{"operation", operation}, {"outcome", "succeeded"}}).Increment();
    m_->call_duration.Add({{"operation", operation}}, call_buckets()).Observe(seconds(event.elapsed));
  }

  void on_call_failed(const CallFailedEvent& event) override {
    const std::string operation = operation_label(event.call);
    m_->calls.Add({{"operation", operation}, {"outcome", "failed"}}).Increment();
    m_->call_failures.Add({{"operation", operation}, {"error_type", std::string(event.error_type)}}).Increment();
    if (event.attempts > 0) {  // a request refused before sending took no time worth a bucket
      m_->call_duration.Add({{"operation", operation}}, call_buckets()).Observe(seconds(event.elapsed));
    }
  }

  void on_workflow(const WorkflowEvent& event) override {
    const pm::Labels labels{{"workflow", std::string(event.workflow)}, {"action", std::string(event.action)}};
    m_->workflow_events.Add(labels).Increment();
    if (event.items > 0) m_->workflow_items.Add(labels).Increment(static_cast<double>(event.items));
    if (event.workflow == "webhook") {
      webhook(event);
    } else if (event.workflow == "analytics_sync") {
      analytics_sync(event);
    }
  }

 private:
  // Actions of the receivers: delivery_received, then delivery_refused (with a
  // reason) or delivery_verified and delivery_accepted; the answering action
  // carries the acknowledgement's latency. Later, from the spool's forwarder:
  // delivery_stored, delivery_duplicate or delivery_unparsed.
  void webhook(const WorkflowEvent& event) {
    detail::WebhookFamilies& webhook = m_->webhook();
    if (event.action == "delivery_received") {
      webhook.received.Increment();
    } else if (event.action == "delivery_accepted") {
      webhook.ack.Observe(seconds(event.duration));
    } else if (event.action == "delivery_refused") {
      webhook.refused.Add({{"reason", std::string(event.reason)}}).Increment();
      webhook.ack.Observe(seconds(event.duration));
    } else if (event.action == "delivery_stored") {
      webhook.stored.Increment();
    } else if (event.action == "delivery_duplicate") {
      webhook.duplicated.Increment();
    } else if (event.action == "delivery_unparsed") {
      webhook.unparsed.Increment();
    }
  }

  void analytics_sync(const WorkflowEvent& event) {
    if (event.action == "run_finished") {
      detail::SyncFamilies& sync = m_->sync();
      sync.runs.Add({{"outcome", "finished"}}).Increment();
      sync.last_success.Set(unix_seconds_now());
      sync.campaigns.Set(static_cast<double>(event.items));
    } else if (event.action == "run_failed") {
      m_->sync().runs.Add({{"outcome", "failed"}}).Increment();
    }
  }

  std::shared_ptr<Families> m_;
};

}  // namespace

std::shared_ptr<Observer> make_metrics_observer(std::shared_ptr<detail::Families> families) {
  return std::make_shared<MetricsObserver>(std::move(families));
}

}  // namespace instantly::prometheus
