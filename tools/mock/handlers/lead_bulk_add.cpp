// POST /api/v2/leads/add: up to 1,000 leads into one campaign or list, with
// every input lead accounted for exactly once.
//
// Each lead lands in the first category that applies, in this order:
//   incomplete_count       no email, and the target is a campaign (or the lead is empty)
//   invalid_email_count    the email is not a plausible address
//   duplicate_email_count  the email already appeared earlier in this payload
//   duplicated_leads       the email is already in this campaign/list (so re-sending a chunk is safe)
//   in_blocklist           the email or its domain is on the block list
//   skipped_count          a skip_if_in_* flag matched
//   leads_uploaded         created; listed in created_leads with its input index
// Every check is a hash lookup, so a full call stays linear in its size.
#include <string>
#include <unordered_set>

#include "handlers/lead_block_list.hpp"
#include "handlers/lead_handlers.hpp"
#include "handlers/lead_records.hpp"
#include "http_error.hpp"

namespace instantly::mock::leads {

namespace {

/// Upload capacity the mock's plan grants; remaining_in_plan counts down from it.
constexpr std::int64_t kPlanLeadCapacity = 1'000'000;

struct SkipFlags {
  bool in_workspace = false;
  bool in_campaign = false;
  bool in_list = false;

  static SkipFlags from_body(const Json& body) {
    auto flag = [&body](std::string_view key) {
      const Json* value = body.find(key);
      return value && value->is_bool() && value->as_bool();
    };
    return {flag("skip_if_in_workspace"), flag("skip_if_in_campaign"), flag("skip_if_in_list")};
  }
  bool any() const { return in_workspace || in_campaign || in_list; }
};

struct Tally {
  std::int64_t uploaded = 0, duplicated = 0, skipped = 0, invalid_email = 0, incomplete = 0, duplicate_email = 0,
               blocked = 0;
};

/// Whether an existing lead with this email makes the skip flags skip it.
bool skipped_by_flags(State& state, const SkipFlags& flags, const std::string& email_lower) {
  auto it = state.leads_by_email().find(email_lower);
  if (it == state.leads_by_email().end() || it->second.empty()) return false;
  if (flags.in_workspace) return true;
  Collection& leads = state.collection(collections::kLeads);
  for (const std::string& id : it->second) {
    const Json* lead = leads.find(id);
    if (!lead) continue;
    if (flags.in_campaign && string_field(*lead, "campaign")) return true;
    if (flags.in_list && string_field(*lead, "list_id")) return true;
  }
  return false;
}

/// Whether a lead without an email still carries something (a name, a phone, ...).
bool has_any_value(const Json& lead) {
  for (const auto& [key, value] : lead.as_object()) {
    bool blank = value.is_null() || (value.is_string() && value.as_string().empty()) ||
                 (value.is_object() && value.empty());
    if (!blank) return true;
  }
  return false;
}

LeadScope scope_of(const Call& call, State& state) {
  const Json* campaign = call.field("campaign_id");
  const Json* list = call.field("list_id");
  if ((campaign != nullptr) == (list != nullptr)) {
    bad_request("send exactly one of campaign_id and list_id");
  }
  LeadScope scope;
  if (campaign) {
    scope.campaign = campaign->as_string();
    campaign_or_404(state, scope.campaign);
  } else {
    scope.list_id = list->as_string();
    lead_list_or_404(state, scope.list_id);
  }
  return scope;
}

Json created_entry(std::size_t index, const Json& lead) {
  Json::Object entry;
  entry.reserve(6);
  entry.emplace_back("index", static_cast<std::int64_t>(index));
  entry.emplace_back("id", lead.at("id"));
  for (const char* field : {"email", "first_name", "last_name", "phone"}) entry.emplace_back(field, lead.at(field));
  return Json(std::move(entry));
}

Reply bulk_add(const Call& call, State& state) {
  LeadScope scope = scope_of(call, state);
  const Json::Array& inputs = call.field("leads")->as_array();
  SkipFlags skip = SkipFlags::from_body(call.body_or_empty());
  const std::string* default_assignee = string_field(call.body_or_empty(), "assigned_to");
  BlockListIndex block_list(state);
  std::string now = state.now_iso();

  Tally tally;
  Json::Array created;
  created.reserve(inputs.size());
  std::unordered_set<std::string> seen;
  seen.reserve(inputs.size() * 2);

  for (std::size_t index = 0; index < inputs.size(); ++index) {
    const Json& input = inputs[index];
    const std::string* email = string_field(input, "email");
    if (!email || email->empty()) {
      // A list can hold a lead known only by name or phone; a campaign mails leads, so it cannot.
      if (!scope.campaign.empty() || !has_any_value(input)) {
        ++tally.incomplete;
        continue;
      }
    } else {
      if (!is_valid_email(*email)) {
        ++tally.invalid_email;
        continue;
      }
      std::string key = lower(*email);
      if (!seen.insert(key).second) {
        ++tally.duplicate_email;
        continue;
      }
      if (lead_in_scope(state, scope.id(), key)) {
        ++tally.duplicated;
        continue;
      }
      if (block_list.blocks(key)) {
        ++tally.blocked;
        continue;
      }
      if (skip.any() && skipped_by_flags(state, skip, key)) {
        ++tally.skipped;
        continue;
      }
    }
    const Json& lead = insert_lead(state, make_lead(state, input, scope, default_assignee, now));
    created.push_back(created_entry(index, lead));
    ++tally.uploaded;
  }

  auto stored = static_cast<std::int64_t>(state.collection(collections::kLeads).size());
  const Json* blocklist_id = call.field("blocklist_id");
  Json::Object reply;
  reply.reserve(12);
  reply.emplace_back("status", "success");
  reply.emplace_back("total_sent", static_cast<std::int64_t>(inputs.size()));
  reply.emplace_back("leads_uploaded", tally.uploaded);
  reply.emplace_back("in_blocklist", tally.blocked);
  reply.emplace_back("blocklist_used", blocklist_id && blocklist_id->is_string() ? *blocklist_id : Json(nullptr));
  reply.emplace_back("duplicated_leads", tally.duplicated);
  reply.emplace_back("skipped_count", tally.skipped);
  reply.emplace_back("invalid_email_count", tally.invalid_email);
  reply.emplace_back("incomplete_count", tally.incomplete);
  reply.emplace_back("duplicate_email_count", tally.duplicate_email);
  reply.emplace_back("remaining_in_plan", std::max<std::int64_t>(0, kPlanLeadCapacity - stored));
  reply.emplace_back("created_leads", Json(std::move(created)));
  return Reply::json(Json(std::move(reply)));
}

}  // namespace

void register_bulk_add_handler(Router& api) { api.on("bulkAddLeads", bulk_add); }

}  // namespace instantly::mock::leads
