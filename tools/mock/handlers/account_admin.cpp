// POST /__mock/accounts/{email}/state: puts an account into any health state.
//
// Every input an account-health check can read is set here: the account's
// own fields (GET /accounts, /accounts/{email}), the DNS vitals of its domain
// (POST /accounts/test/vitals), its daily sending counters
// (GET /accounts/analytics/daily) and its warmup numbers
// (POST /accounts/warmup-analytics). All members are optional:
//
//   {
//     "status": -1,              // 1 active, 2 paused, 3 maintenance, -1 connection error,
//                                // -2 soft bounce error, -3 sending error (sets a matching status_message)
//     "status_message": {...},   // replaces that message; null removes it
//     "warmup_status": -2,       // 0 paused, 1 active, -1 banned, -2 spam folder unknown, -3 suspended
//     "stat_warmup_score": 40,   // number or null; also the warmup health_score
//     "timestamp_warmup_start": "2026-01-01T00:00:00.000Z",  // or null
//     "setup_pending": false, "is_managed_account": false, "autofix_failed": null,
//     "daily_limit": 30,
//     "vitals": {"spf": false, "dkim": true, "dmarc": true, "mx": true},  // the whole domain's
//     "date": "2026-11-27",      // day of the counters below (default: today, simulated clock)
//     "sent": 100, "bounced": 12, "contacted": 90, "new_leads_contacted": 50, "opened": 40,
//     "unique_opened": 30, "replies": 5, "unique_replies": 4, "replies_automatic": 1,
//     "unique_replies_automatic": 1, "clicks": 7, "unique_clicks": 6,
//                                // set (not added) for that day, on top of simulated events
//     "warmup_daily": {"2026-11-27": {"sent": 10, "landed_inbox": 4, "landed_spam": 6, "received": 10}}
//   }
//
// Answers {"account": ..., "vitals": ..., "daily": {date: counters}, "warmup_daily": ...}.
// Unknown members are rejected so a typo does not pass silently.
#include <algorithm>
#include <array>

#include "handlers/account_records.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

constexpr std::array<std::string_view, 12> kCounters = {
    "sent",          "bounced", "contacted",         "new_leads_contacted",      "opened", "unique_opened",
    "replies",       "unique_replies", "replies_automatic", "unique_replies_automatic", "clicks", "unique_clicks"};

