// ImportReport's queries and the stable names of the outcomes.
#include <algorithm>
#include <array>
#include <numeric>

#include "instantly/workflows/lead_import.hpp"

namespace instantly::workflows {

namespace {

constexpr std::array<std::string_view, kLeadOutcomeCount> kNames = {
    "uploaded",      "duplicate_in_campaign", "duplicate_in_list", "duplicate_in_payload",
    "blocklisted",   "invalid_email",         "incomplete",        "skipped_by_flags",
    "rejected_client_side", "not_uploaded",   "failed",            "not_attempted"};

}  // namespace

std::string_view to_string(LeadOutcome outcome) noexcept {
  auto at = static_cast<std::size_t>(outcome);
  return at < kNames.size() ? kNames[at] : std::string_view();
}

std::optional<LeadOutcome> lead_outcome_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<LeadOutcome>(i);
  }
  return std::nullopt;
}

bool ImportReport::ok() const noexcept {
  return count(LeadOutcome::Failed) == 0 && count(LeadOutcome::NotAttempted) == 0 &&
         count(LeadOutcome::NotUploaded) == 0;
}

bool ImportReport::accounts_for_every_lead() const {
  if (std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}) != total) return false;
  if (outcomes.empty()) return true;  // counts only (keep_outcomes = false), or an empty input
  if (outcomes.size() != total) return false;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].index != i) return false;
  }
  return true;
}

const LeadRecord* ImportReport::find(std::uint64_t index) const {
  auto it = std::lower_bound(outcomes.begin(), outcomes.end(), index,
                             [](const LeadRecord& r, std::uint64_t i) { return r.index < i; });
  return it != outcomes.end() && it->index == index ? &*it : nullptr;
}

}  // namespace instantly::workflows
