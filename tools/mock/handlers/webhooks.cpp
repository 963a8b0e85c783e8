// Webhook subscriptions (tag Webhook). Deliveries themselves are the
// dispatcher's job (webhook_dispatcher.cpp); a subscription only says where,
// for which events and campaign, and with which extra headers.
#include <cctype>

#include "handlers/handlers.hpp"
#include "handlers/webhook_handlers.hpp"
#include "handlers/webhook_matching.hpp"
#include "http_error.hpp"
#include "webhook_dispatcher.hpp"

namespace instantly::mock {

namespace {

Json& find_webhook(State& state, const std::string& id) {
  Json* webhook = state.collection(collections::kWebhooks).find(id);
  if (!webhook) not_found("webhook", id);
  return *webhook;
}

/// A null event type means "everything", as all_events does; stored explicitly.
Json normalized_event_type(const Json* requested) {
  if (!requested || requested->is_null()) return "all_events";
  return *requested;
}

/// Copies the writable fields present in `body` onto `webhook`.
void apply_fields(Json& webhook, const Json& body) {
  for (const char* key : {"campaign", "name", "target_hook_url", "custom_interest_value", "headers"}) {
    if (const Json* value = body.find(key)) webhook.set(key, *value);
  }
  if (body.contains("event_type")) webhook.set("event_type", normalized_event_type(body.find("event_type")));
}

Reply create_webhook(const Call& call, State& state) {
  std::string id = state.new_id();
  Json webhook = Json::object({{"id", id},
                               {"organization", state.workspace().at("id")},
                               {"campaign", nullptr},
                               {"name", nullptr},
                               {"target_hook_url", ""},
                               {"event_type", "all_events"},
                               {"custom_interest_value", nullptr},
                               {"headers", nullptr},
                               {"timestamp_created", state.now_iso()},
                               {"status", 1},
                               {"timestamp_error", nullptr}});
  apply_fields(webhook, call.body_or_empty());
  return Reply::json(state.collection(collections::kWebhooks).put(std::move(id), std::move(webhook)));
}

Reply list_webhooks(const Call& call, State& state) {
  auto campaign = call.query_value("campaign");
  auto event_type = call.query_value("event_type");
  auto keep = [&](const Json& webhook) {
    if (campaign) {
      const Json* value = webhook.find("campaign");
      if (!value || !value->is_string() || value->as_string() != *campaign) return false;
    }
    if (event_type) {
      const Json* value = webhook.find("event_type");
      if (!value || !value->is_string() || value->as_string() != *event_type) return false;
    }
    return true;
  };
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  return Reply::json(state.collection(collections::kWebhooks).page(request, keep));
}

/// Standard types first, then the workspace's custom lead labels, which
/// arrive in payloads under their own label (all_events subscribers only).
Reply list_event_types(const Call&, State& state) {
  Json types = Json::array();
  for (std::string_view type : kWebhookEventTypes) {
    std::string label(type);
    for (auto& c : label) c = c == '_' ? ' ' : c;
    for (std::size_t i = 0; i < label.size(); ++i) {
      if (i == 0 || label[i - 1] == ' ') label[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[i])));
    }
    types.push_back(Json::object({{"id", type}, {"label", label}, {"type", "standard"}}));
  }
  for (const auto& [id, label] : state.collection(collections::kLeadLabels).records()) {
    const Json* name = label.find("label");
    if (!name || !name->is_string()) continue;
    types.push_back(Json::object({{"id", id}, {"label", *name}, {"type", "custom"}}));
  }
  return Reply::json(Json::object({{"event_types", std::move(types)}}));
}

/// The sample event a test sends: shaped like a real one of the subscribed type.
Json test_payload(State& state, const Json& webhook) {
  const Json* campaign = webhook.find("campaign");
  return Json::object({{"timestamp", state.now_iso()},
                       {"event_type", payload_type_for(webhook.at("event_type"))},
                       {"workspace", state.workspace().at("id")},
                       {"campaign_id", campaign && campaign->is_string() ? *campaign : Json("00000000-0000-0000-0000-000000000000")},
                       {"campaign_name", "Webhook test"},
                       {"lead_email", "test.lead@example.com"},
                       {"email_account", "sender@example.com"},
                       {"is_test", true}});
}

}  // namespace

void register_webhook_handlers(Router& api, AdminRouter& admin, WebhookDispatcher& dispatcher) {
  api.on("createWebhook", create_webhook);
  api.on("listWebhook", list_webhooks);
  api.on("listWebhookEventTypes", list_event_types);

  api.on("getWebhook", [](const Call& call, State& state) { return Reply::json(find_webhook(state, call.param("id"))); });

  api.on("patchWebhook", [](const Call& call, State& state) {
    Json& webhook = find_webhook(state, call.param("id"));
    apply_fields(webhook, call.body_or_empty());
    return Reply::json(webhook);
  });

  api.on("deleteWebhook", [](const Call& call, State& state) {
    Json removed = find_webhook(state, call.param("id"));
    state.collection(collections::kWebhooks).erase(call.param("id"));
    return Reply::json(std::move(removed));
  });

  // Queued, not awaited: the handler holds the state lock the delivery needs.
  // The outcome shows up in GET /webhook-events and /__mock/webhooks/deliveries.
  api.on("testWebhook", [&dispatcher](const Call& call, State& state) {
    const Json& webhook = find_webhook(state, call.param("id"));
    dispatcher.enqueue_for(call.param("id"), test_payload(state, webhook));
    return Reply::json(Json::object(
        {{"success", true}, {"message", "Test event queued for delivery to " + webhook.at("target_hook_url").as_string()}}));
  });

  api.on("resumeWebhook", [](const Call& call, State& state) {
    Json& webhook = find_webhook(state, call.param("id"));
    webhook.set("status", 1);
    webhook.set("timestamp_error", nullptr);
    return Reply::json(webhook);
  });

  register_webhook_event_handlers(api);
  register_webhook_admin_routes(admin, dispatcher);
}

}  // namespace instantly::mock
