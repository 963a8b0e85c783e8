// Pulling campaign analytics on a schedule: typed snapshots of many campaigns
// with the fewest calls, derived rates, and what changed since last time.
//
//   instantly::workflows::AnalyticsSync sync(client, {.include_overview = true});  // every campaign
//   instantly::workflows::AnalyticsSyncResult first = sync.sync();
//   ...
//   instantly::workflows::AnalyticsSyncResult next = sync.sync();  // deltas against `first`
//   for (const auto& d : next.deltas) log(d.campaign_id, d.counters.emails_sent);
//   std::optional<double> reply_rate = next.snapshots[0].rates().reply;
//
// Calls per sync(), with N followed campaigns and chunk size k:
//   - following every campaign (campaign_ids empty): the `GET /campaigns`
//     listing, ceil(campaigns / 100) pages, so that drafts are asked for by id
//     (`GET /campaigns/analytics` without ids leaves drafts out);
//   - ceil(N / k) `GET /campaigns/analytics` calls, the ids as repeated `ids`
//     keys (never one call per campaign); a chunk also closes early when its
//     ids would pass kMaxIdsQueryBytes of query string, which 36-character
//     UUIDs reach only with k > 146, so URLs stay well under the 8 KB servers
//     commonly accept;
//   - include_overview: one `/campaigns/analytics/overview` call when
//     following every campaign, else one per chunk of ids (summed);
//   - daily / steps: nothing (None), one call (Workspace), or one call per
//     followed campaign (PerCampaign): those endpoints take one campaign_id.
//
// Campaigns the analytics call returns nothing for (an unknown id, one deleted
// between the listing and the analytics call) still get a snapshot, of zeros,
// with `reported == false`, so a followed campaign never silently disappears.
//
// Rates (AnalyticsRates) are fractions in [0, 1] of `contacted` (leads that
// received at least one email), std::nullopt while contacted is 0:
//   open        = opened_unique  / contacted   (leads that opened)
//   reply       = replies_unique / contacted   (leads that replied; automatic replies excluded)
//   click       = clicks_unique  / contacted   (leads that clicked a link)
//   bounce      = bounced        / contacted   (a lead bounces at most once)
//   unsubscribe = unsubscribed   / contacted
//
// Deltas: current minus previous, counter by counter, matched by campaign id.
// A campaign without a previous snapshot has `first_seen` set and its delta is
// its whole current value. Deltas can be negative (leads deleted, a sliding
// start_date / end_date window). The previous set is the last sync() of the
// same object, or the one passed to sync(previous) (e.g. loaded from storage).
//
// Thread-safety: sync() calls on one object run one at a time (an internal
// mutex keeps the remembered snapshots consistent); overview(), daily() and
// steps() may run from many threads. Separate objects may share a Client.
//
// Errors: the constructor throws ValidationError for bad options (chunk_size
// outside 1..1000, an empty campaign id); every call throws the client's
// ApiError subclasses, ApiConnectionError or DecodeError. A sync() that throws
// leaves the remembered snapshots unchanged.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/models/campaign.hpp"

namespace instantly::workflows {

/// Ids per query string at most (bytes of `ids=...&`, after encoding).
inline constexpr std::size_t kMaxIdsQueryBytes = 6000;

/// The rates of AnalyticsCounters (see the file comment); nullopt when contacted is 0.
struct AnalyticsRates {
  std::optional<double> open;
  std::optional<double> reply;
  std::optional<double> click;
  std::optional<double> bounce;
  std::optional<double> unsubscribe;

  friend bool operator==(const AnalyticsRates&, const AnalyticsRates&) = default;
};

/// The counters `/campaigns/analytics` and `/campaigns/analytics/overview`
/// share (API field in brackets). Counters the API leaves out read as 0.
struct AnalyticsCounters {
  std::int64_t contacted = 0;                 ///< leads that got at least one email [contacted_count]
  std::int64_t new_leads_contacted = 0;       ///< [new_leads_contacted_count]
  std::int64_t emails_sent = 0;               ///< [emails_sent_count]
  std::int64_t opened = 0;                    ///< every open [open_count]
  std::int64_t opened_unique = 0;             ///< leads that opened [open_count_unique]
  std::int64_t replies = 0;                   ///< replies by people [reply_count]
  std::int64_t replies_unique = 0;            ///< leads that replied [reply_count_unique]
  std::int64_t replies_automatic = 0;         ///< out-of-office and the like [reply_count_automatic]
  std::int64_t replies_automatic_unique = 0;  ///< [reply_count_automatic_unique]
  std::int64_t clicks = 0;                    ///< every link click [link_click_count]
  std::int64_t clicks_unique = 0;             ///< leads that clicked [link_click_count_unique]
  std::int64_t bounced = 0;                   ///< [bounced_count]
  std::int64_t unsubscribed = 0;              ///< [unsubscribed_count]
  std::int64_t completed = 0;                 ///< leads through every step [completed_count]
  std::int64_t opportunities = 0;             ///< [total_opportunities]
  double opportunity_value = 0;               ///< [total_opportunity_value]

