// Instantly's webhook endpoints in memory, for unit tests of subscribe and
// watch_subscriptions: GET/POST /webhooks, PATCH /webhooks/{id},
// POST /webhooks/{id}/resume and GET /webhook-events (the log as the test sets
// it). Filters as the API documents them; everything else answers 404.
//
//   auto api = std::make_shared<FakeWebhookApi>();
//   api->add_webhook(Json::object({{"target_hook_url", "https://x"}, {"status", -1}}));
//   Client client = client_over(api->transport());
#pragma once

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instantly/json.hpp"
#include "support/fake_transport.hpp"

namespace instantly::testing {

class FakeWebhookApi : public std::enable_shared_from_this<FakeWebhookApi> {
 public:
  /// Adds a subscription; id, organization, event type, status and creation time are
  /// filled in when absent. Returns its id.
  std::string add_webhook(Json webhook) {
    std::lock_guard lock(mutex_);
    return add_locked(std::move(webhook));
  }
  /// Adds a delivery-log entry (a webhook event); id and the date are filled in when absent.
  void add_event(Json event) {
    std::lock_guard lock(mutex_);
    if (!event.contains("id")) event.set("id", "ev-" + std::to_string(events_.size() + 1));
    if (!event.contains("timestamp_created_date")) {
      event.set("timestamp_created_date", event.at("timestamp_created").as_string().substr(0, 10));
    }
    for (const char* key : {"organization_id", "webhook_url"}) {
      if (!event.contains(key)) event.set(key, "");
    }
    if (!event.contains("retry_count")) event.set("retry_count", 0);
    if (!event.contains("will_retry")) event.set("will_retry", false);
    events_.push_back(std::move(event));
  }
  /// The next `times` requests whose path starts with `path` answer `status`.
  void fail(std::string path, int status, int times = 1) {
    std::lock_guard lock(mutex_);
    failures_.push_back({std::move(path), status, times});
  }
  std::vector<Json> webhooks() const {
    std::lock_guard lock(mutex_);
    return webhooks_;
  }
  /// "METHOD /path?query" of every request, in order.
  std::vector<std::string> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::shared_ptr<FakeTransport> transport() {
    return std::make_shared<FakeTransport>(
        [self = shared_from_this()](const HttpRequest& request) { return self->answer(request); });
  }

 private:
  struct Failure {
    std::string path;
    int status;
    int times;
  };

