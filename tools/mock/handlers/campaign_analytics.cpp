// Campaign analytics, computed on every call from the simulated events
// (handlers/simulation_events.hpp) and the campaign's leads, so they always
// agree with what /__mock/send produced and with the leads' own counters.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "handlers/campaign_handlers.hpp"
#include "handlers/campaign_records.hpp"
#include "handlers/simulation_events.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

using Ids = std::set<std::string, std::less<>>;

/// Counts of one slice of events (a campaign, a day or a step/variant).
struct Tally {
  std::int64_t sent = 0, opened = 0, clicks = 0, replies = 0, auto_replies = 0, bounced = 0, unsubscribed = 0;
  Ids contacted, new_contacted;
  Ids opened_leads, clicked_leads, replied_leads, auto_leads;
  // "lead\nstep": the `_unique_by_step` counts count a lead once per step.
  Ids opened_by_step, clicked_by_step, replied_by_step, auto_by_step;

  void add(const Json& event) {
    const std::string& type = event.at("type").as_string();
    const std::string& lead = event.at("lead_email").as_string();
    std::string by_step = lead + "\n" + std::to_string(event.at("step").as_int());
    if (type == events::kEmailSent) {
      ++sent;
      contacted.insert(lead);
      if (event.at("step").as_int() == 1) new_contacted.insert(lead);
    } else if (type == events::kEmailOpened) {
      ++opened;
      opened_leads.insert(lead);
      opened_by_step.insert(by_step);
    } else if (type == events::kLinkClicked) {
      ++clicks;
      clicked_leads.insert(lead);
      clicked_by_step.insert(by_step);
    } else if (type == events::kReplyReceived) {
      ++replies;
      replied_leads.insert(lead);
      replied_by_step.insert(by_step);
    } else if (type == events::kAutoReplyReceived) {
      ++auto_replies;
      auto_leads.insert(lead);
      auto_by_step.insert(by_step);
    } else if (type == events::kEmailBounced) {
      ++bounced;
    } else if (type == events::kLeadUnsubscribed) {
      ++unsubscribed;
    }
  }

  /// The fields /analytics and /analytics/overview share.
  void write_totals(Json& out) const {
    out.set("contacted_count", static_cast<std::int64_t>(contacted.size()));
    out.set("emails_sent_count", sent);
    out.set("new_leads_contacted_count", static_cast<std::int64_t>(new_contacted.size()));
    out.set("open_count", opened);
    out.set("open_count_unique", static_cast<std::int64_t>(opened_leads.size()));
    out.set("open_count_unique_by_step", static_cast<std::int64_t>(opened_by_step.size()));
    out.set("reply_count", replies);
    out.set("reply_count_unique", static_cast<std::int64_t>(replied_leads.size()));
    out.set("reply_count_unique_by_step", static_cast<std::int64_t>(replied_by_step.size()));
    out.set("reply_count_automatic", auto_replies);
    out.set("reply_count_automatic_unique", static_cast<std::int64_t>(auto_leads.size()));
    out.set("reply_count_automatic_unique_by_step", static_cast<std::int64_t>(auto_by_step.size()));
    out.set("link_click_count", clicks);
    out.set("link_click_count_unique", static_cast<std::int64_t>(clicked_leads.size()));
    out.set("link_click_count_unique_by_step", static_cast<std::int64_t>(clicked_by_step.size()));
    out.set("bounced_count", bounced);
    out.set("unsubscribed_count", unsubscribed);
  }

  /// The per-day and per-step fields (same counts, the other naming scheme).
  void write_activity(Json& out) const {
    out.set("sent", sent);
    out.set("opened", opened);
    out.set("unique_opened", static_cast<std::int64_t>(opened_leads.size()));
    out.set("replies", replies);
    out.set("unique_replies", static_cast<std::int64_t>(replied_leads.size()));
    out.set("replies_automatic", auto_replies);
    out.set("unique_replies_automatic", static_cast<std::int64_t>(auto_leads.size()));
    out.set("clicks", clicks);
    out.set("unique_clicks", static_cast<std::int64_t>(clicked_leads.size()));
  }
};

/// What the leads of a campaign say (not date-bound: it is their current state).
struct LeadFacts {
  std::int64_t total = 0, completed = 0, opportunities = 0;
  std::int64_t interested = 0, meeting_booked = 0, meeting_completed = 0, closed = 0;
};

