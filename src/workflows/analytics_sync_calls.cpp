#include "workflows/analytics_sync_calls.hpp"

#include <set>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/resources/campaigns.hpp"
#include "workflows/analytics_sync_chunks.hpp"
#include "workflows/analytics_sync_decode.hpp"

namespace instantly::workflows::detail {

std::vector<Campaign> list_all_campaigns(const Client& client, const std::stop_token& stop, std::size_t& requests) {
  // Paged by hand rather than through the Paginator so that every request,
  // the final empty page included, is counted.
  std::vector<Campaign> campaigns;
  std::optional<std::string> cursor;
  std::set<std::string, std::less<>> seen;
  for (;;) {
    Page<Campaign> page = client.campaigns().list({.limit = 100, .starting_after = cursor}, {.stop = stop}).first_page();
    ++requests;
    for (Campaign& c : page.items) campaigns.push_back(std::move(c));
    if (!page.has_next_page()) return campaigns;
    if (!seen.insert(*page.next_starting_after).second) {
      // Not quoted: the server's text could echo the API key.
      throw PaginationError("the server repeated a campaigns cursor; stopping instead of listing the same "
                            "campaigns forever");
    }
    cursor = std::move(page.next_starting_after);
  }
}

std::vector<CampaignAnalyticsResult> analytics_for(const Client& client, const AnalyticsSyncOptions& options,
                                                   std::span<const std::string> ids, std::size_t& requests) {
  std::vector<CampaignAnalyticsResult> rows;
  for (std::vector<std::string>& chunk : chunk_ids(ids, options.chunk_size, kMaxIdsQueryBytes)) {
    CampaignAnalyticsParams params{.ids = std::move(chunk), .start_date = options.start_date,
                                   .end_date = options.end_date};
    std::vector<CampaignAnalyticsResult> part = client.campaigns().analytics(params, {.stop = options.stop});
    ++requests;
    for (CampaignAnalyticsResult& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

AnalyticsOverview overview_for(const Client& client, const AnalyticsSyncOptions& options,
                               std::span<const std::string> ids, std::size_t& requests) {
  CampaignGetAnalyticsOverviewParams params{.start_date = options.start_date, .end_date = options.end_date};
  if (ids.empty()) {
    AnalyticsOverview all = overview_of(client.campaigns().get_analytics_overview(params, {.stop = options.stop}));
    ++requests;
    return all;
  }
  AnalyticsOverview total;
  for (std::vector<std::string>& chunk : chunk_ids(ids, options.chunk_size, kMaxIdsQueryBytes)) {
    params.ids = std::move(chunk);
    total += overview_of(client.campaigns().get_analytics_overview(params, {.stop = options.stop}));
    ++requests;
  }
  return total;
}

std::vector<CampaignDailyAnalytics> daily_for(const Client& client, const AnalyticsSyncOptions& options,
                                      const std::optional<std::string>& campaign_id, std::size_t& requests) {
  auto rows = client.campaigns().get_daily_analytics(
      {.campaign_id = campaign_id, .start_date = options.start_date, .end_date = options.end_date},
      {.stop = options.stop});
  ++requests;
  std::vector<CampaignDailyAnalytics> days;
  days.reserve(rows.size());
  for (const auto& row : rows) days.push_back(daily_of(row, campaign_id));
  return days;
}

std::vector<CampaignStepAnalytics> steps_for(const Client& client, const AnalyticsSyncOptions& options,
                                     const std::optional<std::string>& campaign_id, std::size_t& requests) {
  auto rows = client.campaigns().get_steps_analytics(
      {.campaign_id = campaign_id, .start_date = options.start_date, .end_date = options.end_date},
      {.stop = options.stop});
  ++requests;
  std::vector<CampaignStepAnalytics> steps;
  steps.reserve(rows.size());
  for (const auto& row : rows) steps.push_back(step_of(row, campaign_id));
  return steps;
}

}  // namespace instantly::workflows::detail
