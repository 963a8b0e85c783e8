#include "monitoring.hpp"

#include <instantly/log.hpp>

#ifdef WEBHOOK_RECEIVER_HAVE_PROMETHEUS
#include <instantly/prometheus.hpp>
#endif

#include <iostream>
#include <vector>

namespace webhook_receiver {

Monitoring::Monitoring() {
  std::vector<std::shared_ptr<instantly::Observer>> observers;
  observers.push_back(instantly::make_logging_observer(instantly::default_logger()));  // null unless INSTANTLY_LOG
#ifdef WEBHOOK_RECEIVER_HAVE_PROMETHEUS
  metrics_ = std::make_shared<instantly::prometheus::Metrics>();
  observers.push_back(metrics_->observer());
#endif
  observer_ = instantly::combine_observers(std::move(observers));
}

void Monitoring::delivery(std::string_view action, std::string_view reason,
                          std::chrono::nanoseconds since_arrival) const noexcept {
  try {
    observer_->on_workflow(
        {.workflow = "webhook", .action = action, .reason = reason, .items = 1, .duration = since_arrival});
  } catch (const std::exception& e) {
    // A log line that could not be written must not cost Instantly its answer.
    std::cerr << "webhook_receiver: reporting a delivery failed: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "webhook_receiver: reporting a delivery failed\n";
  }
}

void Monitoring::publish([[maybe_unused]] const ReceiverState& state) const {
#ifdef WEBHOOK_RECEIVER_HAVE_PROMETHEUS
  metrics_->set_webhook_queue_depth(state.waiting);
  metrics_->set_webhook_spool_bytes(state.spool_bytes);
  if (state.unapplied) metrics_->set_webhook_unapplied_events(*state.unapplied);
  metrics_->set_webhook_ready(state.ready);
#endif
}

std::optional<std::string> Monitoring::metrics_text() const {
  if (!metrics_) return std::nullopt;
#ifdef WEBHOOK_RECEIVER_HAVE_PROMETHEUS
  return metrics_->text();
#else
  return std::nullopt;
#endif
}

}  // namespace webhook_receiver