  AnalyticsRates rates() const noexcept;
  AnalyticsCounters& operator+=(const AnalyticsCounters& other) noexcept;
  friend AnalyticsCounters operator-(const AnalyticsCounters& a, const AnalyticsCounters& b) noexcept;
  friend bool operator==(const AnalyticsCounters&, const AnalyticsCounters&) = default;
};

/// One campaign's analytics at one moment.
struct CampaignSnapshot {
  std::string campaign_id;
  std::string campaign_name;  ///< empty when unknown (not reported, not listed)
  /// Empty when unknown (an explicitly followed id the API reported nothing for).
  std::optional<CampaignStatus> campaign_status;
  bool is_evergreen = false;
  std::int64_t leads_count = 0;  ///< leads in the campaign now (not bound by the date range)
  AnalyticsCounters counters;
  /// When the sync that made it started, to the millisecond.
  std::chrono::system_clock::time_point taken_at;
  /// False when the analytics call returned no row for this campaign and the counters are zeros.
  bool reported = true;

  AnalyticsRates rates() const noexcept { return counters.rates(); }
  friend bool operator==(const CampaignSnapshot&, const CampaignSnapshot&) = default;
};

/// What changed for one campaign between two snapshots.
struct CampaignDelta {
  std::string campaign_id;
  /// No previous snapshot: the delta is the whole current value.
  bool first_seen = false;
  /// taken_at of the previous snapshot; empty when first_seen.
  std::optional<std::chrono::system_clock::time_point> since;
  std::int64_t leads_count = 0;
  AnalyticsCounters counters;  ///< current minus previous

  friend bool operator==(const CampaignDelta&, const CampaignDelta&) = default;
};

/// Deltas of every snapshot in `current` (same order) against the snapshot
/// with the same campaign id in `previous`; see the file comment.
std::vector<CampaignDelta> deltas_between(std::span<const CampaignSnapshot> previous,
                                          std::span<const CampaignSnapshot> current);

/// Ids in `previous` with no snapshot in `current`, in `previous`'s order.
std::vector<std::string> dropped_between(std::span<const CampaignSnapshot> previous,
                                         std::span<const CampaignSnapshot> current);

/// `/campaigns/analytics/overview`: the followed campaigns together.
struct AnalyticsOverview {
  AnalyticsCounters counters;
  std::int64_t interested = 0;          ///< [total_interested]
  std::int64_t meetings_booked = 0;     ///< [total_meeting_booked]
  std::int64_t meetings_completed = 0;  ///< [total_meeting_completed]
  std::int64_t closed = 0;              ///< [total_closed]

  AnalyticsRates rates() const noexcept { return counters.rates(); }
  friend bool operator==(const AnalyticsOverview&, const AnalyticsOverview&) = default;
};

/// One day of `/campaigns/analytics/daily`.
struct CampaignDailyAnalytics {
  /// The campaign the row counts; empty for a row over the whole workspace.
  std::optional<std::string> campaign_id;
  std::string date;  ///< "YYYY-MM-DD"
  std::int64_t sent = 0;
  std::int64_t contacted = 0;
  std::int64_t new_leads_contacted = 0;
  std::int64_t opened = 0;
  std::int64_t opened_unique = 0;
  std::int64_t replies = 0;
  std::int64_t replies_unique = 0;
  std::int64_t replies_automatic = 0;
  std::int64_t replies_automatic_unique = 0;
  std::int64_t clicks = 0;
  std::int64_t clicks_unique = 0;
  std::int64_t opportunities = 0;
  std::int64_t opportunities_unique = 0;

  friend bool operator==(const CampaignDailyAnalytics&, const CampaignDailyAnalytics&) = default;
};

/// One step and variant of `/campaigns/analytics/steps`.
struct CampaignStepAnalytics {
  /// The campaign the row counts; empty for a row over the whole workspace.
  std::optional<std::string> campaign_id;
  std::optional<std::string> step;     ///< as the API sends it ("1", ...); empty when null
  std::optional<std::string> variant;  ///< "0" is variant A; empty when null
  std::int64_t sent = 0;
  std::int64_t opened = 0;
  std::int64_t opened_unique = 0;
  std::int64_t replies = 0;
  std::int64_t replies_unique = 0;
  std::int64_t replies_automatic = 0;
  std::int64_t replies_automatic_unique = 0;
  std::int64_t clicks = 0;
  std::int64_t clicks_unique = 0;

