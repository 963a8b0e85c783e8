// Campaign status transitions (activate, pause), duplicate, and the read-only
// views derived from status and leads (sending status, launched count,
// campaigns of a contact).
#include <algorithm>
#include <string>

#include "handlers/campaign_handlers.hpp"
#include "handlers/campaign_records.hpp"
#include "handlers/simulation_events.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

void set_status(State& state, Json& c, int status) {
  c.set("status", status);
  c.set("timestamp_updated", state.now_iso());
}

Reply activate(const Call& call, State& state) {
  Json& c = campaign::require(state, call.param("id"));
  if (campaign::status_of(c) == campaign::kActive) return Reply::json(c);
  // Instantly refuses to start a campaign it could never send from.
  if (!campaign::has_schedules(c)) {
    bad_request("campaign " + call.param("id") +
                " has no sending schedule: set campaign_schedule.schedules (at least one) before activating it");
  }
  set_status(state, c, campaign::kActive);
  return Reply::json(c);
}

Reply pause(const Call& call, State& state) {
  Json& c = campaign::require(state, call.param("id"));
  int status = campaign::status_of(c);
  if (status == campaign::kDraft) {
    bad_request("campaign " + call.param("id") + " is a draft and is not sending: activate it before pausing it");
  }
  if (status != campaign::kPaused) set_status(state, c, campaign::kPaused);
  return Reply::json(c);
}

Reply duplicate(const Call& call, State& state) {
  Json copy = campaign::require(state, call.param("id"));
  std::string name = campaign::string_member(copy, "name") + " (copy)";
  if (const Json* given = call.field("name"); given && given->is_string() && !given->as_string().empty()) {
    name = given->as_string();
  }
  std::string id = state.new_id();
  std::string now = state.now_iso();
  copy.set("id", id);
  copy.set("name", name);
  copy.set("status", campaign::kDraft);
  copy.set("timestamp_created", now);
  copy.set("timestamp_updated", now);
  return Reply::json(state.collection(collections::kCampaigns).put(std::move(id), std::move(copy)));
}

/// The sending-status code a campaign's own status explains, or "" when it is sending.
std::string blocking_status(int status) {
  switch (status) {
    case campaign::kDraft: return "campaign_draft";
    case campaign::kPaused: return "campaign_paused";
    case campaign::kCompleted: return "campaign_completed";
    case 4: return "campaign_running_subsequences";
    case -1: return "campaign_accounts_unhealthy";
    case -2: return "campaign_bounce_protect";
    case -99: return "campaign_account_suspended";
    default: return "";
  }
}

std::string status_message(const std::string& code) {
  if (code == "healthy") return "The campaign is sending normally.";
  if (code == "waiting_for_leads") return "Every lead has been contacted; add leads to keep sending.";
  if (code == "campaign_draft") return "The campaign is a draft; activate it to start sending.";
  if (code == "campaign_paused") return "The campaign is paused.";
  if (code == "campaign_completed") return "The campaign has completed.";
  return "The campaign is not sending (" + code + ").";
}

