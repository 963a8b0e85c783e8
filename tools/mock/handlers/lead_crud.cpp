// One lead at a time (create, get, patch, delete), bulk delete, and the
// body-paged listing POST /leads/list.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "collection.hpp"
#include "handlers/lead_handlers.hpp"
#include "handlers/lead_records.hpp"
#include "handlers/lead_selection.hpp"
#include "http_error.hpp"

namespace instantly::mock::leads {

namespace {

/// Request fields PATCH copies as they come (a null clears the field).
constexpr std::string_view kPatchableFields[] = {"personalization", "website",     "last_name", "first_name",
                                                 "company_name",    "job_title",   "phone",     "pl_value_lead",
                                                 "assigned_to"};

bool flag(const Json& body, std::string_view key) {
  const Json* value = body.find(key);
  return value && value->is_bool() && value->as_bool();
}

/// The existing lead a skip_if_in_* flag of a single create points at, if any.
Json* lead_that_skips(State& state, const Json& body, const std::string& email) {
  auto it = state.leads_by_email().find(lower(email));
  if (it == state.leads_by_email().end()) return nullptr;
  bool in_workspace = flag(body, "skip_if_in_workspace");
  bool in_campaign = flag(body, "skip_if_in_campaign");
  bool in_list = flag(body, "skip_if_in_list");
  for (const std::string& id : it->second) {
    Json* lead = state.collection(collections::kLeads).find(id);
    if (!lead) continue;
    if (in_workspace || (in_campaign && string_field(*lead, "campaign")) || (in_list && string_field(*lead, "list_id"))) {
      return lead;
    }
  }
  return nullptr;
}

Reply create_lead(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  LeadScope scope;
  if (const std::string* campaign = string_field(body, "campaign")) scope.campaign = *campaign;
  if (const std::string* list = string_field(body, "list_id")) scope.list_id = *list;
  if (!scope.campaign.empty() && !scope.list_id.empty()) bad_request("a lead goes to a campaign or a list, not both");
  if (!scope.campaign.empty()) campaign_or_404(state, scope.campaign);
  if (!scope.list_id.empty()) lead_list_or_404(state, scope.list_id);

  const std::string* email = string_field(body, "email");
  if (email && !email->empty()) {
    if (!is_valid_email(*email)) bad_request("email \"" + *email + "\" is not a valid address");
    // Creating a lead that is already there answers that lead, as /leads/add
    // reports a duplicate rather than adding it twice.
    if (!scope.id().empty()) {
      if (Json* existing = lead_in_scope(state, scope.id(), *email)) return Reply::json(*existing);
    }
    if (Json* existing = lead_that_skips(state, body, *email)) return Reply::json(*existing);
  } else if (!scope.campaign.empty()) {
    bad_request("a lead in a campaign needs an email");
  }
  return Reply::json(insert_lead(state, make_lead(state, body, scope, nullptr, state.now_iso())));
}

Reply patch_lead(const Call& call, State& state) {
  Json& lead = lead_or_404(state, call.param("id"));
  const Json& body = call.body_or_empty();
  for (std::string_view field : kPatchableFields) {
    if (const Json* value = body.find(field)) lead.set(std::string(field), *value);
  }
  if (const Json* interest = body.find("lt_interest_status"); interest && interest->is_number()) {
    lead.set("lt_interest_status", static_cast<std::int64_t>(interest->as_double()));
    lead.set("timestamp_last_interest_change", state.now_iso());
  }
  if (const Json* variables = body.find("custom_variables"); variables && variables->is_object()) {
    // Merged into what is stored; a null value removes that variable.
    Json& payload = lead["payload"];
    if (!payload.is_object()) payload = Json::object();
    for (const auto& [key, value] : variables->as_object()) {
      if (value.is_null()) {
        payload.erase(key);
      } else {
        payload.set(key, value);
      }
    }
  }
  lead.set("timestamp_updated", state.now_iso());
  return Reply::json(lead);
}

Reply delete_lead(const Call& call, State& state) {
  Json lead = lead_or_404(state, call.param("id"));
  erase_lead(state, call.param("id"));
  return Reply::json(std::move(lead));
}

/// DELETE /leads with a body: the leads of a campaign or list, optionally
/// narrowed by ids and status, at most `limit` of them.
Reply bulk_delete_leads(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  const std::string* campaign = string_field(body, "campaign_id");
  const std::string* list = string_field(body, "list_id");
  const Json* status = body.find("status");
  const Json* limit = body.find("limit");
  std::size_t max = limit && limit->is_number() ? static_cast<std::size_t>(limit->as_double()) : SIZE_MAX;
  std::optional<std::unordered_set<std::string>> ids;
  if (const Json* wanted = body.find("ids"); wanted && wanted->is_array()) {
    ids.emplace();
    for (const Json& id : wanted->as_array()) ids->insert(id.as_string());
  }

  std::vector<std::string> doomed;
  for (const auto& [id, lead] : state.collection(collections::kLeads).records()) {
    if (doomed.size() >= max) break;
    if (ids && !ids->contains(id)) continue;
    const std::string* lead_campaign = string_field(lead, "campaign");
    const std::string* lead_list = string_field(lead, "list_id");
    if (campaign && (!lead_campaign || *lead_campaign != *campaign)) continue;
    if (list && (!lead_list || *lead_list != *list)) continue;
    if (status && status->is_number() && lead.at("status").as_double() != status->as_double()) continue;
    doomed.push_back(id);
  }
  for (const auto& id : doomed) erase_lead(state, id);
  return Reply::json(Json::object({{"count", static_cast<std::int64_t>(doomed.size())}}));
}

Reply list_leads(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  LeadSelection selection = LeadSelection::from_body(body);
  auto request = page_request_from_body(body);
  return Reply::json(state.collection(collections::kLeads)
                         .page(request, [&selection](const Json& lead) { return selection.matches(lead); }));
}

}  // namespace

void register_lead_crud_handlers(Router& api) {
  api.on("createLead", create_lead);
  api.on("getLead", [](const Call& call, State& state) { return Reply::json(lead_or_404(state, call.param("id"))); });
  api.on("patchLead", patch_lead);
  api.on("deleteLead", delete_lead);
  api.on("bulkDeleteLeads", bulk_delete_leads);
  api.on("listLeads", list_leads);
}

}  // namespace instantly::mock::leads
