// Sending accounts (tag Account): create, read, update, delete, pause and
// resume. Listing, warmup, analytics and the admin health controls are in the
// account_*.cpp files beside this one.
#include "handlers/account_records.hpp"
#include "handlers/handlers.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

Reply create_account(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  std::string email = lower(body.at("email").as_string());
  auto& accounts = state.collection(collections::kAccounts);
  if (accounts.find(email)) bad_request("account " + email + " already exists in this workspace");
  return Reply::json(accounts.put(email, new_account(state, body)));
}

/// Pause and resume only move between active and paused: an account in an
/// error state stays there until it is fixed (mark-fixed, or the admin route).
Reply pause_account(const Call& call, State& state) {
  Json& account = find_account(state, call.param("email"));
  if (account.at("status").as_double() > 0) set_account_status(state, account, 2);
  return Reply::json(account);
}

Reply resume_account(const Call& call, State& state) {
  Json& account = find_account(state, call.param("email"));
  if (account.at("status").as_double() > 0) set_account_status(state, account, 1);
  return Reply::json(account);
}

Reply pause_accounts(const Call& call, State& state) {
  Json paused = Json::array();
  Json failed = Json::array();
  for (const auto& email : call.body_or_empty().at("emails").as_array()) {
    Json* account = state.collection(collections::kAccounts).find(lower(email.as_string()));
    if (account && account->at("status").as_double() > 0) {
      set_account_status(state, *account, 2);
      paused.push_back(email);
    } else {
      failed.push_back(email);
    }
  }
  return Reply::json(Json::object({{"paused_emails", std::move(paused)}, {"failed_emails", std::move(failed)}}));
}

}  // namespace

void register_account_handlers(Router& api, AdminRouter& admin) {
  api.on("createAccount", create_account);
  api.on("getAccount", [](const Call& call, State& state) { return Reply::json(find_account(state, call.param("email"))); });

  api.on("patchAccount", [](const Call& call, State& state) {
    Json& account = find_account(state, call.param("email"));
    patch_account(state, account, call.body_or_empty());
    return Reply::json(account);
  });

  api.on("deleteAccount", [](const Call& call, State& state) {
    Json removed = find_account(state, call.param("email"));
    std::string key = lower(call.param("email"));
    state.collection(collections::kAccounts).erase(key);
    state.collection(kAccountHealth).erase(key);
    return Reply::json(std::move(removed));
  });

  api.on("pauseAccount", pause_account);
  api.on("resumeAccount", resume_account);
  api.on("pauseAccounts", pause_accounts);

  // The user says the mailbox works again: back to active, error cleared.
  api.on("markAccountFixed", [](const Call& call, State& state) {
    Json& account = find_account(state, call.param("email"));
    set_account_status(state, account, 1);
    account.set("autofix_failed", nullptr);
    return Reply::json(account);
  });

  register_account_list_handler(api);
  register_account_warmup_handlers(api);
  register_account_analytics_handlers(api);
  register_account_admin_routes(admin);
}

}  // namespace instantly::mock
