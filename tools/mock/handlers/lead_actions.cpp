// Actions over many leads: move (a background job), interest status (with
// its webhook event) and bulk assignment.
#include <optional>
#include <string>
#include <vector>

#include "handlers/lead_handlers.hpp"
#include "handlers/lead_records.hpp"
#include "handlers/lead_selection.hpp"
#include "http_error.hpp"
#include "jobs.hpp"

namespace instantly::mock::leads {

namespace {

bool flag(const Json& body, std::string_view key) {
  const Json* value = body.find(key);
  return value && value->is_bool() && value->as_bool();
}

/// Ids of the selected leads, in id order, at most `limit` (0 = no limit).
/// Collected before anything changes, so moved or copied leads are not seen twice.
std::vector<std::string> selected_ids(State& state, const LeadSelection& selection, std::size_t limit) {
  std::vector<std::string> ids;
  for (const auto& [id, lead] : state.collection(collections::kLeads).records()) {
    if (limit > 0 && ids.size() >= limit) break;
    if (selection.matches(lead)) ids.push_back(id);
  }
  return ids;
}

std::size_t limit_of(const Json& body) {
  const Json* limit = body.find("limit");
  return limit && limit->is_number() && limit->as_double() > 0 ? static_cast<std::size_t>(limit->as_double()) : 0;
}

/// Whether another lead with this email sits in some campaign.
bool email_in_other_campaign(State& state, const std::string& email, const std::string& except_id) {
  auto it = state.leads_by_email().find(lower(email));
  if (it == state.leads_by_email().end()) return false;
  for (const std::string& id : it->second) {
    const Json* other = state.collection(collections::kLeads).find(id);
    if (id != except_id && other && string_field(*other, "campaign")) return true;
  }
  return false;
}

LeadScope destination_of(const Json& body, State& state) {
  const std::string* campaign = string_field(body, "to_campaign_id");
  const std::string* list = string_field(body, "to_list_id");
  if ((campaign != nullptr) == (list != nullptr)) bad_request("send exactly one of to_campaign_id and to_list_id");
  LeadScope to;
  if (campaign) {
    campaign_or_404(state, *campaign);
    to.campaign = *campaign;
  } else {
    lead_list_or_404(state, *list);
    to.list_id = *list;
  }
  return to;
}

/// The work happens as the job starts; the job then reports progress over
/// the polls that follow (jobs.hpp).
Reply move_leads(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  LeadScope to = destination_of(body, state);
  bool copy = flag(body, "copy_leads");
  bool unique_across_campaigns = flag(body, "check_duplicates_in_campaigns");
  bool reset_interest = flag(body, "reset_interest_status");
  const std::string* assignee = string_field(body, "assigned_to");

  Json moved_emails = Json::array();
  std::int64_t moved = 0;
  std::int64_t skipped = 0;
  for (const std::string& id : selected_ids(state, LeadSelection::from_body(body), limit_of(body))) {
    Json* lead = state.collection(collections::kLeads).find(id);
    const std::string* email = string_field(*lead, "email");
    const std::string* campaign = string_field(*lead, "campaign");
    const std::string* list = string_field(*lead, "list_id");
    bool already_there = (campaign && *campaign == to.campaign) || (list && *list == to.list_id);
    // The destination never holds the same email twice, whatever the flags say.
    bool duplicate = email && (lead_in_scope(state, to.id(), *email) ||
                               (unique_across_campaigns && email_in_other_campaign(state, *email, id)));
    if (already_there || duplicate) {
      ++skipped;
      continue;
    }
    Json* target = lead;
    if (copy) {
      // Re-scoped before it is stored, so indexing it leaves the original's entry alone.
      Json clone = *lead;
      clone.set("id", state.new_id());
      clone.set("timestamp_created", state.now_iso());
      clone.set("timestamp_updated", state.now_iso());
      clone.set("campaign", to.campaign.empty() ? Json(nullptr) : Json(to.campaign));
      clone.set("list_id", to.list_id.empty() ? Json(nullptr) : Json(to.list_id));
      target = &insert_lead(state, std::move(clone));
    } else {
      move_lead(state, *lead, to);
    }
    if (reset_interest) target->erase("lt_interest_status");
    if (assignee) target->set("assigned_to", *assignee);
    if (email) moved_emails.push_back(*email);
    ++moved;
  }

  Json data = Json::object({{"moved_lead_emails", std::move(moved_emails)},
                            {"moved_count", moved},
                            {"skipped_count", skipped},
                            {"copy_leads", copy}});
  Json& job = start_background_job(state, "move-leads", to.campaign.empty() ? "list" : "campaign", to.id(),
                                   std::move(data));
  return Reply::json(job);
}

/// The webhook event an interest code raises; nullopt for codes without one (-3 lost).
std::optional<std::string_view> interest_event(const Json& value) {
  if (value.is_null()) return "lead_neutral";
  switch (static_cast<int>(value.as_double())) {
    case 1: return "lead_interested";
    case -1: return "lead_not_interested";
    case 2: return "lead_meeting_booked";
    case 3: return "lead_meeting_completed";
    case 4: return "lead_closed";
    case 0: return "lead_out_of_office";
    case -2: return "lead_wrong_person";
    case -4: return "lead_no_show";
    default: return std::nullopt;
  }
}

bool is_interest_code(double value) {
  for (int code : {0, 1, 2, 3, 4, -1, -2, -3, -4}) {
    if (value == code) return true;
  }
  return false;
}

Json interest_payload(State& state, const Json& lead, std::string_view event_type) {
  const std::string* campaign_id = string_field(lead, "campaign");
  Json campaign_name = nullptr;
  if (campaign_id) {
    if (const Json* campaign = state.collection(collections::kCampaigns).find(*campaign_id)) {
      if (const Json* name = campaign->find("name")) campaign_name = *name;
    }
  }
  Json payload = Json::object({{"timestamp", state.now_iso()},
                               {"event_type", event_type},
                               {"workspace", state.workspace().at("id")},
                               {"campaign_id", campaign_id ? Json(*campaign_id) : Json(nullptr)},
                               {"campaign_name", std::move(campaign_name)},
                               {"lead_email", lead.at("email")}});
  // The lead's own variables ride along; they never override the fixed keys.
  if (const Json* variables = lead.find("payload"); variables && variables->is_object()) {
    for (const auto& [key, value] : variables->as_object()) {
      if (!payload.contains(key)) payload.set(key, value);
    }
  }
  return payload;
}

Reply update_interest_status(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  const std::string& email = body.at("lead_email").as_string();
  const Json& value = body.at("interest_value");
  if (!value.is_null() && !is_interest_code(value.as_double())) {
    bad_request("interest_value must be one of 0, 1, 2, 3, 4, -1, -2, -3, -4 or null");
  }
  const std::string* campaign = string_field(body, "campaign_id");
  const std::string* list = string_field(body, "list_id");

  std::vector<std::string> targets;
  if (auto it = state.leads_by_email().find(lower(email)); it != state.leads_by_email().end()) {
    for (const std::string& id : it->second) {
      const Json& lead = lead_or_404(state, id);
      const std::string* lead_campaign = string_field(lead, "campaign");
      const std::string* lead_list = string_field(lead, "list_id");
      if (campaign && (!lead_campaign || *lead_campaign != *campaign)) continue;
      if (list && (!lead_list || *lead_list != *list)) continue;
      targets.push_back(id);
    }
  }
  if (targets.empty()) not_found("lead", email);

  auto event = interest_event(value);
  for (const std::string& id : targets) {
    Json& lead = lead_or_404(state, id);
    if (value.is_null()) {
      lead.erase("lt_interest_status");
    } else {
      lead.set("lt_interest_status", static_cast<std::int64_t>(value.as_double()));
    }
    lead.set("timestamp_last_interest_change", state.now_iso());
    lead.set("timestamp_updated", state.now_iso());
    if (event) state.publish(interest_payload(state, lead, *event));
  }
  return Reply::json(Json::object({{"message", "Lead interest status update background job submitted"}}), 202);
}

/// Deals the selected leads out to the given users in turn.
Reply bulk_assign(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  const Json::Array& users = body.at("organization_user_ids").as_array();
  if (users.empty()) bad_request("organization_user_ids needs at least one user");
  const std::string* current = string_field(body, "assigned_to");
  std::size_t next = 0;
  for (const std::string& id : selected_ids(state, LeadSelection::from_body(body), limit_of(body))) {
    Json& lead = lead_or_404(state, id);
    if (current) {
      const std::string* assignee = string_field(lead, "assigned_to");
      if (!assignee || *assignee != *current) continue;
    }
    lead.set("assigned_to", users[next++ % users.size()]);
    lead.set("timestamp_updated", state.now_iso());
  }
  return Reply::json(Json::object({{"status", "success"}, {"message", "Leads assignment started"}}), 202);
}

}  // namespace

void register_lead_action_handlers(Router& api) {
  api.on("moveLeads", move_leads);
  api.on("updateLeadInterestStatus", update_interest_status);
  api.on("bulkAssignLeads", bulk_assign);
}

}  // namespace instantly::mock::leads
