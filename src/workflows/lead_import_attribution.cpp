#include "workflows/lead_import_attribution.hpp"

#include <array>
#include <string_view>

#include "text/ascii.hpp"
#include "workflows/lead_import_validation.hpp"

namespace instantly::workflows::detail {

namespace {

struct Category {
  LeadOutcome outcome;
  std::int64_t count;
  std::string_view name;
};

/// The non-created categories of an answer, in the API's field names.
std::array<Category, 6> categories_of(const LeadAddResult& r, bool campaign_target) {
  return {{{campaign_target ? LeadOutcome::DuplicateInCampaign : LeadOutcome::DuplicateInList, r.duplicated_leads,
            "duplicated_leads"},
           {LeadOutcome::Blocklisted, r.in_blocklist, "in_blocklist"},
           {LeadOutcome::InvalidEmail, r.invalid_email_count, "invalid_email_count"},
           {LeadOutcome::SkippedByFlags, r.skipped_count, "skipped_count"},
           {LeadOutcome::DuplicateInPayload, r.duplicate_email_count, "duplicate_email_count"},
           {LeadOutcome::Incomplete, r.incomplete_count, "incomplete_count"}}};
}

std::string reason_for(const Category& category, bool after_retry) {
  std::string reason = "reported by the API as " + std::string(category.name);
  if (after_retry && (category.outcome == LeadOutcome::DuplicateInCampaign ||
                      category.outcome == LeadOutcome::DuplicateInList)) {
    reason += " on a re-sent chunk (the failed attempt may have created it)";
  }
  return reason;
}

}  // namespace

std::vector<LeadRecord> attribute(const LeadAddResult& result, const std::vector<SentLead>& sent,
                                  const AttributionContext& context) {
  std::vector<LeadRecord> records(sent.size());
  std::vector<bool> settled(sent.size(), false);
  for (std::size_t i = 0; i < sent.size(); ++i) records[i].index = sent[i].index;

  for (const LeadAddResultCreatedLead& created : result.created_leads) {
    if (created.index < 0 || static_cast<std::uint64_t>(created.index) >= sent.size()) continue;
    auto at = static_cast<std::size_t>(created.index);
    if (settled[at]) continue;
    records[at].outcome = LeadOutcome::Uploaded;
    records[at].lead_id = created.id;
    settled[at] = true;
  }

  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (!settled[i]) open.push_back(i);
  }
  if (open.empty()) return records;

  auto settle = [&](std::size_t at, const Category& category, std::string lead_id = {}) {
    LeadRecord& record = records[at];
    record.outcome = category.outcome;
    record.reason = reason_for(category, context.after_retry);
    record.lead_id = std::move(lead_id);
    bool duplicate = category.outcome == LeadOutcome::DuplicateInCampaign ||
                     category.outcome == LeadOutcome::DuplicateInList;
    record.after_retry = duplicate && context.after_retry;
  };
  auto unresolved = [&](std::size_t at, const std::string& why) {
    records[at].outcome = LeadOutcome::NotUploaded;
    records[at].reason = why;
  };

  const std::array<Category, 6> categories = categories_of(result, context.campaign_target);
  std::vector<Category> present;
  for (const Category& category : categories) {
    if (category.count > 0) present.push_back(category);
  }
  if (present.empty()) {
    for (std::size_t at : open) unresolved(at, "not created, and the API reported no category for it");
    return records;
  }

  const Category& duplicates = categories[0];
  bool has_duplicates = duplicates.count > 0;

  // Emails of the open leads, for the lookup that finds duplicates (and
  // the ids of leads a failed earlier attempt created).
  std::optional<std::unordered_map<std::string, std::string>> found;
  bool want_lookup = has_duplicates && context.lookup && (present.size() > 1 || context.after_retry);
  if (want_lookup) {
    std::vector<std::string> emails;
    for (std::size_t at : open) {
      if (!sent[at].email.empty()) emails.push_back(ascii::lower(sent[at].email));
    }
    if (!emails.empty()) found = context.lookup(emails);
  }
  auto id_of = [&](std::size_t at) -> std::string {
    if (!found || sent[at].email.empty()) return {};
    auto it = found->find(ascii::lower(sent[at].email));
    return it == found->end() ? std::string() : it->second;
  };

  if (present.size() == 1) {
    for (std::size_t at : open) settle(at, present.front(), has_duplicates ? id_of(at) : std::string());
    return records;
  }

  std::string candidates;
  for (const Category& category : present) {
    candidates += candidates.empty() ? "" : ", ";
    candidates += category.name;
  }
  std::string why = "not created; the API's counts do not say which of " + candidates + " applies";

  if (!has_duplicates || !found) {
    if (has_duplicates) why += " (the lookup of existing leads failed)";
    for (std::size_t at : open) unresolved(at, why);
    return records;
  }

  std::vector<std::size_t> in_target, rest;
  for (std::size_t at : open) (id_of(at).empty() ? rest : in_target).push_back(at);
  if (static_cast<std::int64_t>(in_target.size()) != duplicates.count) {
    for (std::size_t at : open) unresolved(at, why + " (the lookup found a different number of existing leads)");
    return records;
  }
  for (std::size_t at : in_target) settle(at, duplicates, id_of(at));
  if (rest.empty()) return records;
  if (present.size() == 2) {
    const Category& other = present[0].outcome == duplicates.outcome ? present[1] : present[0];
    for (std::size_t at : rest) settle(at, other);
    return records;
  }
  std::string others;
  for (const Category& category : present) {
    if (category.outcome == duplicates.outcome) continue;
    others += others.empty() ? "" : ", ";
    others += category.name;
  }
  for (std::size_t at : rest) unresolved(at, "not created; the API's counts do not say which of " + others + " applies");
  return records;
}

}  // namespace instantly::workflows::detail
