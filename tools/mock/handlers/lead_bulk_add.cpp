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
// Every check is a hash lookup, so a full call stays linear in its size. The
// first three need only the request and run before the state lock
// (lead_bulk_add_draft.cpp); the rest, and storing the leads, run under it.
#include <memory>
#include <string>

#include "handlers/lead_block_list.hpp"
#include "handlers/lead_bulk_add_draft.hpp"
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

Reply bulk_add(const Call& call, State& state) {
  auto& draft = *std::static_pointer_cast<BulkAddDraft>(call.prepared);
  const LeadScope& scope = draft.scope;
  if (!scope.campaign.empty()) {
    campaign_or_404(state, scope.campaign);
  } else {
    lead_list_or_404(state, scope.list_id);
  }
  const Json::Array& inputs = call.field("leads")->as_array();
  SkipFlags skip = SkipFlags::from_body(call.body_or_empty());
  BlockListIndex block_list(state);
  std::string now = state.now_iso();

  Tally tally;
  tally.incomplete = draft.incomplete;
  tally.invalid_email = draft.invalid_email;
  tally.duplicate_email = draft.duplicate_email;
  Json::Array created;
  created.reserve(draft.candidates.size());

  for (DraftLead& lead : draft.candidates) {
    const std::string& key = lead.email_key;
    if (!key.empty()) {
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
    stamp_lead(state, lead.record, now);
    lead.created_entry.as_object()[kCreatedEntryIdMember].second = lead.record.at("id");
    insert_lead(state, std::move(lead.record));
    created.push_back(std::move(lead.created_entry));
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

std::shared_ptr<void> prepare_bulk_add(Call& call) { return std::make_shared<BulkAddDraft>(draft_bulk_add(call)); }

}  // namespace

void register_bulk_add_handler(Router& api) { api.on("bulkAddLeads", prepare_bulk_add, bulk_add); }

}  // namespace instantly::mock::leads