std::map<std::string, LeadFacts, std::less<>> lead_facts(State& state) {
  std::map<std::string, LeadFacts, std::less<>> facts;
  for (const auto& [id, lead] : state.collection(collections::kLeads).records()) {
    std::string owner = campaign::string_member(lead, "campaign");
    if (owner.empty()) continue;
    LeadFacts& f = facts[owner];
    ++f.total;
    if (campaign::int_member(lead, "status", campaign::kLeadActive) == campaign::kLeadCompleted) ++f.completed;
    switch (campaign::int_member(lead, "lt_interest_status", std::numeric_limits<int>::min())) {
      case 1: ++f.interested; ++f.opportunities; break;
      case 2: ++f.meeting_booked; ++f.opportunities; break;
      case 3: ++f.meeting_completed; ++f.opportunities; break;
      case 4: ++f.closed; ++f.opportunities; break;
      default: break;
    }
  }
  return facts;
}

bool query_flag(const Call& call, std::string_view key) {
  auto value = call.query_value(key);
  return value && (*value == "true" || *value == "1");
}

/// The [start, end] range in Unix ms from start_date / end_date (open where absent).
struct DateRange {
  std::int64_t from = std::numeric_limits<std::int64_t>::min();
  std::int64_t to = std::numeric_limits<std::int64_t>::max();
  bool contains(const Json& event) const {
    std::int64_t at = event.at("timestamp_ms").as_int();
    return at >= from && at <= to;
  }
};

DateRange date_range(const Call& call) {
  DateRange range;
  if (auto start = call.query_value("start_date"); start && !start->empty()) {
    range.from = campaign::parse_date_bound(*start, "start_date", false);
  }
  if (auto end = call.query_value("end_date"); end && !end->empty()) {
    range.to = campaign::parse_date_bound(*end, "end_date", true);
  }
  if (range.from > range.to) bad_request("Start Date must be earlier than End Date");
  return range;
}

