#include "workflows/analytics_sync_decode.hpp"

#include <cmath>
#include <cstdint>

namespace instantly::workflows::detail {

namespace {

std::int64_t or_zero(const std::optional<std::int64_t>& value) noexcept { return value.value_or(0); }

std::optional<std::string> text_of(const Nullable<std::string>& value) {
  if (!value.has_value()) return std::nullopt;
  return *value;
}

CampaignStatus status_of(double status) noexcept {
  return static_cast<CampaignStatus>(static_cast<std::int64_t>(std::llround(status)));
}

}  // namespace

CampaignSnapshot snapshot_of(const CampaignAnalyticsResult& row, std::chrono::system_clock::time_point taken_at) {
  CampaignSnapshot s;
  s.campaign_id = row.campaign_id;
  s.campaign_name = row.campaign_name;
  s.campaign_status = status_of(row.campaign_status);
  s.is_evergreen = row.campaign_is_evergreen;
  s.leads_count = row.leads_count;
  s.taken_at = taken_at;
  AnalyticsCounters& c = s.counters;
  c.contacted = row.contacted_count;
  c.new_leads_contacted = row.new_leads_contacted_count;
  c.emails_sent = row.emails_sent_count;
  c.opened = row.open_count;
  c.opened_unique = or_zero(row.open_count_unique);
  c.replies = row.reply_count;
  c.replies_unique = or_zero(row.reply_count_unique);
  c.replies_automatic = or_zero(row.reply_count_automatic);
  c.replies_automatic_unique = or_zero(row.reply_count_automatic_unique);
  c.clicks = row.link_click_count;
  c.clicks_unique = or_zero(row.link_click_count_unique);
  c.bounced = row.bounced_count;
  c.unsubscribed = row.unsubscribed_count;
  c.completed = row.completed_count;
  c.opportunities = row.total_opportunities;
  c.opportunity_value = row.total_opportunity_value;
  return s;
}

CampaignSnapshot unreported_snapshot(const std::string& campaign_id, const Campaign* listed,
                                     std::chrono::system_clock::time_point taken_at) {
  CampaignSnapshot s;
  s.campaign_id = campaign_id;
  s.taken_at = taken_at;
  s.reported = false;
  if (listed) {
    s.campaign_name = listed->name;
    s.campaign_status = listed->status;
    if (listed->is_evergreen.has_value()) s.is_evergreen = *listed->is_evergreen;
  }
  return s;
}

AnalyticsOverview overview_of(const CampaignGetAnalyticsOverviewResult& r) {
  AnalyticsOverview o;
  AnalyticsCounters& c = o.counters;
  c.contacted = or_zero(r.contacted_count);
  c.new_leads_contacted = or_zero(r.new_leads_contacted_count);
  c.emails_sent = or_zero(r.emails_sent_count);
  c.opened = or_zero(r.open_count);
  c.opened_unique = or_zero(r.open_count_unique);
  c.replies = or_zero(r.reply_count);
  c.replies_unique = or_zero(r.reply_count_unique);
  c.replies_automatic = or_zero(r.reply_count_automatic);
  c.replies_automatic_unique = or_zero(r.reply_count_automatic_unique);
  c.clicks = or_zero(r.link_click_count);
  c.clicks_unique = or_zero(r.link_click_count_unique);
  c.bounced = or_zero(r.bounced_count);
  c.unsubscribed = or_zero(r.unsubscribed_count);
  c.completed = or_zero(r.completed_count);
  c.opportunities = or_zero(r.total_opportunities);
  c.opportunity_value = r.total_opportunity_value.value_or(0.0);
  o.interested = or_zero(r.total_interested);
  o.meetings_booked = or_zero(r.total_meeting_booked);
  o.meetings_completed = or_zero(r.total_meeting_completed);
  o.closed = or_zero(r.total_closed);
  return o;
}

CampaignDailyAnalytics daily_of(const CampaignGetDailyAnalyticsResult& r,
                                const std::optional<std::string>& campaign_id) {
  CampaignDailyAnalytics d;
  d.campaign_id = campaign_id;
  d.date = r.date.value_or(std::string());
  d.sent = or_zero(r.sent);
  d.contacted = or_zero(r.contacted);
  d.new_leads_contacted = or_zero(r.new_leads_contacted);
  d.opened = or_zero(r.opened);
  d.opened_unique = or_zero(r.unique_opened);
  d.replies = or_zero(r.replies);
  d.replies_unique = or_zero(r.unique_replies);
  d.replies_automatic = or_zero(r.replies_automatic);
  d.replies_automatic_unique = or_zero(r.unique_replies_automatic);
  d.clicks = or_zero(r.clicks);
  d.clicks_unique = or_zero(r.unique_clicks);
  d.opportunities = or_zero(r.opportunities);
  d.opportunities_unique = or_zero(r.unique_opportunities);
  return d;
}

CampaignStepAnalytics step_of(const CampaignGetStepsAnalyticsResult& r, const std::optional<std::string>& campaign_id) {
  CampaignStepAnalytics s;
  s.campaign_id = campaign_id;
  s.step = text_of(r.step);
  s.variant = text_of(r.variant);
  s.sent = r.sent;
  s.opened = r.opened;
  s.opened_unique = r.unique_opened;
  s.replies = r.replies;
  s.replies_unique = r.unique_replies;
  s.replies_automatic = r.replies_automatic;
  s.replies_automatic_unique = r.unique_replies_automatic;
  s.clicks = r.clicks;
  s.clicks_unique = r.unique_clicks;
  return s;
}

AnalyticsOverview& operator+=(AnalyticsOverview& total, const AnalyticsOverview& part) noexcept {
  total.counters += part.counters;
  total.interested += part.interested;
  total.meetings_booked += part.meetings_booked;
  total.meetings_completed += part.meetings_completed;
  total.closed += part.closed;
  return total;
}

}  // namespace instantly::workflows::detail
