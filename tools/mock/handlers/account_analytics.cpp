// Account health readings: DNS vitals per domain and daily sending analytics.
//
// Daily numbers add two sources: the simulated engagement events
// (collections::kEvents, see simulation_events.hpp; an event names its email,
// whose `eaccount` is the sending account) and the counters the admin route
// sets per account and date. The range follows the API: end_date defaults to
// today, start_date to 30 days ending at end_date; a start after the end, a
// range of more than 31 days (when both ends are given) and more than 200
// distinct emails are a 400.
#include <algorithm>
#include <map>
#include <set>

#include "handlers/account_records.hpp"
#include "handlers/campaign_records.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

// ---- vitals -------------------------------------------------------------------

Json vitals_entry(State& state, const std::string& domain) {
  Json entry = domain_vitals(state, domain);
  bool all_pass = entry.at("spf").as_bool() && entry.at("dkim").as_bool() && entry.at("dmarc").as_bool() &&
                  entry.at("mx").as_bool();
  return Json::object({{"domain", domain},
                       {"allPass", all_pass},
                       {"mx", entry.at("mx")},
                       {"spf", entry.at("spf")},
                       {"dkim", entry.at("dkim")},
                       {"dmarc", entry.at("dmarc")}});
}

/// DNS is checked per domain, so several accounts on one domain give one entry.
/// `accounts` holds addresses (bare domains work too); none is the API's
/// "no emails sent" 400.
Reply test_vitals(const Call& call, State& state) {
  std::vector<std::string> domains;
  auto add = [&](const std::string& domain) {
    if (std::find(domains.begin(), domains.end(), domain) == domains.end()) domains.push_back(domain);
  };
  const Json* requested = call.field("accounts");
  if (requested && requested->is_array()) {
    for (const auto& item : requested->as_array()) {
      if (item.is_string() && !item.as_string().empty()) add(domain_of(item.as_string()));
    }
  }
  if (domains.empty()) bad_request("Bad request - no emails sent");
  Json passed = Json::array();
  Json failed = Json::array();
  for (const auto& domain : domains) {
    Json entry = vitals_entry(state, domain);
    (entry.at("allPass").as_bool() ? passed : failed).push_back(std::move(entry));
  }
  return Reply::json(
      Json::object({{"status", "success"}, {"success_list", std::move(passed)}, {"failure_list", std::move(failed)}}));
}

// ---- daily analytics ----------------------------------------------------------------

constexpr const char* kDailyCounters[] = {"sent",           "bounced",           "contacted",
                                          "new_leads_contacted", "opened",       "unique_opened",
                                          "replies",        "unique_replies",    "replies_automatic",
                                          "unique_replies_automatic", "clicks",  "unique_clicks"};

struct DayCounts {
  std::map<std::string, std::int64_t> counters;
  std::map<std::string, std::set<std::string>> unique_leads;  // counter → leads seen
};

/// Which counters one engagement event feeds: (total, unique-by-lead).
std::pair<const char*, const char*> counters_for(std::string_view event_type) {
  if (event_type == "email_sent") return {"sent", "contacted"};
  if (event_type == "email_bounced") return {"bounced", nullptr};
  if (event_type == "email_opened") return {"opened", "unique_opened"};
  if (event_type == "link_clicked" || event_type == "email_link_clicked") return {"clicks", "unique_clicks"};
  if (event_type == "reply_received") return {"replies", "unique_replies"};
  if (event_type == "auto_reply_received") return {"replies_automatic", "unique_replies_automatic"};
  return {nullptr, nullptr};
}

const std::string* string_field(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  return value && value->is_string() ? &value->as_string() : nullptr;
}

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::size_t kMaxEmails = 200;
constexpr std::int64_t kMaxRangeDays = 31;
constexpr std::int64_t kDefaultRangeDays = 30;

/// The first and last day (YYYY-MM-DD) the answer covers.
struct DayRange {
  std::string first;
  std::string last;
  bool contains(const std::string& date) const { return date >= first && date <= last; }
};

