// Admin controls for webhooks: inject any payload, wait for deliveries to
// settle, see exactly what went on the wire (and what a disabled subscription
// skipped), hold deliveries, and replay what a subscription missed.
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
  // deliveries or retries are still pending at the deadline, and 409 while
  // deliveries are paused (held deliveries would never settle).
  admin.on("POST", "/webhooks/flush", [&dispatcher](const Call& call, State&) {
    double timeout_ms = 5000;
    if (const Json* value = call.field("timeout_ms")) {
      if (!value->is_number() || value->as_double() < 0) bad_request("timeout_ms must be a non-negative number");
      timeout_ms = value->as_double();
    }
    auto refuse_while_paused = [&dispatcher] {
      auto pause = dispatcher.pause_state();
      if (!pause.paused) return;
      throw HttpError(409, "webhook deliveries are paused (" + std::to_string(pause.held) +
                               " held): release them with POST /__mock/webhooks/pause {\"paused\": false} before flushing");
    };
    refuse_while_paused();
    bool idle = dispatcher.wait_idle(std::chrono::milliseconds(static_cast<std::int64_t>(timeout_ms)));
    if (!idle) refuse_while_paused();  // paused while we waited
    return Reply::json(Json::object({{"idle", idle}}));
  });

  // Body: {"paused": true} holds every delivery (first attempts, retries,
  // tests, replays: nothing is sent or logged; an attempt already on the wire
  // ends first); {"paused": false} releases them in order.
  // Both routes answer {"paused": bool, "held": n}.
  auto pause_json = [&dispatcher] {
    auto pause = dispatcher.pause_state();
    return Json::object({{"paused", pause.paused}, {"held", static_cast<std::int64_t>(pause.held)}});
  };
  admin.on("GET", "/webhooks/pause", [pause_json](const Call&, State&) { return Reply::json(pause_json()); });
  admin.on("POST", "/webhooks/pause", [&dispatcher, pause_json](const Call& call, State&) {
    const Json* paused = call.field("paused");
    if (!paused || !paused->is_bool()) bad_request("paused must be true or false");
    dispatcher.set_paused(paused->as_bool());
    return Reply::json(pause_json());
  });

  // Body: {"webhook_id": "..."}. Queues one more attempt, in the original
  // order, of every payload whose delivery to that subscription did not
  // succeed (failed after every retry, or skipped while it was disabled),
  // whatever its status now; no retries, logged here with "replay": true and
  // not as webhook events. Answers {"replayed": n} once queued; flush waits
  // for them.
  admin.on("POST", "/webhooks/replay", [&dispatcher](const Call& call, State& state) {
    const Json* id = call.field("webhook_id");
    if (!id || !id->is_string() || id->as_string().empty()) bad_request("webhook_id must be a webhook's id");
    {
      auto lock = state.lock();
      if (!state.collection(collections::kWebhooks).find(id->as_string())) not_found("webhook", id->as_string());
    }
    std::size_t replayed = dispatcher.replay(id->as_string());
    return Reply::json(Json::object({{"replayed", static_cast<std::int64_t>(replayed)}}));
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

  // Every attempt in order (replays included): {"deliveries": [{"webhook_id",
  // "group_id", "url", "event_type", "attempt", "success", "will_retry",
  // "skipped", "replay", "status_code", "error", "headers", "payload", ...}]}.
  // Query `webhook_id` narrows it to one subscription; `include_skipped=true`
  // adds, in their place, the payloads a disabled subscription skipped
  // ("skipped": true; they never went on the wire, so they are left out by
  // default, where every entry is an attempt).
  admin.on("GET", "/webhooks/deliveries", [](const Call& call, State& state) {
    auto only = call.query_value("webhook_id");
    auto include_skipped = call.query_value("include_skipped");
    if (include_skipped && *include_skipped != "true" && *include_skipped != "false") {
      bad_request("include_skipped must be true or false");
    }
    const bool with_skipped = include_skipped && *include_skipped == "true";
    auto lock = state.lock();
    Json deliveries = Json::array();
    for (const auto& [id, entry] : state.collection(kWebhookDeliveries).records()) {
      if (only && entry.at("webhook_id").as_string() != *only) continue;
      if (!with_skipped) {
        const Json* skipped = entry.find("skipped");
        if (skipped && skipped->is_bool() && skipped->as_bool()) continue;
      }
      deliveries.push_back(entry);
    }
    return Reply::json(Json::object({{"deliveries", std::move(deliveries)}}));
  });
}

}  // namespace instantly::mock
