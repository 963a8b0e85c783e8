// What the SDK's pollers are tested against: single email verifications
// (below) and the admin route that sets a background job's course (jobs.cpp).
//
// Single email verifications: POST /email-verification starts one, GET
// /email-verification/{email} reads it. Each is `pending` for a number of
// answers (the create's included; default 3, so create + 2 checks, and the
// 3rd check has the result), then has a result decided by the address alone,
// so tests know what to expect:
//
//   local part starts with "pending"                       pending for ever (poller timeouts)
//   local part starts with "invalid", domain "invalid.example"
//     or ending in ".invalid", or no usable '@'            invalid (the last one at once)
//   local part starts with "catchall", or domain
//     starting with "catch-all."                           verified, catch_all true
//   anything else                                          verified, catch_all false
//
// POST /__mock/email-verification {"pending_answers": N} changes how many
// answers are pending for verifications started afterwards (0: the create
// answers the result). Starting an address again starts over; checking one
// never submitted starts it. Credits start at 10,000 and each verification
// uses one.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "handlers/handlers.hpp"
#include "http_error.hpp"
#include "jobs.hpp"

namespace instantly::mock {
namespace {

constexpr std::string_view kVerifications = "email_verifications";  // by lower-cased address
constexpr std::string_view kSettings = "mock_settings";
constexpr std::string_view kSettingsId = "email_verification";
constexpr std::int64_t kDefaultPendingAnswers = 3;
constexpr std::int64_t kStartingCredits = 10'000;

struct Verdict {
  std::string verification_status;  // "pending" (for ever), "verified" or "invalid"
  bool catch_all = false;
  bool at_once = false;  // no pending phase
};

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Verdict verdict_for(const std::string& address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == address.size()) return {"invalid", false, true};
  const std::string_view local = std::string_view(address).substr(0, at);
  const std::string_view domain = std::string_view(address).substr(at + 1);
  if (starts_with(local, "pending")) return {"pending"};
  if (starts_with(local, "invalid") || domain == "invalid.example" || ends_with(domain, ".invalid")) {
    return {"invalid"};
  }
  if (starts_with(local, "catchall") || starts_with(domain, "catch-all.")) return {"verified", true};
  return {"verified"};
}

Json& settings(State& state) {
  Collection& all = state.collection(kSettings);
  if (Json* found = all.find(kSettingsId)) return *found;
  return all.put(std::string(kSettingsId), Json::object({{"id", kSettingsId},
                                                         {"pending_answers", kDefaultPendingAnswers},
                                                         {"credits", kStartingCredits}}));
}

// The API's EmailVerification for the record's next answer (counting it).
Json answer(Json& record) {
  const std::int64_t answered = record.at("answered").as_int() + 1;
  record.set("answered", answered);
  const std::string& result = record.at("result").as_string();
  const bool pending = result == "pending" || answered <= record.at("pending_answers").as_int();
  return Json::object({{"status", "success"},
                       {"email", record.at("email")},
                       {"verification_status", pending ? "pending" : result},
                       {"catch_all", pending ? Json("pending") : record.at("catch_all")},
                       {"credits", record.at("credits")},
                       {"credits_used", 1}});
}

// A new verification of `email` (replacing an earlier one), counting a credit.
Json& begin(State& state, const std::string& email) {
  const Verdict verdict = verdict_for(lower(email));
  Json& config = settings(state);
  const std::int64_t credits = std::max<std::int64_t>(config.at("credits").as_int() - 1, 0);
  config.set("credits", credits);
  std::string id = lower(email);
  const Json pending_answers = verdict.at_once ? Json(0) : config.at("pending_answers");
  Json& record = state.collection(kVerifications)
                     .put(id, Json::object({{"id", id},
                                            {"email", email},
                                            {"result", verdict.verification_status},
                                            {"catch_all", verdict.catch_all},
                                            {"pending_answers", pending_answers},
                                            {"answered", 0},
                                            {"credits", credits}}));
  return record;
}

Reply start(const Call& call, State& state) {
  return Reply::json(answer(begin(state, call.field("email")->as_string())));
}

// The path names "the address to verify": checking one never submitted starts its verification.
Reply check(const Call& call, State& state) {
  Json* record = state.collection(kVerifications).find(lower(call.param("email")));
  return Reply::json(answer(record ? *record : begin(state, call.param("email"))));
}

Reply configure(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  if (!body.is_object()) bad_request("the body must be a JSON object");
  for (const auto& [key, value] : body.as_object()) {
    if (key != "pending_answers") bad_request("unknown member " + key);
    if (!value.is_int() || value.as_int() < 0 || value.as_int() > 1000) {
      bad_request("pending_answers must be an integer from 0 to 1000");
    }
  }
  auto lock = state.lock();
  Json& config = settings(state);
  if (const Json* n = body.find("pending_answers")) config.set("pending_answers", *n);
  return Reply::json(Json::object({{"pending_answers", config.at("pending_answers")}}));
}

}  // namespace

void register_poller_handlers(Router& api, AdminRouter& admin) {
  api.on("createEmailVerification", start);
  api.on("checkVerificationStatus", check);
  admin.on("POST", "/email-verification", configure);
  register_background_job_admin_routes(admin);  // jobs.cpp: POST /__mock/jobs/{id}/state
}

}  // namespace instantly::mock