  friend bool operator==(const CampaignStepAnalytics&, const CampaignStepAnalytics&) = default;
};

/// How far daily or step analytics are fetched by sync().
enum class ActivityScope : std::uint8_t {
  None,         ///< not fetched
  Workspace,    ///< one call over every campaign of the workspace (rows without campaign_id)
  PerCampaign,  ///< one call per followed campaign
};

struct AnalyticsSyncOptions {
  /// The campaigns to follow, in this order (duplicates dropped). Empty =
  /// every campaign, drafts included, listed again at each sync.
  std::vector<std::string> campaign_ids;
  /// Campaign ids per `/campaigns/analytics` call, 1..1000.
  std::size_t chunk_size = 100;
  /// Passed through as the API's `start_date` / `end_date` (e.g. "2026-03-01"):
  /// counters then cover events in that range; leads_count stays the current count.
  std::optional<std::string> start_date;
  std::optional<std::string> end_date;
  bool include_overview = false;
  ActivityScope daily = ActivityScope::None;
  ActivityScope steps = ActivityScope::None;
  /// Stamps snapshots; empty = std::chrono::system_clock::now. Tests inject one.
  std::function<std::chrono::system_clock::time_point()> now;
  /// Stops a sync in progress: every wait and call in flight ends at once,
  /// nothing more is sent, and `sync` throws CancelledError (the previous
  /// snapshots stay as they were).
  std::stop_token stop;
};

struct AnalyticsSyncResult {
  std::chrono::system_clock::time_point taken_at;  ///< when the sync started, to the millisecond
  /// One per followed campaign: the listing's order, or campaign_ids' order.
  std::vector<CampaignSnapshot> snapshots;
  /// One per snapshot, in the same order.
  std::vector<CampaignDelta> deltas;
  /// Campaigns of the previous set without a snapshot now (deleted, or no longer followed).
  std::vector<std::string> dropped;
  std::optional<AnalyticsOverview> overview;  ///< set with include_overview
  std::vector<CampaignDailyAnalytics> daily;
  std::vector<CampaignStepAnalytics> steps;
  std::size_t analytics_calls = 0;  ///< `GET /campaigns/analytics` calls this sync made
  std::size_t requests = 0;         ///< every call this sync made (core retries not counted)

  /// The snapshot of `campaign_id`, or null.
  const CampaignSnapshot* find(std::string_view campaign_id) const noexcept;
  /// The delta of `campaign_id`, or null.
  const CampaignDelta* find_delta(std::string_view campaign_id) const noexcept;
};

class AnalyticsSync {
 public:
  /// Throws ValidationError for bad options (nothing is sent).
  AnalyticsSync(Client client, AnalyticsSyncOptions options);

  /// Snapshots every followed campaign (plus the extras asked for), with
  /// deltas against the previous sync() of this object; remembers the new
  /// snapshots for the next one. `stop` ends this call early, as
  /// `options().stop` ends any (CancelledError; the baseline stays as it was).
  AnalyticsSyncResult sync(const std::stop_token& stop = {});
  /// The same, with deltas against `previous` instead (e.g. the last set
  /// stored by an earlier process); the new snapshots are remembered.
  AnalyticsSyncResult sync(std::span<const CampaignSnapshot> previous, const std::stop_token& stop = {});

  /// The snapshots the next sync() compares against (empty before the first).
  std::vector<CampaignSnapshot> previous() const;

  /// `/campaigns/analytics/overview` for the followed campaigns (see the file comment for calls).
  AnalyticsOverview overview(const std::stop_token& stop = {}) const;
  /// `/campaigns/analytics/daily` for one campaign, or the whole workspace when empty.
  std::vector<CampaignDailyAnalytics> daily(const std::optional<std::string>& campaign_id = std::nullopt,
                                            const std::stop_token& stop = {}) const;
  /// `/campaigns/analytics/steps` for one campaign, or the whole workspace when empty.
  std::vector<CampaignStepAnalytics> steps(const std::optional<std::string>& campaign_id = std::nullopt,
                                           const std::stop_token& stop = {}) const;

  const AnalyticsSyncOptions& options() const noexcept { return options_; }

 private:
  AnalyticsSyncResult run(std::optional<std::span<const CampaignSnapshot>> previous, const std::stop_token& stop);

  Client client_;
  AnalyticsSyncOptions options_;
  mutable std::mutex mutex_;  // guards previous_ and serialises sync()
  std::vector<CampaignSnapshot> previous_;
};

}  // namespace instantly::workflows
