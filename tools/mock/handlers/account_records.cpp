#include "handlers/account_records.hpp"

#include <algorithm>

#include "http_error.hpp"

namespace instantly::mock {

namespace {

/// The warmup settings an account starts with, overridden field by field.
Json default_warmup() {
  return Json::object({{"limit", 10},
                       {"advanced", Json::object({{"warm_ctd", false},
                                                  {"open_rate", 0.95},
                                                  {"important_rate", 0.8},
                                                  {"read_emulation", true},
                                                  {"spam_save_rate", 0.02},
                                                  {"weekday_only", true}})},
                       {"warmup_custom_ftag", ""},
                       {"increment", "disabled"},
                       {"reply_rate", 0.1}});
}

/// Object members of `patch` replace those of `target`, recursing into objects.
void merge_into(Json& target, const Json& patch) {
  for (const auto& [key, value] : patch.as_object()) {
    Json* existing = target.find(key);
    if (existing && existing->is_object() && value.is_object()) merge_into(*existing, value);
    else target.set(key, value);
  }
}

constexpr const char* kWritableFields[] = {"first_name",   "last_name",          "daily_limit",
                                           "tracking_domain_name", "tracking_domain_status", "enable_slow_ramp",
                                           "inbox_placement_test_limit", "sending_gap", "signature",
                                           "reply_to"};

/// What a mail server said when the account last failed, per error status.
Json status_message_for(int status) {
  switch (status) {
    case -1:
      return Json::object({{"code", "EAUTH"},
                           {"command", "AUTH PLAIN"},
                           {"response", "535 5.7.8 Username and Password not accepted"},
                           {"e_message", "Invalid login: 535 5.7.8 Username and Password not accepted"},
                           {"responseCode", 535}});
    case -2:
      return Json::object({{"code", "EENVELOPE"},
                           {"command", "RCPT TO"},
                           {"response", "421 4.7.0 Try again later, closing connection"},
                           {"e_message", "Temporary failure: 421 4.7.0 Try again later"},
                           {"responseCode", 421}});
    case -3:
      return Json::object({{"code", "EMESSAGE"},
                           {"command", "DATA"},
                           {"response", "550 5.4.5 Daily user sending limit exceeded"},
                           {"e_message", "Message failed: 550 5.4.5 Daily user sending limit exceeded"},
                           {"responseCode", 550}});
    default: return Json();
  }
}

}  // namespace

Json& find_account(State& state, std::string_view email) {
  Json* account = state.collection(collections::kAccounts).find(lower(email));
  if (!account) not_found("account", email);
  return *account;
}

Json new_account(State& state, const Json& body) {
  std::string now = state.now_iso();
  Json warmup = default_warmup();
  if (const Json* requested = body.find("warmup"); requested && requested->is_object()) merge_into(warmup, *requested);
  if (const Json* tag = body.find("warmup_custom_ftag"); tag && tag->is_string()) warmup.set("warmup_custom_ftag", *tag);
  Json account = Json::object({{"email", lower(body.at("email").as_string())},
                               {"timestamp_created", now},
                               {"timestamp_updated", now},
                               {"first_name", body.at("first_name")},
                               {"last_name", body.at("last_name")},
                               {"warmup", std::move(warmup)},
                               {"added_by", state.workspace().at("owner")},
                               {"daily_limit", 30},
                               {"daily_limit_max", nullptr},
                               {"warmup_limit_max", nullptr},
                               {"modified_by", nullptr},
                               {"tracking_domain_name", nullptr},
                               {"tracking_domain_status", nullptr},
                               {"status", 1},
                               {"enable_slow_ramp", false},
                               {"inbox_placement_test_limit", nullptr},
                               {"organization", state.workspace().at("id")},
                               {"warmup_status", 0},
                               {"timestamp_warmup_start", nullptr},
                               {"provider_code", body.at("provider_code")},
                               {"setup_pending", false},
                               {"is_managed_account", false},
                               {"stat_warmup_score", nullptr},
                               {"sending_gap", 10},
                               {"signature", nullptr},
                               {"reply_to", nullptr},
                               {"autofix_failed", nullptr}});
  for (const char* key : kWritableFields) {
    if (const Json* value = body.find(key)) account.set(key, *value);
  }
  return account;
}

void patch_account(State& state, Json& account, const Json& body) {
  for (const char* key : kWritableFields) {
    if (const Json* value = body.find(key)) account.set(key, *value);
  }
  if (const Json* warmup = body.find("warmup"); warmup && warmup->is_object()) merge_into(account["warmup"], *warmup);
  if (const Json* remove = body.find("remove_tracking_domain"); remove && remove->is_bool() && remove->as_bool()) {
    account.set("tracking_domain_name", nullptr);
    account.set("tracking_domain_status", nullptr);
  }
  account.set("modified_by", state.workspace().at("owner"));
  account.set("timestamp_updated", state.now_iso());
}

void set_account_status(State& state, Json& account, int status) {
  account.set("status", status);
  Json message = status_message_for(status);
  if (message.is_null()) account.erase("status_message");
  else account.set("status_message", std::move(message));
  account.set("timestamp_updated", state.now_iso());
}

Json& account_health(State& state, const std::string& email) {
  auto& health = state.collection(kAccountHealth);
  if (Json* existing = health.find(email)) return *existing;
  return health.put(email, Json::object({{"id", email}, {"daily", Json::object()}, {"warmup_daily", Json::object()}}));
}

std::string domain_of(std::string_view email_or_domain) {
  auto at = email_or_domain.rfind('@');
  return lower(at == std::string_view::npos ? email_or_domain : email_or_domain.substr(at + 1));
}

Json domain_vitals(State& state, const std::string& domain) {
  Json vitals = Json::object({{"spf", true}, {"dkim", true}, {"dmarc", true}, {"mx", true}});
  if (const Json* saved = state.collection(kDomainVitals).find(domain)) {
    for (const char* check : {"spf", "dkim", "dmarc", "mx"}) {
      if (const Json* value = saved->find(check); value && value->is_bool()) vitals.set(check, *value);
    }
  }
  return vitals;
}

bool account_matches_filter(const Json& account, std::string_view filter) {
  auto number = [&](std::string_view key) {
    const Json* value = account.find(key);
    return value && value->is_number() ? value->as_double() : 0.0;
  };
  auto flag = [&](std::string_view key) {
    const Json* value = account.find(key);
    return value && value->is_bool() && value->as_bool();
  };
  if (filter == "ACC_FILTER_PAUSED") return number("status") == 2;
  if (filter == "ACC_FILTER_ERROR") return number("status") < 0;
  if (filter == "ACC_FILTER_NO_CTD") {
    const Json* domain = account.find("tracking_domain_name");
    return !domain || !domain->is_string() || domain->as_string().empty();
  }
  if (filter == "ACC_FILTER_PW_ACCOUNTS" || filter == "ACC_FILTER_DFY") return flag("is_managed_account");
  if (filter == "ACC_FILTER_DFY_SETUP_PENDING") return flag("setup_pending");
  if (filter == "ACC_FILTER_W_ACTIVE") return number("warmup_status") == 1;
  if (filter == "ACC_FILTER_W_PAUSED") return number("warmup_status") == 0;
  if (filter == "ACC_FILTER_W_ERROR") return number("warmup_status") < 0;
  return true;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    auto first = part.find_first_not_of(" \t");
    auto last = part.find_last_not_of(" \t");
    if (first != std::string_view::npos) parts.emplace_back(part.substr(first, last - first + 1));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

bool account_has_tags(State& state, const std::string& email, const std::vector<std::string>& tag_ids, bool all) {
  std::vector<std::string> found;
  for (const auto& [id, mapping] : state.collection(collections::kCustomTagMappings).records()) {
    const Json* resource = mapping.find("resource_id");
    const Json* tag = mapping.find("tag_id");
    if (!resource || !resource->is_string() || !tag || !tag->is_string()) continue;
    if (lower(resource->as_string()) != email) continue;
    if (std::find(tag_ids.begin(), tag_ids.end(), tag->as_string()) != tag_ids.end()) found.push_back(tag->as_string());
  }
  if (!all) return !found.empty();
  return std::all_of(tag_ids.begin(), tag_ids.end(),
                     [&](const std::string& id) { return std::find(found.begin(), found.end(), id) != found.end(); });
}

}  // namespace instantly::mock
