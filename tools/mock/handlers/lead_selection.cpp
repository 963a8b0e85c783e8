#include "handlers/lead_selection.hpp"

#include <string_view>

#include "handlers/lead_records.hpp"
#include "state.hpp"

namespace instantly::mock::leads {

namespace {

std::optional<std::string> string_member(const Json& body, std::string_view key) {
  const Json* value = body.find(key);
  if (!value || !value->is_string()) return std::nullopt;
  return value->as_string();
}

std::optional<bool> bool_member(const Json& body, std::string_view key) {
  const Json* value = body.find(key);
  if (!value || !value->is_bool()) return std::nullopt;
  return value->as_bool();
}

std::optional<std::unordered_set<std::string>> string_set(const Json& body, std::string_view key, bool lowercase) {
  const Json* value = body.find(key);
  if (!value || !value->is_array()) return std::nullopt;
  std::unordered_set<std::string> set;
  for (const Json& item : value->as_array()) {
    if (item.is_string()) set.insert(lowercase ? lower(item.as_string()) : item.as_string());
  }
  return set;
}

double number_or(const Json& lead, std::string_view key, double fallback) {
  const Json* value = lead.find(key);
  return value && value->is_number() ? value->as_double() : fallback;
}

bool contains_lower(const Json& lead, std::string_view key, const std::string& needle) {
  const std::string* value = string_field(lead, key);
  return value && lower(*value).find(needle) != std::string::npos;
}

/// The UI's named filters, for the ones the mock's lead fields can answer;
/// an unknown filter selects everything rather than nothing.
bool passes_named_filter(const Json& lead, std::string_view filter) {
  struct InterestFilter {
    std::string_view name;
    int code;
  };
  static constexpr InterestFilter kInterest[] = {
      {"FILTER_LEAD_INTERESTED", 1},        {"FILTER_LEAD_NOT_INTERESTED", -1}, {"FILTER_LEAD_MEETING_BOOKED", 2},
      {"FILTER_LEAD_MEETING_COMPLETED", 3}, {"FILTER_LEAD_CLOSED", 4},          {"FILTER_LEAD_OUT_OF_OFFICE", 0},
      {"FILTER_LEAD_WRONG_PERSON", -2},     {"FILTER_LEAD_LOST", -3},           {"FILTER_LEAD_NO_SHOW", -4}};
  for (const auto& [name, code] : kInterest) {
    if (filter == name) {
      const Json* status = lead.find("lt_interest_status");
      return status && status->is_number() && static_cast<int>(status->as_double()) == code;
    }
  }
  double status = number_or(lead, "status", 1);
  if (filter == "FILTER_VAL_ACTIVE") return status == 1;
  if (filter == "FILTER_VAL_COMPLETED") return status == 3;
  if (filter == "FILTER_VAL_BOUNCED") return status == -1;
  if (filter == "FILTER_VAL_UNSUBSCRIBED") return status == -2;
  if (filter == "FILTER_VAL_SKIPPED") return status == -3;
  if (filter == "FILTER_VAL_CONTACTED") return string_field(lead, "timestamp_last_contact") != nullptr;
  if (filter == "FILTER_VAL_NOT_CONTACTED") return string_field(lead, "timestamp_last_contact") == nullptr;
  if (filter == "FILTER_VAL_REPLIED") return number_or(lead, "email_reply_count", 0) > 0;
  if (filter == "FILTER_VAL_NO_OPENS") return number_or(lead, "email_open_count", 0) == 0;
  if (filter == "FILTER_VAL_LINK_CLICKED") return number_or(lead, "email_click_count", 0) > 0;
  return true;
}

}  // namespace

LeadSelection LeadSelection::from_body(const Json& body) {
  LeadSelection selection;
  selection.campaign_ = string_member(body, "campaign");
  selection.list_id_ = string_member(body, "list_id");
  selection.search_ = lower(string_member(body, "search").value_or(""));
  selection.ids_ = string_set(body, "ids", false);
  selection.excluded_ids_ = string_set(body, "excluded_ids", false).value_or(std::unordered_set<std::string>{});
  selection.contacts_ = string_set(body, "contacts", true);
  selection.in_campaign_ = bool_member(body, "in_campaign");
  selection.in_list_ = bool_member(body, "in_list");
  selection.filter_ = string_member(body, "filter").value_or("");
  return selection;
}

bool LeadSelection::matches(const Json& lead) const {
  const std::string& id = lead.at("id").as_string();
  if (ids_ && !ids_->contains(id)) return false;
  if (excluded_ids_.contains(id)) return false;
  const std::string* campaign = string_field(lead, "campaign");
  const std::string* list_id = string_field(lead, "list_id");
  if (campaign_ && (!campaign || *campaign != *campaign_)) return false;
  if (list_id_ && (!list_id || *list_id != *list_id_)) return false;
  if (in_campaign_ && (campaign != nullptr) != *in_campaign_) return false;
  if (in_list_ && (list_id != nullptr) != *in_list_) return false;
  if (contacts_) {
    const std::string* email = string_field(lead, "email");
    if (!email || !contacts_->contains(lower(*email))) return false;
  }
  if (!search_.empty() && !contains_lower(lead, "email", search_) && !contains_lower(lead, "first_name", search_) &&
      !contains_lower(lead, "last_name", search_)) {
    return false;
  }
  return filter_.empty() || passes_named_filter(lead, filter_);
}

}  // namespace instantly::mock::leads
