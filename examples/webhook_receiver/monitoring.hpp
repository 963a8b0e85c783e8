// What the receiver tells its operator: each delivery as a workflow event
// (instantly/observer.hpp), which becomes a log line when INSTANTLY_LOG is set
// and counts in GET /metrics when the prometheus component was built; and the
// receiver's state (queue, backlog, readiness) as gauges there.
#pragma once

#include <instantly/observer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace instantly::prometheus {
class Metrics;
}

namespace webhook_receiver {

/// The figures of /readyz, also published as gauges.
struct ReceiverState {
  std::int64_t waiting = 0;      ///< deliveries in the spool, not yet in the store
  std::int64_t spool_bytes = 0;  ///< the spool's size on disk
  /// Stored events not yet folded into the engagement; unknown while the store is down.
  std::optional<std::int64_t> unapplied;
  bool store_writable = false;
  bool ready = false;
};

class Monitoring {
 public:
  Monitoring();

  /// One step of a delivery: "delivery_received", "delivery_verified", the
  /// answer ("delivery_accepted", or "delivery_refused" with a reason) with the
  /// time from its arrival, and the forwarder's "delivery_stored",
  /// "delivery_duplicate", "delivery_unparsed"; "spool_nearly_full". Never throws.
  void delivery(std::string_view action, std::string_view reason = {},
                std::chrono::nanoseconds since_arrival = {}) const noexcept;

  void publish(const ReceiverState& state) const;

  /// The Prometheus text of every metric; nothing when built without the prometheus component.
  std::optional<std::string> metrics_text() const;

 private:
  std::shared_ptr<instantly::prometheus::Metrics> metrics_;  // null without the component
  std::shared_ptr<instantly::Observer> observer_;            // null when nobody listens
};

}  // namespace webhook_receiver
