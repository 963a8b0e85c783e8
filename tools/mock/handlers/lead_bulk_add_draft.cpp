#include "handlers/lead_bulk_add_draft.hpp"

#include <unordered_set>

#include "http_error.hpp"

namespace instantly::mock::leads {

namespace {

/// Whether a lead without an email still carries something (a name, a phone, ...).
bool has_any_value(const Json& lead) {
  for (const auto& [key, value] : lead.as_object()) {
    bool blank = value.is_null() || (value.is_string() && value.as_string().empty()) ||
                 (value.is_object() && value.empty());
    if (!blank) return true;
  }
  return false;
}

LeadScope requested_scope(const Call& call) {
  const Json* campaign = call.field("campaign_id");
  const Json* list = call.field("list_id");
  if ((campaign != nullptr) == (list != nullptr)) {
    bad_request("send exactly one of campaign_id and list_id");
  }
  LeadScope scope;
  if (campaign) {
    scope.campaign = campaign->as_string();
  } else {
    scope.list_id = list->as_string();
  }
  return scope;
}

/// The created_leads entry of a drafted lead: its input index, the id to
/// come, and the contact fields the API echoes.
Json created_entry(std::size_t index, const Json& record) {
  Json::Object entry;
  entry.reserve(6);
  entry.emplace_back("index", static_cast<std::int64_t>(index));
  entry.emplace_back("id", nullptr);  // kCreatedEntryIdMember
  for (const char* field : {"email", "first_name", "last_name", "phone"}) entry.emplace_back(field, record.at(field));
  return Json(std::move(entry));
}

}  // namespace

BulkAddDraft draft_bulk_add(Call& call) {
  BulkAddDraft draft;
  draft.scope = requested_scope(call);
  Json::Array& inputs = call.body->find("leads")->as_array();
  const std::string* default_assignee = string_field(call.body_or_empty(), "assigned_to");

  draft.candidates.reserve(inputs.size());
  std::unordered_set<std::string> seen;
  seen.reserve(inputs.size() * 2);
  for (std::size_t index = 0; index < inputs.size(); ++index) {
    Json& input = inputs[index];
    std::string key;
    const std::string* email = string_field(input, "email");
    if (!email || email->empty()) {
      // A list can hold a lead known only by name or phone; a campaign mails leads, so it cannot.
      if (!draft.scope.campaign.empty() || !has_any_value(input)) {
        ++draft.incomplete;
        continue;
      }
    } else {
      if (!is_valid_email(*email)) {
        ++draft.invalid_email;
        continue;
      }
      key = lower(*email);
      // The first occurrence claims the email, whatever later happens to it.
      if (!seen.insert(key).second) {
        ++draft.duplicate_email;
        continue;
      }
    }
    Json record = make_lead_draft(std::move(input), draft.scope, default_assignee);
    Json entry = created_entry(index, record);
    draft.candidates.push_back({index, std::move(key), std::move(record), std::move(entry)});
  }
  return draft;
}

}  // namespace instantly::mock::leads
