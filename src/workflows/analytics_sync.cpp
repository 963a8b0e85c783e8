// AnalyticsSync: which campaigns to ask for, one sync end to end, and the
// snapshots remembered between syncs. The calls are in analytics_sync_calls,
// the rate and delta math in analytics_sync_math.
#include "instantly/workflows/analytics_sync.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "instantly/error.hpp"
#include "workflows/analytics_sync_calls.hpp"
#include "workflows/analytics_sync_decode.hpp"
#include "workflows/client_clock.hpp"
#include "workflows/either_stop.hpp"

namespace instantly::workflows {

namespace {

constexpr std::size_t kMaxChunkSize = 1000;

AnalyticsSyncOptions checked(AnalyticsSyncOptions options) {
  if (options.chunk_size < 1 || options.chunk_size > kMaxChunkSize) {
    throw ValidationError("analytics sync: chunk_size must be between 1 and " + std::to_string(kMaxChunkSize) +
                          ", got " + std::to_string(options.chunk_size));
  }
  std::vector<std::string> unique;
  std::unordered_set<std::string> seen;
  for (std::string& id : options.campaign_ids) {
    if (id.empty()) throw ValidationError("analytics sync: campaign_ids must not contain an empty id");
    if (seen.insert(id).second) unique.push_back(std::move(id));
  }
  options.campaign_ids = std::move(unique);
  if (!options.now) options.now = [] { return std::chrono::system_clock::now(); };
  return options;
}

/// The campaigns one sync covers, with what the listing said about them.
struct Followed {
  std::vector<std::string> ids;
  std::unordered_map<std::string, Campaign> listed;  // empty when ids were given
};

Followed followed_campaigns(const Client& client, const AnalyticsSyncOptions& options, std::size_t& requests) {
  Followed followed;
  if (!options.campaign_ids.empty()) {
    followed.ids = options.campaign_ids;
    return followed;
  }
  for (Campaign& c : detail::list_all_campaigns(client, options.stop, requests)) {
    if (followed.listed.contains(c.id)) continue;
    followed.ids.push_back(c.id);
    std::string id = c.id;
    followed.listed.emplace(std::move(id), std::move(c));
  }
  return followed;
}

/// A snapshot per followed id, in that order: the API's row, or zeros.
std::vector<CampaignSnapshot> snapshots_of(const Followed& followed, std::vector<CampaignAnalyticsResult> rows,
                                           std::chrono::system_clock::time_point taken_at) {
  std::unordered_map<std::string_view, const CampaignAnalyticsResult*> by_id;
  by_id.reserve(rows.size());
  for (const CampaignAnalyticsResult& row : rows) by_id.emplace(row.campaign_id, &row);
  std::vector<CampaignSnapshot> snapshots;
  snapshots.reserve(followed.ids.size());
  for (const std::string& id : followed.ids) {
    if (auto row = by_id.find(id); row != by_id.end()) {
      snapshots.push_back(detail::snapshot_of(*row->second, taken_at));
    } else {
      auto listed = followed.listed.find(id);
      snapshots.push_back(
          detail::unreported_snapshot(id, listed == followed.listed.end() ? nullptr : &listed->second, taken_at));
    }
  }
  return snapshots;
}

void fetch_extras(const Client& client, const AnalyticsSyncOptions& options, const Followed& followed,
                  AnalyticsSyncResult& result) {
  if (options.include_overview) {
    // Following everything: one call over the workspace (drafts have no activity to leave out).
    std::span<const std::string> ids = options.campaign_ids.empty() ? std::span<const std::string>() : followed.ids;
    result.overview = detail::overview_for(client, options, ids, result.requests);
  }
  auto activity = [&](ActivityScope scope, auto fetch, auto& out) {
    if (scope == ActivityScope::Workspace) {
      out = fetch(client, options, std::nullopt, result.requests);
    } else if (scope == ActivityScope::PerCampaign) {
      for (const std::string& id : followed.ids) {
        auto rows = fetch(client, options, id, result.requests);
        std::move(rows.begin(), rows.end(), std::back_inserter(out));
      }
    }
  };
  activity(options.daily, detail::daily_for, result.daily);
  activity(options.steps, detail::steps_for, result.steps);
}

/// Runs `call` with the options and the call's own `stop` added to theirs: either one stops it.
template <class Call>
auto with_call_stop(const AnalyticsSyncOptions& options, const std::stop_token& stop, Call&& call) {
  const detail::EitherStop either(options.stop, stop);
  AnalyticsSyncOptions call_options = options;
  call_options.stop = either.token();
  return call(call_options);
}

// Why a sync run failed, as WorkflowEvent::reason: a metric label, so a kind, not a message.
std::string_view sync_failure_label(const std::exception& error) {
  if (dynamic_cast<const CancelledError*>(&error) != nullptr) return "cancelled";
  if (dynamic_cast<const RateLimitError*>(&error) != nullptr) return "rate_limited";
  if (dynamic_cast<const ApiError*>(&error) != nullptr) return "api_error";
  if (dynamic_cast<const ApiConnectionError*>(&error) != nullptr) return "connection_failed";
  if (dynamic_cast<const DecodeError*>(&error) != nullptr) return "unreadable_answer";
  return "other";
}

/// `run()`, reported through the client's observer seam as run_finished (campaigns
/// snapshotted) or run_failed; no clock read when nobody observes the client.
template <class Run>
AnalyticsSyncResult reported_run(const Client& client, Run&& run) {
  if (!client.observed()) return run();
  Clock& clock = detail::clock_of(client);
  const Clock::time_point started = clock.now();
  auto took = [&] { return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.now() - started); };
  try {
    AnalyticsSyncResult result = run();
    client.notify({.workflow = "analytics_sync", .action = "run_finished", .items = result.snapshots.size(),
                   .duration = took()});
    return result;
  } catch (const std::exception& error) {
    client.notify({.workflow = "analytics_sync", .action = "run_failed", .reason = sync_failure_label(error),
                   .duration = took()});
    throw;
  }
}

}  // namespace

