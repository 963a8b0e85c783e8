// Warmup: enable/disable (as a background job) and the warmup analytics.
//
// Warmup numbers are derived, deterministically, from what the account says:
// while warmup_status is 1 the account sends `warmup.limit` warmup emails a
// day since timestamp_warmup_start, and stat_warmup_score percent of them
// land in the inbox. The admin route can replace any day's numbers.
#include <algorithm>
#include <cmath>

#include "handlers/account_records.hpp"
#include "http_error.hpp"
#include "jobs.hpp"

namespace instantly::mock {

namespace {

constexpr int kAnalyticsDays = 7;
constexpr std::int64_t kDayMs = 86'400'000;

std::vector<std::string> lowered_strings(const Json* array) {
  std::vector<std::string> out;
  if (!array || !array->is_array()) return out;
  for (const auto& item : array->as_array()) {
    if (item.is_string()) out.push_back(lower(item.as_string()));
  }
  return out;
}

/// The accounts a warmup enable/disable body selects: `emails`, or with
/// include_all_emails every account that passes `search`, `filter` and is not
/// in `excluded_emails`.
std::vector<Json*> selected_accounts(State& state, const Json& body) {
  auto& accounts = state.collection(collections::kAccounts);
  std::vector<Json*> selected;
  const Json* include_all = body.find("include_all_emails");
  if (include_all && include_all->is_bool() && include_all->as_bool()) {
    auto excluded = lowered_strings(body.find("excluded_emails"));
    const Json* search = body.find("search");
    std::string needle = search && search->is_string() ? lower(search->as_string()) : "";
    const Json* filter = body.find("filter");
    const Json* acc_filter = filter && filter->is_object() ? filter->find("filter") : nullptr;
    const Json* tag = filter && filter->is_object() ? filter->find("tag_id") : nullptr;
    for (auto& [email, account] : accounts.records()) {
      if (std::find(excluded.begin(), excluded.end(), email) != excluded.end()) continue;
      if (!needle.empty() && email.find(needle) == std::string::npos) continue;
      if (acc_filter && acc_filter->is_string() && !account_matches_filter(account, acc_filter->as_string())) continue;
      if (tag && tag->is_string() && !account_has_tags(state, email, {tag->as_string()}, false)) continue;
      selected.push_back(&account);
    }
    return selected;
  }
  const Json* emails = body.find("emails");
  if (!emails || !emails->is_array() || emails->empty()) bad_request("give emails or include_all_emails: true");
  for (const auto& email : lowered_strings(emails)) {
    if (Json* account = accounts.find(email)) selected.push_back(account);
  }
  return selected;
}

/// Starts the job and applies its effect at once (the mock has no job queue).
Reply update_warmup(const Call& call, State& state, bool enable) {
  const Json& body = call.body_or_empty();
  Json updated = Json::array();
  for (Json* account : selected_accounts(state, body)) {
    double current = account->at("warmup_status").as_double();
    if (enable) {
      // A banned or suspended warmup is not lifted by enabling it again.
      if (current < 0) continue;
      if (current != 1) account->set("timestamp_warmup_start", state.now_iso());
      account->set("warmup_status", 1);
      if (account->at("stat_warmup_score").is_null()) account->set("stat_warmup_score", 100);
    } else {
      account->set("warmup_status", 0);
    }
    account->set("timestamp_updated", state.now_iso());
    updated.push_back(account->at("email"));
  }
  Json data = Json::object({{"action", enable ? "enable" : "disable"}, {"emails", std::move(updated)}});
  const Json& job = start_background_job(state, "update-warmup-accounts", "workspace",
                                         state.workspace().at("id").as_string(), std::move(data));
  return Reply::json(job);
}

Json warmup_day(double sent, double inbox, double spam, double received) {
  return Json::object({{"sent", sent}, {"landed_inbox", inbox}, {"landed_spam", spam}, {"received", received}});
}

/// {date: {sent, landed_inbox, landed_spam, received}} for the last days.
Json warmup_days(State& state, const Json& account) {
  Json days = Json::object();
  bool active = account.at("warmup_status").as_double() == 1;
  const Json& start = account.at("timestamp_warmup_start");
  std::string first_day = start.is_string() ? start.as_string().substr(0, 10) : "";
  const Json* limit = account.at("warmup").find("limit");
  double per_day = limit && limit->is_number() ? limit->as_double() : 10;
  const Json& score = account.at("stat_warmup_score");
  double inbox_share = score.is_number() ? std::clamp(score.as_double(), 0.0, 100.0) / 100.0 : 1.0;
  for (int back = kAnalyticsDays - 1; back >= 0; --back) {
    std::string date = State::date_of(state.now_ms() - back * kDayMs);
    if (!active || first_day.empty() || date < first_day) continue;
    double inbox = std::round(per_day * inbox_share);
    days.set(date, warmup_day(per_day, inbox, per_day - inbox, per_day));
  }
  if (const Json* health = state.collection(kAccountHealth).find(account.at("email").as_string())) {
    for (const auto& [date, override_day] : health->at("warmup_daily").as_object()) {
      Json day = days.contains(date) ? days.at(date) : warmup_day(0, 0, 0, 0);
      for (const auto& [key, value] : override_day.as_object()) day.set(key, value);
      days.set(date, std::move(day));
    }
  }
  std::sort(days.as_object().begin(), days.as_object().end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return days;
}

Reply warmup_analytics(const Call& call, State& state) {
  Json by_date = Json::object();
  Json aggregate = Json::object();
  for (const auto& email : call.body_or_empty().at("emails").as_array()) {
    const Json* account = state.collection(collections::kAccounts).find(lower(email.as_string()));
    if (!account) continue;  // unknown addresses simply have no data
    Json days = warmup_days(state, *account);
    double sent = 0, inbox = 0, spam = 0, received = 0;
    for (const auto& [date, day] : days.as_object()) {
      sent += day.at("sent").as_double();
      inbox += day.at("landed_inbox").as_double();
      spam += day.at("landed_spam").as_double();
      received += day.at("received").as_double();
    }
    // The score the account reports is the health score; without one, the inbox share.
    const Json& score = account->at("stat_warmup_score");
    double health = score.is_number() ? score.as_double() : (inbox + spam > 0 ? std::round(100 * inbox / (inbox + spam)) : 100);
    Json total = warmup_day(sent, inbox, spam, received);
    total.set("health_score_label", std::to_string(static_cast<long long>(std::lround(health))) + "%");
    total.set("health_score", health);
    by_date.set(email.as_string(), std::move(days));
    aggregate.set(email.as_string(), std::move(total));
  }
  return Reply::json(Json::object({{"email_date_data", std::move(by_date)}, {"aggregate_data", std::move(aggregate)}}));
}

}  // namespace

void register_account_warmup_handlers(Router& api) {
  api.on("enableWarmupForAccounts", [](const Call& call, State& state) { return update_warmup(call, state, true); });
  api.on("disableWarmupForAccounts", [](const Call& call, State& state) { return update_warmup(call, state, false); });
  api.on("getWarmupAnalytics", warmup_analytics);
}

}  // namespace instantly::mock