Reply sending_status(const Call& call, State& state) {
  const Json& c = campaign::require(state, call.param("id"));
  const std::string& id = call.param("id");
  std::int64_t pending = 0;
  for (const Json* lead : campaign::leads_of(state, id)) {
    if (campaign::int_member(*lead, "status", campaign::kLeadActive) == campaign::kLeadActive) ++pending;
  }
  std::string code = blocking_status(campaign::status_of(c));
  if (code.empty()) code = pending > 0 ? "healthy" : "waiting_for_leads";

  std::string today = State::date_of(state.now_ms());
  std::int64_t sent_today = 0;
  Json last_send = nullptr;
  for (const auto& [event_id, event] : state.collection(collections::kEvents).records()) {
    if (event.at("campaign_id").as_string() != id || event.at("type").as_string() != events::kEmailSent) continue;
    last_send = event.at("timestamp");
    if (event.at("date").as_string() == today) ++sent_today;
  }
  const Json* senders = c.find("email_list");
  auto accounts = static_cast<std::int64_t>(senders && senders->is_array() ? senders->size() : 0);
  int daily_limit = campaign::int_member(c, "daily_limit", 0);
  const Json* max_leads = c.find("daily_max_leads");
  bool healthy = code == "healthy";

  Json diagnostics = Json::object(
      {{"campaign_id", id},
       {"last_updated", state.now_iso()},
       {"status", code},
       {"issue_tracking", Json::object({{"current_status_code", code},
                                        {"issue_first_seen_at", healthy ? Json(nullptr) : Json(state.now_iso())},
                                        {"consecutive_loops_with_issue", healthy ? 0 : 1},
                                        {"last_healthy_send_at", last_send}})},
       {"accounts_summary",
        Json::object({{"total_connected", accounts},
                      {"available", accounts},
                      {"unavailable", Json::object({{"daily_limit_hit", 0},
                                                    {"slow_ramp_limit_hit", 0},
                                                    {"disconnected", 0},
                                                    {"global_gap_not_met", 0}})}})},
       {"campaign_daily_limit", Json::object({{"limit", daily_limit},
                                              {"sent", sent_today},
                                              {"limit_hit", daily_limit > 0 && sent_today >= daily_limit}})},
       {"new_lead_limit", Json::object({{"enabled", max_leads && max_leads->is_number()},
                                        {"limit", max_leads && max_leads->is_number() ? *max_leads : Json(nullptr)},
                                        {"contacted", 0},
                                        {"limit_hit", false}})},
       {"schedule_status", Json::object({{"in_schedule", true}})},
       {"leads_status", Json::object({{"no_leads_ready", pending == 0},
                                      {"account_unavailable_skips", 0},
                                      {"delay_not_met_skips", 0}})}});
  Json summary = Json::object({{"status", code},
                               {"status_message", status_message(code)},
                               {"issue_started_at", diagnostics.at("issue_tracking").at("issue_first_seen_at")},
                               {"last_healthy_send_at", last_send},
                               {"ai_summary", nullptr}});
  if (call.query_value("with_ai_summary").value_or("") == "true") summary.set("ai_summary", status_message(code));
  return Reply::json(Json::object({{"diagnostics", std::move(diagnostics)}, {"summary", std::move(summary)}}));
}

/// Campaigns that ever left the draft state.
Reply count_launched(const Call&, State& state) {
  std::int64_t count = 0;
  for (const auto& [id, c] : state.collection(collections::kCampaigns).records()) {
    if (campaign::status_of(c) != campaign::kDraft) ++count;
  }
  return Reply::json(Json::object({{"count", count}}));
}

/// The campaigns holding a lead with the searched email.
Reply search_by_contact(const Call& call, State& state) {
  std::string email = lower(call.query_value("search").value_or(""));
  auto& campaigns = state.collection(collections::kCampaigns);
  std::vector<const Json*> found;
  // A scan rather than leads_by_email(): it also sees leads a test stored directly.
  for (const auto& [lead_id, lead] : state.collection(collections::kLeads).records()) {
    if (email.empty() || lower(campaign::string_member(lead, "email")) != email) continue;
    const Json* c = campaigns.find(campaign::string_member(lead, "campaign"));
    if (c && std::find(found.begin(), found.end(), c) == found.end()) found.push_back(c);
  }
  std::string column = call.query_value("sort_column").value_or("timestamp_created");
  bool descending = call.query_value("sort_order").value_or("asc") == "desc";
  std::stable_sort(found.begin(), found.end(), [&](const Json* a, const Json* b) {
    const Json* x = a->find(column);
    const Json* y = b->find(column);
    std::string left = x ? (x->is_string() ? x->as_string() : x->dump()) : "";
    std::string right = y ? (y->is_string() ? y->as_string() : y->dump()) : "";
    return descending ? right < left : left < right;
  });
  Json items = Json::array();
  for (const Json* c : found) items.push_back(*c);
  return Reply::json(Json::object({{"items", std::move(items)}}));
}

}  // namespace

void register_campaign_lifecycle_handlers(Router& api) {
  api.on("activateCampaign", activate);
  api.on("pauseCampaign", pause);
  api.on("duplicate", duplicate);
  api.on("getCampaignSendingStatus", sending_status);
  api.on("countLaunched", count_launched);
  api.on("searchByContact", search_by_contact);
}

}  // namespace instantly::mock
