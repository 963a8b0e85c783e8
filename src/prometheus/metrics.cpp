#include "instantly/prometheus.hpp"

#include <prometheus/text_serializer.h>

#include "prometheus/families.hpp"

namespace instantly::prometheus {

Metrics::Metrics() : families_(std::make_shared<detail::Families>()) {}
Metrics::~Metrics() = default;

std::shared_ptr<Observer> Metrics::observer() const { return make_metrics_observer(families_); }

void Metrics::set_webhook_queue_depth(std::int64_t deliveries) {
  families_->webhook().queue_depth.Set(static_cast<double>(deliveries));
}

void Metrics::set_webhook_spool_bytes(std::int64_t bytes) {
  families_->webhook().spool_bytes.Set(static_cast<double>(bytes));
}

void Metrics::set_webhook_unapplied_events(std::int64_t events) {
  families_->webhook().unapplied.Set(static_cast<double>(events));
}

void Metrics::set_webhook_ready(bool ready) { families_->webhook().ready.Set(ready ? 1 : 0); }

void Metrics::set_account_health(const AccountVerdicts& verdicts) {
  detail::HealthFamilies& health = families_->health();
  health.accounts.Add({{"verdict", "ok"}}).Set(static_cast<double>(verdicts.ok));
  health.accounts.Add({{"verdict", "warning"}}).Set(static_cast<double>(verdicts.warning));
  health.accounts.Add({{"verdict", "critical"}}).Set(static_cast<double>(verdicts.critical));
  health.last_check.Set(unix_seconds_now());
}

std::string Metrics::text() const { return pm::TextSerializer().Serialize(families_->registry->Collect()); }

}  // namespace instantly::prometheus
