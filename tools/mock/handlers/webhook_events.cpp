// The API's log of webhook delivery attempts (tag WebhookEvent), written by
// the dispatcher through webhook_delivery_log.cpp.
#include <cmath>
#include <map>

#include "handlers/webhook_handlers.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

/// The `from`/`to` date window (inclusive, "YYYY-MM-DD"; open ends allowed).
struct DateWindow {
  std::optional<std::string> from;
  std::optional<std::string> to;

  explicit DateWindow(const Call& call) : from(call.query_value("from")), to(call.query_value("to")) {}

  bool contains(const Json& event) const {
    const std::string& date = event.at("timestamp_created_date").as_string();
    if (from && date < *from) return false;
    if (to && date > *to) return false;
    return true;
  }
};

bool contains_text(const Json* value, const std::string& needle) {
  return value && value->is_string() && value->as_string().find(needle) != std::string::npos;
}

/// Percentages with two decimals, 0 when there is nothing to divide.
double percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return 0;
  return std::round(10000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 100.0;
}

Reply list_events(const Call& call, State& state) {
  DateWindow window(call);
  auto success = call.query_value("success");
  auto search = call.query_value("search");
  auto keep = [&](const Json& event) {
    if (!window.contains(event)) return false;
    if (success && event.at("success").as_bool() != (*success == "true")) return false;
    if (search) {
      const Json& payload = event.at("payload");
      if (!contains_text(event.find("webhook_url"), *search) && !contains_text(event.find("lead_email"), *search) &&
          !contains_text(payload.find("event_type"), *search)) {
        return false;
      }
    }
    return true;
  };
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  return Reply::json(state.collection(collections::kWebhookEvents).page(request, keep));
}

struct Tally {
  std::int64_t total = 0;
  std::int64_t succeeded = 0;
  void count(const Json& event) {
    ++total;
    if (event.at("success").as_bool()) ++succeeded;
  }
};

Reply summary(const Call& call, State& state) {
  DateWindow window(call);
  Tally tally;
  for (const auto& [id, event] : state.collection(collections::kWebhookEvents).records()) {
    if (window.contains(event)) tally.count(event);
  }
  std::int64_t failed = tally.total - tally.succeeded;
  return Reply::json(Json::object({{"total_events", tally.total},
                                   {"successful_events", tally.succeeded},
                                   {"failed_events", failed},
                                   {"success_rate", percent(tally.succeeded, tally.total)},
                                   {"failure_rate", percent(failed, tally.total)}}));
}

Reply summary_by_date(const Call& call, State& state) {
  DateWindow window(call);
  std::map<std::string, Tally> by_date;
  for (const auto& [id, event] : state.collection(collections::kWebhookEvents).records()) {
    if (window.contains(event)) by_date[event.at("timestamp_created_date").as_string()].count(event);
  }
  Json items = Json::array();
  for (const auto& [date, tally] : by_date) {
    items.push_back(Json::object({{"date", date},
                                  {"total_events", tally.total},
                                  {"successful_events", tally.succeeded},
                                  {"failed_events", tally.total - tally.succeeded},
                                  {"success_rate", percent(tally.succeeded, tally.total)}}));
  }
  return Reply::json(Json::object({{"items", std::move(items)}}));
}

}  // namespace

void register_webhook_event_handlers(Router& api) {
  api.on("listWebhookEvent", list_events);
  api.on("getWebhookEvent", [](const Call& call, State& state) {
    const Json* event = state.collection(collections::kWebhookEvents).find(call.param("id"));
    if (!event) not_found("webhook event", call.param("id"));
    return Reply::json(*event);
  });
  api.on("getWebhookEventsSummary", summary);
  api.on("getWebhookEventsSummaryByDate", summary_by_date);
}

}  // namespace instantly::mock
