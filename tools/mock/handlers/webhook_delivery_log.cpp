#include "handlers/webhook_delivery_log.hpp"

#include <map>
#include <utility>

namespace instantly::mock {

namespace {

Json string_or_null(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  return value && value->is_string() ? *value : Json();
}

bool true_member(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  return value && value->is_bool() && value->as_bool();
}

/// The attempt as the API's webhook event (GET /api/v2/webhook-events).
void record_webhook_event(State& state, const DeliveryAttempt& a, const std::string& id, std::int64_t now,
                          const Json& payload, const Json& status) {
  const bool success = a.error.empty();
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
}

}  // namespace

std::string record_delivery_attempt(State& state, const DeliveryAttempt& a) {
  const bool success = a.error.empty();
  const Json& payload = a.payload ? *a.payload : Json::object();
  std::int64_t now = state.now_ms();
  Json status = a.status_code ? Json(*a.status_code) : Json();
  // A replay is the mock's own late delivery: not a webhook event of the API.
  std::string id = a.replay ? std::string() : state.new_id();
  if (!a.replay) record_webhook_event(state, a, id, now, payload, status);

  std::string log_id = state.new_id();
  Json entry = Json::object({{"id", log_id},
                             {"webhook_event_id", id.empty() ? Json() : Json(id)},
                             {"webhook_id", a.webhook_id},
                             {"group_id", a.group_id},
                             {"url", a.url},
                             {"event_type", string_or_null(payload, "event_type")},
                             {"attempt", a.attempt},
                             {"test", a.test},
                             {"replay", a.replay},
                             {"skipped", false},
                             {"success", success},
                             {"will_retry", a.next_retry_unix_ms.has_value()},
                             {"status_code", status},
                             {"error", success ? Json() : Json(a.error)},
                             {"headers", a.headers_sent},
                             {"payload", payload},
                             {"response_time_ms", a.response_time_ms},
                             {"timestamp", State::iso8601(now)}});
  state.collection(kWebhookDeliveries).put(std::move(log_id), std::move(entry));
  return id;
}

void record_skipped_delivery(State& state, const SkippedDelivery& s) {
  const Json& payload = s.payload ? *s.payload : Json::object();
  std::string log_id = state.new_id();
  Json entry = Json::object({{"id", log_id},
                             {"webhook_event_id", Json()},
                             {"webhook_id", s.webhook_id},
                             {"group_id", s.group_id},
                             {"url", s.url},
                             {"event_type", string_or_null(payload, "event_type")},
                             {"attempt", s.attempt},
                             {"test", false},
                             {"replay", false},
                             {"skipped", true},
                             {"success", false},
                             {"will_retry", false},
                             {"status_code", Json()},
                             {"error", "subscription disabled"},
                             {"headers", Json::object()},  // nothing was sent
                             {"payload", payload},
                             {"response_time_ms", 0},
                             {"timestamp", state.now_iso()}});
  state.collection(kWebhookDeliveries).put(std::move(log_id), std::move(entry));
}

std::vector<MissedDelivery> missed_deliveries(State& state, std::string_view webhook_id) {
  // Each group's last entry (its outcome so far), and the groups in the order of their first entry.
  std::vector<std::string> order;
  std::map<std::string, const Json*, std::less<>> last;
  for (const auto& [id, entry] : state.collection(kWebhookDeliveries).records()) {
    const Json* webhook = entry.find("webhook_id");
    if (!webhook || !webhook->is_string() || webhook->as_string() != webhook_id) continue;
    if (true_member(entry, "test")) continue;
    const Json* group = entry.find("group_id");
    if (!group || !group->is_string()) continue;
    auto [it, added] = last.try_emplace(group->as_string(), &entry);
    if (added) order.push_back(group->as_string());
    else it->second = &entry;
  }
  std::vector<MissedDelivery> missed;
  for (const auto& group : order) {
    const Json& outcome = *last.at(group);
    // Delivered (first time, on a retry or by an earlier replay), or retries still to come.
    if (true_member(outcome, "success") || true_member(outcome, "will_retry")) continue;
    missed.push_back({group, outcome.at("payload")});
  }
  return missed;
}

void settle_retry_group(State& state, const std::vector<std::string>& event_ids, bool succeeded, bool retry_planned) {
  if (event_ids.size() < 2 && !retry_planned) return;  // never retried: nothing to settle
  auto& events = state.collection(collections::kWebhookEvents);
  for (const auto& id : event_ids) {
    if (Json* event = events.find(id)) event->set("retry_successful", succeeded);
  }
}

}  // namespace instantly::mock
