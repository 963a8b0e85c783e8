// Admin controls for webhooks: inject any payload, wait for deliveries to
// settle, and see exactly what went on the wire.
#include "handlers/webhook_delivery_log.hpp"
#include "handlers/webhook_handlers.hpp"
#include "http_error.hpp"
#include "webhook_dispatcher.hpp"

namespace instantly::mock {

void register_webhook_admin_routes(AdminRouter& admin, WebhookDispatcher& dispatcher) {
  // Body: the payload itself, delivered verbatim to every matching active
  // subscription, e.g. {"event_type": "reply_received", "timestamp": "...",
  // "campaign_id": "...", "lead_email": "..."}; custom labels are allowed.
  admin.on("POST", "/webhooks/emit", [](const Call& call, State& state) {
    if (!call.body || !call.body->is_object()) bad_request("the body must be the webhook payload (a JSON object)");
    const Json* type = call.body->find("event_type");
    if (!type || !type->is_string() || type->as_string().empty()) bad_request("the payload needs an event_type string");
    auto lock = state.lock();
    state.publish(*call.body);
    return Reply::json(Json::object({{"queued", true}}));
  });

  // Body: {"timeout_ms": 5000} (the default). Answers {"idle": false} when
  // deliveries or retries are still pending at the deadline.
  admin.on("POST", "/webhooks/flush", [&dispatcher](const Call& call, State&) {
    double timeout_ms = 5000;
    if (const Json* value = call.field("timeout_ms")) {
      if (!value->is_number() || value->as_double() < 0) bad_request("timeout_ms must be a non-negative number");
      timeout_ms = value->as_double();
    }
    bool idle = dispatcher.wait_idle(std::chrono::milliseconds(static_cast<std::int64_t>(timeout_ms)));
    return Reply::json(Json::object({{"idle", idle}}));
  });

  // Body: {"delays_ms": [50, 100, 150]}: the waits before each retry from now
  // on ([] = a single attempt, then the subscription is disabled).
  admin.on("POST", "/webhooks/retry-delays", [&dispatcher](const Call& call, State&) {
    const Json* delays = call.field("delays_ms");
    if (!delays || !delays->is_array()) bad_request("delays_ms must be an array of milliseconds");
    std::vector<int> values;
    for (const auto& delay : delays->as_array()) {
      if (!delay.is_int() || delay.as_int() < 0 || delay.as_int() > 3'600'000) {
        bad_request("each delay must be an integer from 0 to 3600000 ms");
      }
      values.push_back(static_cast<int>(delay.as_int()));
    }
    dispatcher.set_retry_delays(std::move(values));
    return Reply::json(Json::object({{"delays_ms", *delays}}));
  });

  // Every attempt in order: {"deliveries": [{"webhook_id", "url", "event_type",
  // "attempt", "success", "status_code", "error", "headers", "payload", ...}]}.
  // Query `webhook_id` narrows it to one subscription.
  admin.on("GET", "/webhooks/deliveries", [](const Call& call, State& state) {
    auto only = call.query_value("webhook_id");
    auto lock = state.lock();
    Json deliveries = Json::array();
    for (const auto& [id, entry] : state.collection(kWebhookDeliveries).records()) {
      if (only && entry.at("webhook_id").as_string() != *only) continue;
      deliveries.push_back(entry);
    }
    return Reply::json(Json::object({{"deliveries", std::move(deliveries)}}));
  });
}

}  // namespace instantly::mock
