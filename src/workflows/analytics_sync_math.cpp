// Rates, deltas and lookups over snapshots: pure functions, no I/O.
#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "instantly/workflows/analytics_sync.hpp"

namespace instantly::workflows {

namespace {

// Every counter of AnalyticsCounters but the double one, for the member-wise operators.
constexpr std::int64_t AnalyticsCounters::* kIntegerCounters[] = {
    &AnalyticsCounters::contacted,        &AnalyticsCounters::new_leads_contacted,
    &AnalyticsCounters::emails_sent,      &AnalyticsCounters::opened,
    &AnalyticsCounters::opened_unique,    &AnalyticsCounters::replies,
    &AnalyticsCounters::replies_unique,   &AnalyticsCounters::replies_automatic,
    &AnalyticsCounters::replies_automatic_unique, &AnalyticsCounters::clicks,
    &AnalyticsCounters::clicks_unique,    &AnalyticsCounters::bounced,
    &AnalyticsCounters::unsubscribed,     &AnalyticsCounters::completed,
    &AnalyticsCounters::opportunities,
};

std::optional<double> share(std::int64_t part, std::int64_t contacted) noexcept {
  if (contacted <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(contacted);
}

}  // namespace

AnalyticsRates AnalyticsCounters::rates() const noexcept {
  return {.open = share(opened_unique, contacted),
          .reply = share(replies_unique, contacted),
          .click = share(clicks_unique, contacted),
          .bounce = share(bounced, contacted),
          .unsubscribe = share(unsubscribed, contacted)};
}

AnalyticsCounters& AnalyticsCounters::operator+=(const AnalyticsCounters& other) noexcept {
  for (auto member : kIntegerCounters) this->*member += other.*member;
  opportunity_value += other.opportunity_value;
  return *this;
}

AnalyticsCounters operator-(const AnalyticsCounters& a, const AnalyticsCounters& b) noexcept {
  AnalyticsCounters out = a;
  for (auto member : kIntegerCounters) out.*member -= b.*member;
  out.opportunity_value -= b.opportunity_value;
  return out;
}

std::vector<CampaignDelta> deltas_between(std::span<const CampaignSnapshot> previous,
                                          std::span<const CampaignSnapshot> current) {
  std::unordered_map<std::string_view, const CampaignSnapshot*> before;
  before.reserve(previous.size());
  for (const CampaignSnapshot& s : previous) before[s.campaign_id] = &s;
  std::vector<CampaignDelta> deltas;
  deltas.reserve(current.size());
  for (const CampaignSnapshot& now : current) {
    CampaignDelta d{.campaign_id = now.campaign_id};
    auto found = before.find(now.campaign_id);
    if (found == before.end()) {
      d.first_seen = true;
      d.leads_count = now.leads_count;
      d.counters = now.counters;
    } else {
      d.since = found->second->taken_at;
      d.leads_count = now.leads_count - found->second->leads_count;
      d.counters = now.counters - found->second->counters;
    }
    deltas.push_back(std::move(d));
  }
  return deltas;
}

std::vector<std::string> dropped_between(std::span<const CampaignSnapshot> previous,
                                         std::span<const CampaignSnapshot> current) {
  std::unordered_set<std::string_view> now;
  now.reserve(current.size());
  for (const CampaignSnapshot& s : current) now.insert(s.campaign_id);
  std::vector<std::string> dropped;
  for (const CampaignSnapshot& s : previous) {
    if (!now.contains(s.campaign_id)) dropped.push_back(s.campaign_id);
  }
  return dropped;
}

const CampaignSnapshot* AnalyticsSyncResult::find(std::string_view campaign_id) const noexcept {
  auto it = std::ranges::find(snapshots, campaign_id, &CampaignSnapshot::campaign_id);
  return it == snapshots.end() ? nullptr : &*it;
}

const CampaignDelta* AnalyticsSyncResult::find_delta(std::string_view campaign_id) const noexcept {
  auto it = std::ranges::find(deltas, campaign_id, &CampaignDelta::campaign_id);
  return it == deltas.end() ? nullptr : &*it;
}

}  // namespace instantly::workflows