/// `id` and every `ids` (repeated keys; comma-separated values accepted too), deduplicated, in order.
std::vector<std::string> requested_ids(const Call& call) {
  std::vector<std::string> ids;
  auto add = [&ids](const std::string& text) {
    std::stringstream in(text);
    for (std::string id; std::getline(in, id, ',');) {
      if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  };
  if (auto id = call.query_value("id")) add(*id);
  for (const auto& value : call.query_values("ids")) add(value);
  return ids;
}

/// The campaigns an analytics call covers: the ones asked for by id (drafts
/// included, unknown ids skipped), else every campaign that is not a draft.
std::vector<const Json*> selected_campaigns(const Call& call, State& state, std::optional<int> status) {
  std::vector<const Json*> selected;
  auto& campaigns = state.collection(collections::kCampaigns);
  auto wanted = [&](const Json& c) { return !status || campaign::status_of(c) == *status; };
  auto ids = requested_ids(call);
  if (!ids.empty()) {
    for (const auto& id : ids) {
      if (const Json* c = campaigns.find(id); c && wanted(*c)) selected.push_back(c);
    }
  } else {
    for (const auto& [id, c] : campaigns.records()) {
      if (campaign::status_of(c) != campaign::kDraft && wanted(c)) selected.push_back(&c);
    }
  }
  return selected;
}

std::optional<int> status_filter(const Call& call) {
  auto text = call.query_value("campaign_status");
  if (!text || text->empty()) return std::nullopt;
  try {
    return static_cast<int>(std::stod(*text));
  } catch (const std::exception&) {
    bad_request("campaign_status must be a campaign status number");
  }
}

/// Per-campaign tallies of the events in range, for the campaigns in `ids`.
std::map<std::string, Tally, std::less<>> tally_by_campaign(State& state, const Ids& ids, const DateRange& range) {
  std::map<std::string, Tally, std::less<>> tallies;
  for (const auto& [id, event] : state.collection(collections::kEvents).records()) {
    const std::string& campaign_id = event.at("campaign_id").as_string();
    if (ids.contains(campaign_id) && range.contains(event)) tallies[campaign_id].add(event);
  }
  return tallies;
}

Ids id_set(const std::vector<const Json*>& campaigns) {
  Ids ids;
  for (const Json* c : campaigns) ids.insert(c->at("id").as_string());
  return ids;
}

Reply campaign_analytics(const Call& call, State& state) {
  DateRange range = date_range(call);
  auto campaigns = selected_campaigns(call, state, std::nullopt);
  auto tallies = tally_by_campaign(state, id_set(campaigns), range);
  auto leads = lead_facts(state);
  bool without_leads = query_flag(call, "exclude_total_leads_count");
  Json out = Json::array();
  for (const Json* c : campaigns) {
    const std::string& id = c->at("id").as_string();
    const LeadFacts& facts = leads[id];
    Json row = Json::object({{"campaign_name", campaign::string_member(*c, "name")},
                             {"campaign_id", id},
                             {"campaign_status", campaign::status_of(*c)},
                             {"campaign_is_evergreen", campaign::bool_member(*c, "is_evergreen", false)},
                             {"leads_count", without_leads ? 0 : facts.total}});
    tallies[id].write_totals(row);
    const Json* value = c->find("pl_value");
    double per_lead = value && value->is_number() ? value->as_double() : 0.0;
    row.set("completed_count", facts.completed);
    row.set("total_opportunities", facts.opportunities);
    row.set("total_opportunity_value", per_lead * static_cast<double>(facts.opportunities));
    out.push_back(std::move(row));
  }
  return Reply::json(std::move(out));
}

Reply analytics_overview(const Call& call, State& state) {
  DateRange range = date_range(call);
  auto campaigns = selected_campaigns(call, state, status_filter(call));
  Ids ids = id_set(campaigns);
  Tally total;
  for (const auto& [id, event] : state.collection(collections::kEvents).records()) {
    if (ids.contains(event.at("campaign_id").as_string()) && range.contains(event)) total.add(event);
  }
  auto leads = lead_facts(state);
  LeadFacts sum;
  double value = 0;
  for (const Json* c : campaigns) {
    const LeadFacts& f = leads[c->at("id").as_string()];
    sum.completed += f.completed;
    sum.opportunities += f.opportunities;
    sum.interested += f.interested;
    sum.meeting_booked += f.meeting_booked;
    sum.meeting_completed += f.meeting_completed;
    sum.closed += f.closed;
    const Json* pl = c->find("pl_value");
    if (pl && pl->is_number()) value += pl->as_double() * static_cast<double>(f.opportunities);
  }
  Json out = Json::object();
  total.write_totals(out);
  out.set("completed_count", sum.completed);
  out.set("total_opportunities", sum.opportunities);
  out.set("total_opportunity_value", value);
  out.set("total_interested", sum.interested);
  out.set("total_meeting_booked", sum.meeting_booked);
  out.set("total_meeting_completed", sum.meeting_completed);
  out.set("total_closed", sum.closed);
  return Reply::json(std::move(out));
}

/// The campaigns /daily and /steps cover: `campaign_id` when given, else all
/// (drafts have no events, so including them changes nothing).
Ids campaigns_for_activity(const Call& call, State& state, std::optional<int> status) {
  Ids ids;
  auto only = call.query_value("campaign_id");
  for (const auto& [id, c] : state.collection(collections::kCampaigns).records()) {
    if (only && !only->empty() && id != *only) continue;
    if (status && campaign::status_of(c) != *status) continue;
    ids.insert(id);
  }
  return ids;
}

Reply daily_analytics(const Call& call, State& state) {
  DateRange range = date_range(call);
  Ids ids = campaigns_for_activity(call, state, status_filter(call));
  std::map<std::string, Tally> days;  // "YYYY-MM-DD" sorts chronologically
  for (const auto& [id, event] : state.collection(collections::kEvents).records()) {
    if (ids.contains(event.at("campaign_id").as_string()) && range.contains(event)) {
      days[event.at("date").as_string()].add(event);
    }
  }
  Json out = Json::array();
  for (const auto& [date, tally] : days) {
    Json row = Json::object({{"date", date}});
    tally.write_activity(row);
    row.set("contacted", static_cast<std::int64_t>(tally.contacted.size()));
    row.set("new_leads_contacted", static_cast<std::int64_t>(tally.new_contacted.size()));
    row.set("opportunities", 0);
    row.set("unique_opportunities", 0);
    out.push_back(std::move(row));
  }
  return Reply::json(std::move(out));
}

Reply steps_analytics(const Call& call, State& state) {
  DateRange range = date_range(call);
  Ids ids = campaigns_for_activity(call, state, std::nullopt);
  std::map<std::pair<std::int64_t, std::int64_t>, Tally> steps;
  for (const auto& [id, event] : state.collection(collections::kEvents).records()) {
    if (event.at("step").as_int() <= 0) continue;  // campaign-wide events
    if (ids.contains(event.at("campaign_id").as_string()) && range.contains(event)) {
      steps[{event.at("step").as_int(), event.at("variant").as_int()}].add(event);
    }
  }
  bool with_opportunities = query_flag(call, "include_opportunities_count");
  Json out = Json::array();
  for (const auto& [key, tally] : steps) {
    // The step is 1-based here as in webhooks; the variant counts from 0 (A).
    Json row = Json::object({{"step", std::to_string(key.first)}, {"variant", std::to_string(key.second - 1)}});
    tally.write_activity(row);
    if (with_opportunities) {
      for (const char* field : {"opportunities", "unique_opportunities", "meetings_booked", "won"}) row.set(field, 0);
    }
    out.push_back(std::move(row));
  }
  return Reply::json(std::move(out));
}

}  // namespace

void register_campaign_analytics_handlers(Router& api) {
  api.on("getCampaignAnalytics", campaign_analytics);
  api.on("getCampaignAnalyticsOverview", analytics_overview);
  api.on("getDailyCampaignAnalytics", daily_analytics);
  api.on("getCampaignStepsAnalytics", steps_analytics);
}

}  // namespace instantly::mock