  static std::string percent_decoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::strtol(text.substr(i + 1, 2).c_str(), nullptr, 16));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  }

  static std::map<std::string, std::string> query_of(const std::string& query) {
    std::map<std::string, std::string> values;
    std::size_t start = 0;
    while (start < query.size()) {
      std::size_t end = query.find('&', start);
      if (end == std::string::npos) end = query.size();
      const std::string part = query.substr(start, end - start);
      const std::size_t eq = part.find('=');
      if (eq != std::string::npos) values[percent_decoded(part.substr(0, eq))] = percent_decoded(part.substr(eq + 1));
      start = end + 1;
    }
    return values;
  }

  static bool member_is(const Json& object, const char* key, const std::string& wanted) {
    const Json* value = object.find(key);
    return value && value->is_string() && value->as_string() == wanted;
  }

  std::string add_locked(Json webhook) {
    const std::string id = webhook.contains("id") ? webhook.at("id").as_string()
                                                  : "wh-" + std::to_string(webhooks_.size() + 1);
    webhook.set("id", id);
    if (!webhook.contains("organization")) webhook.set("organization", "org-1");
    if (!webhook.contains("event_type")) webhook.set("event_type", "all_events");
    if (!webhook.contains("status")) webhook.set("status", 1);
    if (!webhook.contains("timestamp_created")) webhook.set("timestamp_created", "2024-12-01T00:00:00.000Z");
    webhooks_.push_back(std::move(webhook));
    return id;
  }

  Json* find_webhook(const std::string& id) {
    for (Json& webhook : webhooks_) {
      if (member_is(webhook, "id", id)) return &webhook;
    }
    return nullptr;
  }

  /// One page of `items`: from after `starting_after`, `limit` long.
  static HttpResponse page_of(const std::vector<Json>& items, const std::map<std::string, std::string>& query) {
    const std::size_t limit = query.count("limit") ? std::stoul(query.at("limit")) : 10;
    std::size_t first = 0;
    if (query.count("starting_after")) {
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (member_is(items[i], "id", query.at("starting_after"))) first = i + 1;
      }
    }
    Json page_items = Json::array();
    std::string last;
    for (std::size_t i = first; i < items.size() && page_items.size() < limit; ++i) {
      page_items.push_back(items[i]);
      last = items[i].at("id").as_string();
    }
    Json page = Json::object({{"items", page_items}});
    if (page_items.size() == limit) page.set("next_starting_after", last);
    return json_response(200, page.dump());
  }

  HttpResponse answer(const HttpRequest& request) {
    std::lock_guard lock(mutex_);
    const std::size_t path_start = request.url.find("/api/v2/");
    const std::string target = request.url.substr(path_start);
    calls_.push_back(request.method + " " + target);
    const std::size_t question = target.find('?');
    const std::string path = target.substr(0, question);
    const auto query = query_of(question == std::string::npos ? "" : target.substr(question + 1));

    for (Failure& failure : failures_) {
      if (failure.times > 0 && path.rfind(failure.path, 0) == 0) {
        --failure.times;
        return json_response(failure.status, R"({"message":"scripted failure"})");
      }
    }

    const std::string kWebhooks = "/api/v2/webhooks";
    if (path == kWebhooks && request.method == "GET") {
      std::vector<Json> kept;
      for (const Json& webhook : webhooks_) {
        if (query.count("event_type") && !member_is(webhook, "event_type", query.at("event_type"))) continue;
        if (query.count("campaign") && !member_is(webhook, "campaign", query.at("campaign"))) continue;
        kept.push_back(webhook);
      }
      return page_of(kept, query);
    }
    if (path == kWebhooks && request.method == "POST") {
      const std::string id = add_locked(Json::parse(request.body.value_or("{}")));
      return json_response(200, find_webhook(id)->dump());
    }
    if (path == "/api/v2/webhook-events" && request.method == "GET") {
      std::vector<Json> kept;
      for (const Json& event : events_) {
        const std::string& date = event.at("timestamp_created_date").as_string();
        if (query.count("from") && date < query.at("from")) continue;
        if (query.count("to") && date > query.at("to")) continue;
        if (query.count("success") && event.at("success").as_bool() != (query.at("success") == "true")) continue;
        if (query.count("search") && !member_is(event, "webhook_url", query.at("search"))) continue;
        kept.push_back(event);
      }
      return page_of(kept, query);
    }
    if (path.rfind(kWebhooks + "/", 0) == 0) {
      std::string id = path.substr(kWebhooks.size() + 1);
      const bool resume = id.size() > 7 && id.substr(id.size() - 7) == "/resume";
      if (resume) id.resize(id.size() - 7);
      Json* webhook = find_webhook(id);
      if (!webhook) return json_response(404, R"({"message":"webhook not found"})");
      if (resume && request.method == "POST") {
        webhook->set("status", 1);
        webhook->set("timestamp_error", nullptr);
        return json_response(200, webhook->dump());
      }
      if (!resume && request.method == "PATCH") {
        const Json body = Json::parse(request.body.value_or("{}"));
        for (const auto& [key, value] : body.as_object()) webhook->set(key, value);
        return json_response(200, webhook->dump());
      }
      if (!resume && request.method == "GET") return json_response(200, webhook->dump());
    }
    return json_response(404, R"({"message":"no such route in FakeWebhookApi"})");
  }

  mutable std::mutex mutex_;
  std::vector<Json> webhooks_;
  std::vector<Json> events_;
  std::vector<Failure> failures_;
  std::vector<std::string> calls_;
};

}  // namespace instantly::testing
