// The generated analytics results (instantly/models/campaign.hpp) as the
// workflow's typed values: renamed counters, absent ones as 0.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "instantly/models/campaign.hpp"
#include "instantly/workflows/analytics_sync.hpp"

namespace instantly::workflows::detail {

CampaignSnapshot snapshot_of(const CampaignAnalyticsResult& row, std::chrono::system_clock::time_point taken_at);
/// The zero snapshot of a campaign the analytics call returned nothing for;
/// `listed` (when the listing saw it) gives its name and status.
CampaignSnapshot unreported_snapshot(const std::string& campaign_id, const Campaign* listed,
                                     std::chrono::system_clock::time_point taken_at);
AnalyticsOverview overview_of(const CampaignGetAnalyticsOverviewResult& result);
CampaignDailyAnalytics daily_of(const CampaignGetDailyAnalyticsResult& row,
                                const std::optional<std::string>& campaign_id);
CampaignStepAnalytics step_of(const CampaignGetStepsAnalyticsResult& row,
                              const std::optional<std::string>& campaign_id);

/// Sums two overviews of disjoint campaign sets (chunks of ids).
AnalyticsOverview& operator+=(AnalyticsOverview& total, const AnalyticsOverview& part) noexcept;

}  // namespace instantly::workflows::detail
