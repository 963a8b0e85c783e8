// The API calls AnalyticsSync makes, each adding the requests it sent to
// `requests` (so a sync can report its cost) and each stopped by the
// options' stop token. Throw what the client throws.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/models/campaign.hpp"
#include "instantly/workflows/analytics_sync.hpp"

namespace instantly::workflows::detail {

/// Every campaign, drafts included (`GET /campaigns`, 100 per page).
std::vector<Campaign> list_all_campaigns(const Client& client, const std::stop_token& stop, std::size_t& requests);

/// `GET /campaigns/analytics` for `ids`, one call per chunk of options.chunk_size
/// ids (see chunk_ids); the rows in the order the API gave them.
std::vector<CampaignAnalyticsResult> analytics_for(const Client& client, const AnalyticsSyncOptions& options,
                                                   std::span<const std::string> ids, std::size_t& requests);

/// `/campaigns/analytics/overview` over `ids` (one call per chunk, summed), or
/// over every campaign in one call when `ids` is empty.
AnalyticsOverview overview_for(const Client& client, const AnalyticsSyncOptions& options,
                               std::span<const std::string> ids, std::size_t& requests);

/// `/campaigns/analytics/daily` for one campaign, or the workspace when empty.
std::vector<CampaignDailyAnalytics> daily_for(const Client& client, const AnalyticsSyncOptions& options,
                                      const std::optional<std::string>& campaign_id, std::size_t& requests);

/// `/campaigns/analytics/steps` for one campaign, or the workspace when empty.
std::vector<CampaignStepAnalytics> steps_for(const Client& client, const AnalyticsSyncOptions& options,
                                     const std::optional<std::string>& campaign_id, std::size_t& requests);

}  // namespace instantly::workflows::detail
