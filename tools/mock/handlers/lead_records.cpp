#include "handlers/lead_records.hpp"

#include <algorithm>

#include "http_error.hpp"

namespace instantly::mock::leads {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// The nullable string fields a request may set on a lead, copied as given.
constexpr std::string_view kInputFields[] = {"email",        "first_name", "last_name",       "company_name",
                                             "job_title",    "phone",      "website",         "personalization",
                                             "pl_value_lead"};

/// The input's string, or null when absent, null or "" (an empty email is no
/// email). Moved out of `input`, which is the caller's own copy.
Json take_or_null(Json& input, std::string_view key) {
  Json* value = input.find(key);
  return value && value->is_string() && !value->as_string().empty() ? std::move(*value) : Json(nullptr);
}

void index_lead(State& state, const Json& lead) {
  const std::string* email = string_field(lead, "email");
  if (!email || email->empty()) return;
  const std::string& id = lead.at("id").as_string();
  state.leads_by_email()[lower(*email)].push_back(id);
  for (std::string_view scope_field : {"campaign", "list_id"}) {
    if (const std::string* scope = string_field(lead, scope_field)) {
      state.lead_index()[State::lead_key(*scope, *email)] = id;
    }
  }
}

void unindex_lead(State& state, const Json& lead) {
  const std::string* email = string_field(lead, "email");
  if (!email || email->empty()) return;
  const std::string& id = lead.at("id").as_string();
  std::string key = lower(*email);
  if (auto it = state.leads_by_email().find(key); it != state.leads_by_email().end()) {
    std::erase(it->second, id);
    if (it->second.empty()) state.leads_by_email().erase(it);
  }
  for (std::string_view scope_field : {"campaign", "list_id"}) {
    if (const std::string* scope = string_field(lead, scope_field)) {
      auto it = state.lead_index().find(State::lead_key(*scope, *email));
      // Only drop the entry when it points at this lead, never at a namesake.
      if (it != state.lead_index().end() && it->second == id) state.lead_index().erase(it);
    }
  }
}

}  // namespace

const std::string* string_field(const Json& record, std::string_view key) {
  const Json* value = record.find(key);
  return value && value->is_string() ? &value->as_string() : nullptr;
}

bool is_valid_email(std::string_view email) {
  auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) return false;
  if (email.find_first_of(" \t\r\n,;<>()[]\\\"") != std::string_view::npos) return false;
  std::string_view domain = email.substr(at + 1);
  auto last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return false;
  if (domain.find("..") != std::string_view::npos || domain.front() == '-') return false;
  std::string_view tld = domain.substr(last_dot + 1);
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), is_alpha);
}

std::string_view email_domain(std::string_view email) {
  auto at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

namespace {

// Where make_lead_draft() leaves the members stamp_lead() fills in.
enum StampedMember : std::size_t { kId, kCreated, kUpdated, kOrganization };
constexpr std::string_view kInterestChanged = "timestamp_last_interest_change";

}  // namespace

Json make_lead_draft(Json input, const LeadScope& scope, const std::string* default_assignee) {
  const Json* email = input.find("email");
  std::string domain = email && email->is_string() ? lower(email_domain(email->as_string())) : std::string();
  // Built as a member vector in one go: Json::object() re-checks every key
  // for duplicates, which adds up over a 1,000-lead import.
  // The first four are in StampedMember order.
  Json::Object lead{{"id", Json()}, {"timestamp_created", Json()}, {"timestamp_updated", Json()}, {"organization", Json()}};
  lead.reserve(26);
  lead.emplace_back("campaign", scope.campaign.empty() ? Json(nullptr) : Json(scope.campaign));
  lead.emplace_back("list_id", scope.list_id.empty() ? Json(nullptr) : Json(scope.list_id));
  lead.emplace_back("status", 1);
  for (std::string_view field : kInputFields) lead.emplace_back(std::string(field), take_or_null(input, field));
  Json assignee = take_or_null(input, "assigned_to");
  if (assignee.is_null() && default_assignee) assignee = *default_assignee;
  lead.emplace_back("assigned_to", std::move(assignee));
  // The API keeps custom variables under `payload`.
  Json* variables = input.find("custom_variables");
  lead.emplace_back("payload", variables && variables->is_object() ? std::move(*variables) : Json(nullptr));
  lead.emplace_back("email_open_count", 0);
  lead.emplace_back("email_reply_count", 0);
  lead.emplace_back("email_click_count", 0);
  lead.emplace_back("company_domain", std::move(domain));
  lead.emplace_back("status_summary", Json::object());
  lead.emplace_back("upload_method", "api");
  // Engagement fields (timestamp_last_contact, last_step_*, ...) stay absent
  // until something happens: the schema does not require them, and leaving
  // them out keeps a 1,000-lead import cheap.
  if (const Json* interest = input.find("lt_interest_status"); interest && interest->is_number()) {
    lead.emplace_back("lt_interest_status", static_cast<std::int64_t>(interest->as_double()));
    lead.emplace_back(std::string(kInterestChanged), nullptr);  // last, for stamp_lead
  }
  return Json(std::move(lead));
}

void stamp_lead(State& state, Json& draft, const std::string& now) {
  Json::Object& lead = draft.as_object();
  lead[kId].second = state.new_id();
  lead[kCreated].second = now;
  lead[kUpdated].second = now;
  lead[kOrganization].second = state.workspace().at("id");
  if (lead.back().first == kInterestChanged) lead.back().second = now;
}

Json make_lead(State& state, const Json& input, const LeadScope& scope, const std::string* default_assignee,
               const std::string& now) {
  Json lead = make_lead_draft(input, scope, default_assignee);
  stamp_lead(state, lead, now);
  return lead;
}

Json& insert_lead(State& state, Json lead) {
  std::string id = lead.at("id").as_string();
  Json& stored = state.collection(collections::kLeads).put(std::move(id), std::move(lead));
  index_lead(state, stored);
  return stored;
}

bool erase_lead(State& state, std::string_view id) {
  Collection& leads = state.collection(collections::kLeads);
  const Json* lead = leads.find(id);
  if (!lead) return false;
  unindex_lead(state, *lead);
  return leads.erase(id);
}

void move_lead(State& state, Json& lead, const LeadScope& to) {
  unindex_lead(state, lead);
  lead.set("campaign", to.campaign.empty() ? Json(nullptr) : Json(to.campaign));
  lead.set("list_id", to.list_id.empty() ? Json(nullptr) : Json(to.list_id));
  lead.set("timestamp_updated", state.now_iso());
  index_lead(state, lead);
}

Json* lead_in_scope(State& state, std::string_view scope_id, std::string_view email) {
  auto it = state.lead_index().find(State::lead_key(scope_id, email));
  return it == state.lead_index().end() ? nullptr : state.collection(collections::kLeads).find(it->second);
}

Json& lead_or_404(State& state, std::string_view id) {
  Json* lead = state.collection(collections::kLeads).find(id);
  if (!lead) not_found("lead", id);
  return *lead;
}

Json& campaign_or_404(State& state, std::string_view id) {
  Json* campaign = state.collection(collections::kCampaigns).find(id);
  if (!campaign) not_found("campaign", id);
  return *campaign;
}

Json& lead_list_or_404(State& state, std::string_view id) {
  Json* list = state.collection(collections::kLeadLists).find(id);
  if (!list) not_found("lead list", id);
  return *list;
}

}  // namespace instantly::mock::leads