constexpr std::array<std::string_view, 12> kOtherMembers = {
    "status",        "status_message",     "warmup_status", "stat_warmup_score", "timestamp_warmup_start",
    "setup_pending", "is_managed_account", "autofix_failed", "daily_limit",      "vitals",
    "date",          "warmup_daily"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

int enum_member(const Json& value, std::string_view name, std::initializer_list<int> allowed) {
  if (!value.is_number() || value.as_double() != static_cast<double>(static_cast<int>(value.as_double())) ||
      std::find(allowed.begin(), allowed.end(), static_cast<int>(value.as_double())) == allowed.end()) {
    bad_request(std::string(name) + " must be one of the API's values");
  }
  return static_cast<int>(value.as_double());
}

void require(bool ok, std::string_view message) {
  if (!ok) bad_request(std::string(message));
}

bool is_date(const std::string& text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-' &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

/// Checks everything first, so a bad body changes nothing.
void validate(const Json& body) {
  require(body.is_object(), "the body must be a JSON object");
  for (const auto& [key, value] : body.as_object()) {
    if (one_of(kCounters, key)) {
      require(value.is_int() && value.as_int() >= 0, key + " must be a non-negative integer");
    } else if (!one_of(kOtherMembers, key)) {
      bad_request("unknown member " + key);
    }
  }
  if (const Json* v = body.find("status")) enum_member(*v, "status", {1, 2, 3, -1, -2, -3});
  if (const Json* v = body.find("warmup_status")) enum_member(*v, "warmup_status", {0, 1, -1, -2, -3});
  if (const Json* v = body.find("status_message")) require(v->is_object() || v->is_null(), "status_message must be an object or null");
  if (const Json* v = body.find("stat_warmup_score")) require(v->is_number() || v->is_null(), "stat_warmup_score must be a number or null");
  if (const Json* v = body.find("daily_limit")) require(v->is_number() || v->is_null(), "daily_limit must be a number or null");
  if (const Json* v = body.find("timestamp_warmup_start")) require(v->is_string() || v->is_null(), "timestamp_warmup_start must be a string or null");
  for (const char* flag : {"setup_pending", "is_managed_account"}) {
    if (const Json* v = body.find(flag)) require(v->is_bool(), std::string(flag) + " must be true or false");
  }
  if (const Json* v = body.find("autofix_failed")) require(v->is_bool() || v->is_null(), "autofix_failed must be a boolean or null");
  if (const Json* v = body.find("date")) require(v->is_string() && is_date(v->as_string()), "date must be YYYY-MM-DD");
  if (const Json* vitals = body.find("vitals")) {
    require(vitals->is_object(), "vitals must be an object");
    for (const auto& [check, value] : vitals->as_object()) {
      require(check == "spf" || check == "dkim" || check == "dmarc" || check == "mx", "vitals takes spf, dkim, dmarc and mx");
      require(value.is_bool(), "vitals." + check + " must be true or false");
    }
  }
  if (const Json* days = body.find("warmup_daily")) {
    require(days->is_object(), "warmup_daily must be an object keyed by date");
    for (const auto& [date, day] : days->as_object()) {
      require(is_date(date) && day.is_object(), "warmup_daily takes {\"YYYY-MM-DD\": {...}}");
      for (const auto& [key, value] : day.as_object()) {
        require(key == "sent" || key == "landed_inbox" || key == "landed_spam" || key == "received",
                "warmup_daily days take sent, landed_inbox, landed_spam and received");
        require(value.is_number() && value.as_double() >= 0, "warmup_daily numbers must be non-negative");
      }
    }
  }
}

void apply(State& state, Json& account, const Json& body) {
  const std::string& email = account.at("email").as_string();
  if (const Json* v = body.find("status")) set_account_status(state, account, static_cast<int>(v->as_double()));
  if (const Json* v = body.find("status_message")) {
    if (v->is_null()) account.erase("status_message");
    else account.set("status_message", *v);
  }
  for (const char* key : {"warmup_status", "stat_warmup_score", "timestamp_warmup_start", "setup_pending",
                          "is_managed_account", "autofix_failed", "daily_limit"}) {
    if (const Json* v = body.find(key)) account.set(key, *v);
  }
  account.set("timestamp_updated", state.now_iso());

  if (const Json* vitals = body.find("vitals")) {
    std::string domain = domain_of(email);
    auto& all = state.collection(kDomainVitals);
    Json* saved = all.find(domain);
    if (!saved) saved = &all.put(domain, Json::object({{"id", domain}}));
    for (const auto& [check, value] : vitals->as_object()) saved->set(check, value);
  }

  Json& health = account_health(state, email);
  std::string date = body.contains("date") ? body.at("date").as_string() : State::date_of(state.now_ms());
  for (std::string_view counter : kCounters) {
    if (const Json* v = body.find(counter)) health["daily"][date].set(std::string(counter), *v);
  }
  if (const Json* days = body.find("warmup_daily")) {
    for (const auto& [day, numbers] : days->as_object()) {
      for (const auto& [key, value] : numbers.as_object()) health["warmup_daily"][day].set(key, value);
    }
  }
}

}  // namespace

void register_account_admin_routes(AdminRouter& admin) {
  admin.on("POST", "/accounts/{email}/state", [](const Call& call, State& state) {
    const Json& body = call.body_or_empty();
    validate(body);
    auto lock = state.lock();
    Json& account = find_account(state, call.param("email"));
    apply(state, account, body);
    const std::string& email = account.at("email").as_string();
    const Json& health = account_health(state, email);
    return Reply::json(Json::object({{"account", account},
                                     {"vitals", domain_vitals(state, domain_of(email))},
                                     {"daily", health.at("daily")},
                                     {"warmup_daily", health.at("warmup_daily")}}));
  });
}

}  // namespace instantly::mock
