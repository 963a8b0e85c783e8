// Lead records and the indexes that keep duplicate checks O(1).
//
// Every place that creates, deletes or moves a lead goes through
// insert_lead / erase_lead / move_lead, so state.lead_index() and
// state.leads_by_email() never drift from the leads collection.
#pragma once

#include <string>
#include <string_view>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock::leads {

/// The string value of `record[key]`, or nullptr when absent, null or not a string.
const std::string* string_field(const Json& record, std::string_view key);

/// A plausible address: one '@', a non-empty local part, a dotted domain
/// with a letters-only top-level label of 2+ characters, no spaces.
bool is_valid_email(std::string_view email);
/// The part after '@', or "" when there is none.
std::string_view email_domain(std::string_view email);

/// Where a new lead goes: a campaign id or a list id (or neither: workspace-only).
struct LeadScope {
  std::string campaign;
  std::string list_id;
  /// The id the duplicate index is keyed by ("" for no scope).
  const std::string& id() const { return campaign.empty() ? list_id : campaign; }
};

/// A new lead record in the Lead schema's shape, from an input object with
/// the request's field names (email, first_name, ..., custom_variables).
/// `default_assignee` fills assigned_to when the input has none; `now` is
/// state.now_iso(), taken once per request.
Json make_lead(State& state, const Json& input, const LeadScope& scope, const std::string* default_assignee,
               const std::string& now);

/// make_lead in two halves, so that a bulk add can build its records before
/// taking the state lock: the draft needs only the request (its id,
/// timestamps and organization are null), stamp_lead fills those in.
/// The draft takes `input` by value and moves its strings and custom variables
/// into the record: pass std::move(input) when the input is not needed after.
Json make_lead_draft(Json input, const LeadScope& scope, const std::string* default_assignee);
void stamp_lead(State& state, Json& draft, const std::string& now);

/// Stores a lead and indexes it; returns the stored record.
Json& insert_lead(State& state, Json lead);
/// Unindexes and removes a lead; false when there is no such lead.
bool erase_lead(State& state, std::string_view id);
/// Re-scopes a stored lead (a move): unindex, change campaign/list_id, index.
void move_lead(State& state, Json& lead, const LeadScope& to);
/// The lead already holding `email` in `scope_id`, or nullptr.
Json* lead_in_scope(State& state, std::string_view scope_id, std::string_view email);

/// Lookups that answer 404 in the API's words.
Json& lead_or_404(State& state, std::string_view id);
Json& campaign_or_404(State& state, std::string_view id);
Json& lead_list_or_404(State& state, std::string_view id);

}  // namespace instantly::mock::leads
