#include "handlers/webhook_delivery_log.hpp"

namespace instantly::mock {

namespace {

Json string_or_null(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  return value && value->is_string() ? *value : Json();
}

}  // namespace

std::string record_delivery_attempt(State& state, const DeliveryAttempt& a) {
  const bool success = a.error.empty();
  const Json& payload = a.payload ? *a.payload : Json::object();
  std::int64_t now = state.now_ms();
  std::string id = state.new_id();
  Json status = a.status_code ? Json(*a.status_code) : Json();
  Json event = Json::object({{"id", id},
                             {"timestamp_created", State::iso8601(now)},
                             {"timestamp_created_date", State::date_of(now)},
                             {"organization_id", state.workspace().at("id")},
                             {"payload", payload.is_object() ? payload : Json::object()},
                             {"success", success},
                             {"retry_count", a.attempt - 1},
                             {"will_retry", a.next_retry_unix_ms.has_value()},
                             {"webhook_url", a.url},
                             {"status_code", status},
                             {"error_message", success ? Json() : Json(a.error)},
                             {"timestamp_next_retry", a.next_retry_unix_ms ? Json(State::iso8601(*a.next_retry_unix_ms)) : Json()},
                             {"retry_group_id", a.group_id},
                             {"retry_successful", Json()},
                             {"lead_email", string_or_null(payload, "lead_email")},
                             {"response_time_ms", a.response_time_ms}});
  state.collection(collections::kWebhookEvents).put(id, std::move(event));

  std::string log_id = state.new_id();
  Json entry = Json::object({{"id", log_id},
                             {"webhook_event_id", id},
                             {"webhook_id", a.webhook_id},
                             {"url", a.url},
                             {"event_type", string_or_null(payload, "event_type")},
                             {"attempt", a.attempt},
                             {"test", a.test},
                             {"success", success},
                             {"status_code", status},
                             {"error", success ? Json() : Json(a.error)},
                             {"headers", a.headers_sent},
                             {"payload", payload},
                             {"response_time_ms", a.response_time_ms},
                             {"timestamp", State::iso8601(now)}});
  state.collection(kWebhookDeliveries).put(std::move(log_id), std::move(entry));
  return id;
}

void settle_retry_group(State& state, const std::vector<std::string>& event_ids, bool succeeded) {
  if (event_ids.size() < 2) return;  // never retried: nothing to settle
  auto& events = state.collection(collections::kWebhookEvents);
  for (const auto& id : event_ids) {
    if (Json* event = events.find(id)) event->set("retry_successful", succeeded);
  }
}

}  // namespace instantly::mock