AnalyticsSync::AnalyticsSync(Client client, AnalyticsSyncOptions options)
    : client_(std::move(client)), options_(checked(std::move(options))) {}

AnalyticsSyncResult AnalyticsSync::sync(const std::stop_token& stop) {
  return reported_run(client_, [&] { return run(std::nullopt, stop); });
}

AnalyticsSyncResult AnalyticsSync::sync(std::span<const CampaignSnapshot> previous, const std::stop_token& stop) {
  return reported_run(client_, [&] { return run(previous, stop); });
}

AnalyticsSyncResult AnalyticsSync::run(std::optional<std::span<const CampaignSnapshot>> previous,
                                       const std::stop_token& stop) {
  std::lock_guard lock(mutex_);
  return with_call_stop(options_, stop, [&](const AnalyticsSyncOptions& options) {
    AnalyticsSyncResult result;
    // Whole milliseconds: what stores (SQLite, Python datetimes) keep without loss.
    result.taken_at = std::chrono::floor<std::chrono::milliseconds>(options.now());
    Followed followed = followed_campaigns(client_, options, result.requests);
    std::size_t before = result.requests;
    auto rows = detail::analytics_for(client_, options, followed.ids, result.requests);
    result.analytics_calls = result.requests - before;
    result.snapshots = snapshots_of(followed, std::move(rows), result.taken_at);
    fetch_extras(client_, options, followed, result);
    std::span<const CampaignSnapshot> baseline = previous ? *previous : std::span<const CampaignSnapshot>(previous_);
    result.deltas = deltas_between(baseline, result.snapshots);
    result.dropped = dropped_between(baseline, result.snapshots);
    previous_ = result.snapshots;  // only now: a sync that threw keeps the old baseline
    return result;
  });
}

std::vector<CampaignSnapshot> AnalyticsSync::previous() const {
  std::lock_guard lock(mutex_);
  return previous_;
}

AnalyticsOverview AnalyticsSync::overview(const std::stop_token& stop) const {
  return with_call_stop(options_, stop, [&](const AnalyticsSyncOptions& options) {
    std::size_t requests = 0;
    return detail::overview_for(client_, options, options.campaign_ids, requests);
  });
}

std::vector<CampaignDailyAnalytics> AnalyticsSync::daily(const std::optional<std::string>& campaign_id,
                                                         const std::stop_token& stop) const {
  return with_call_stop(options_, stop, [&](const AnalyticsSyncOptions& options) {
    std::size_t requests = 0;
    return detail::daily_for(client_, options, campaign_id, requests);
  });
}

std::vector<CampaignStepAnalytics> AnalyticsSync::steps(const std::optional<std::string>& campaign_id,
                                                        const std::stop_token& stop) const {
  return with_call_stop(options_, stop, [&](const AnalyticsSyncOptions& options) {
    std::size_t requests = 0;
    return detail::steps_for(client_, options, campaign_id, requests);
  });
}

}  // namespace instantly::workflows