DayRange day_range(const Call& call, const State& state) {
  auto start = call.query_value("start_date");
  auto end = call.query_value("end_date");
  const bool has_start = start && !start->empty();
  const bool has_end = end && !end->empty();
  const std::int64_t to = has_end ? campaign::parse_date_bound(*end, "end_date", true) : state.now_ms();
  const std::int64_t from = has_start ? campaign::parse_date_bound(*start, "start_date", false)
                                      : to - (kDefaultRangeDays - 1) * kDayMs;
  if (from > to) bad_request("Start Date must be earlier than End Date");
  if (has_start && has_end && to - from >= kMaxRangeDays * kDayMs) {
    bad_request("start_date and end_date may be at most 31 days apart");
  }
  return {.first = State::date_of(from), .last = State::date_of(to)};
}

Reply daily_analytics(const Call& call, State& state) {
  const DayRange range = day_range(call, state);
  std::set<std::string> wanted;
  for (const auto& value : call.query_values("emails")) {
    for (const auto& email : split_list(value)) wanted.insert(lower(email));
  }
  if (wanted.size() > kMaxEmails) bad_request("at most 200 distinct emails per request");
  auto in_range = [&](const std::string& date) { return range.contains(date); };
  auto& accounts = state.collection(collections::kAccounts);
  auto included = [&](const std::string& email) {
    return accounts.find(email) && (wanted.empty() || wanted.contains(email));
  };

  auto& emails = state.collection(collections::kEmails);
  auto sending_account = [&](const Json& event) -> const std::string* {
    if (const std::string* account = string_field(event, "email_account")) return account;
    const std::string* email_id = string_field(event, "email_id");
    const Json* email = email_id ? emails.find(*email_id) : nullptr;
    return email ? string_field(*email, "eaccount") : nullptr;
  };

  std::map<std::pair<std::string, std::string>, DayCounts> days;  // (date, email) → counts
  for (const auto& [id, event] : state.collection(collections::kEvents).records()) {
    const std::string* type = string_field(event, "type");
    if (!type) type = string_field(event, "event_type");
    const std::string* timestamp = string_field(event, "timestamp");
    if (!type || !timestamp || timestamp->size() < 10) continue;
    if (!counters_for(*type).first) continue;
    const std::string* account = sending_account(event);
    if (!account) continue;
    std::string email = lower(*account);
    std::string date = timestamp->substr(0, 10);
    auto [total, unique] = counters_for(*type);
    if (!total || !included(email) || !in_range(date)) continue;
    DayCounts& day = days[{date, email}];
    ++day.counters[total];
    const std::string* lead = string_field(event, "lead_email");
    if (unique && lead) day.unique_leads[unique].insert(lower(*lead));
    if (std::string_view(*type) == "email_sent") {
      const Json* step = event.find("step");
      const Json* first = event.find("is_first");
      if ((step && step->is_number() && step->as_double() == 1) || (first && first->is_bool() && first->as_bool())) {
        ++day.counters["new_leads_contacted"];
      }
    }
  }
  for (auto& [key, day] : days) {
    for (auto& [counter, leads] : day.unique_leads) day.counters[counter] += static_cast<std::int64_t>(leads.size());
  }
  for (const auto& [email, health] : state.collection(kAccountHealth).records()) {
    if (!included(email)) continue;
    for (const auto& [date, counters] : health.at("daily").as_object()) {
      if (!in_range(date)) continue;
      DayCounts& day = days[{date, email}];
      for (const auto& [counter, value] : counters.as_object()) {
        if (value.is_number()) day.counters[counter] += value.as_int();
      }
    }
  }

  Json rows = Json::array();
  for (const auto& [key, day] : days) {
    Json row = Json::object({{"date", key.first}, {"email_account", key.second}});
    for (const char* counter : kDailyCounters) {
      auto it = day.counters.find(counter);
      row.set(counter, it == day.counters.end() ? 0 : it->second);
    }
    rows.push_back(std::move(row));
  }
  return Reply::json(std::move(rows));
}

}  // namespace

void register_account_analytics_handlers(Router& api) {
  api.on("testAccountVitals", test_vitals);
  api.on("getDailyAccountAnalytics", daily_analytics);
}

}  // namespace instantly::mock
