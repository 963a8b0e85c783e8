// The record of every webhook delivery attempt, kept twice: as the API's
// webhook events (GET /api/v2/webhook-events, strictly the spec's shape) and
// as the mock's own delivery log (GET /__mock/webhooks/deliveries), which
// also names the subscription and the headers that went on the wire.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock {

/// The mock's delivery log; records keyed by creation-ordered id.
inline constexpr std::string_view kWebhookDeliveries = "webhook_deliveries";

struct DeliveryAttempt {
  std::string webhook_id;
  std::string url;
  const Json* payload = nullptr;
  int attempt = 1;                   ///< 1 = first try
  std::string group_id;              ///< shared by all attempts of one delivery
  bool test = false;                 ///< POST /webhooks/{id}/test
  Json headers_sent;                 ///< object: every header we set
  std::optional<int> status_code;    ///< none when the request never got an answer
  std::string error;                 ///< empty on success
  double response_time_ms = 0;
  std::optional<std::int64_t> next_retry_unix_ms;  ///< set when another attempt follows
};

/// Stores one attempt (state lock held); returns the webhook event's id.
std::string record_delivery_attempt(State& state, const DeliveryAttempt& attempt);

/// Once a retried delivery ends, marks every attempt of it with the outcome
/// (`retry_successful`). State lock held.
void settle_retry_group(State& state, const std::vector<std::string>& event_ids, bool succeeded);

}  // namespace instantly::mock
