// The record of every webhook delivery attempt, kept twice: as the API's
// webhook events (GET /api/v2/webhook-events, strictly the spec's shape) and
// as the mock's own delivery log (GET /__mock/webhooks/deliveries), which
// also names the subscription and the headers that went on the wire.
//
// Two kinds of entry are in the mock's log only: payloads skipped because the
// subscription was disabled (`skipped: true`; real Instantly never delivers
// them), and late replays (`replay: true`, POST /__mock/webhooks/replay).
//
// A log entry: {"id", "webhook_event_id" (null for skipped and replayed
// entries), "webhook_id", "group_id" (shared by every attempt, skip and replay
// of one payload to one subscription), "url", "event_type", "attempt", "test",
// "replay", "skipped", "success", "will_retry", "status_code", "error",
// "headers", "payload", "response_time_ms", "timestamp"}.
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
  bool replay = false;               ///< POST /__mock/webhooks/replay: the mock's log only
  Json headers_sent;                 ///< object: every header we set
  std::optional<int> status_code;    ///< none when the request never got an answer
  std::string error;                 ///< empty on success
  double response_time_ms = 0;
  std::optional<std::int64_t> next_retry_unix_ms;  ///< set when another attempt follows
};

/// Stores one attempt (state lock held); returns the webhook event's id
/// ("" for a replay, which is not a webhook event).
std::string record_delivery_attempt(State& state, const DeliveryAttempt& attempt);

/// A payload not delivered because the subscription is disabled: logged in
/// the mock's log only, as `skipped` (state lock held).
struct SkippedDelivery {
  std::string webhook_id;
  std::string url;
  const Json* payload = nullptr;
  int attempt = 1;  ///< the attempt that would have been made
  std::string group_id;
};
void record_skipped_delivery(State& state, const SkippedDelivery& skipped);

/// A payload to send again to one subscription: its group and what was sent.
struct MissedDelivery {
  std::string group_id;
  Json payload;
};

/// The payloads whose delivery to `webhook_id` did not succeed, in the order
/// they were first attempted (or skipped): groups whose last entry is a skip,
/// a failure with no retry to come, or a failed replay. Test deliveries and
/// groups still retrying are left out. State lock held.
std::vector<MissedDelivery> missed_deliveries(State& state, std::string_view webhook_id);

/// Once a retried delivery ends, marks every attempt of it with the outcome
/// (`retry_successful`); a single attempt is left unmarked unless it had a
/// retry planned (`retry_planned`: the retry was skipped). State lock held.
void settle_retry_group(State& state, const std::vector<std::string>& event_ids, bool succeeded,
                        bool retry_planned = false);

}  // namespace instantly::mock
