// Sending accounts as the mock keeps them.
//
// The account record in collections::kAccounts is exactly the API's Account
// (the schema allows no extra fields), keyed and stored by lower-cased email,
// so the collection's order is the listing's email-order cursor. What the
// API derives rather than stores lives beside it:
//   kAccountHealth  per account: admin-set daily sending counters and warmup
//                   numbers (record {"id": email, "daily": {...}, "warmup_daily": {...}});
//   kDomainVitals   per domain: SPF/DKIM/DMARC/MX results (DNS is per domain).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "router.hpp"
#include "state.hpp"

namespace instantly::mock {

inline constexpr std::string_view kAccountHealth = "account_health";
inline constexpr std::string_view kDomainVitals = "domain_vitals";

/// The account with this email (any case); throws 404.
Json& find_account(State& state, std::string_view email);

/// A new account from a validated createAccount body: active, warmup off.
Json new_account(State& state, const Json& body);

/// Applies the writable fields of a patchAccount body.
void patch_account(State& state, Json& account, const Json& body);

/// Sets `status` and the matching `status_message` (errors carry one, the
/// healthy states none), touching timestamp_updated.
void set_account_status(State& state, Json& account, int status);

/// The account's side record in kAccountHealth, created empty on first use.
Json& account_health(State& state, const std::string& email);

/// "user@Example.com" → "example.com"; "example.com" stays as it is.
std::string domain_of(std::string_view email_or_domain);

/// {"spf","dkim","dmarc","mx"} for a domain: what the admin set, else all passing.
Json domain_vitals(State& state, const std::string& domain);

/// Whether `account` passes an ACC_FILTER_* value of the listing's `filter`.
bool account_matches_filter(const Json& account, std::string_view filter);

/// Whether the account carries any / all of the custom tag ids (tag mappings).
bool account_has_tags(State& state, const std::string& email, const std::vector<std::string>& tag_ids, bool all);

/// "a,b , c" → {"a","b","c"}.
std::vector<std::string> split_list(std::string_view text);

// Parts registered by register_account_handlers.
void register_account_list_handler(Router& api);
void register_account_warmup_handlers(Router& api);
void register_account_analytics_handlers(Router& api);
void register_account_admin_routes(AdminRouter& admin);

}  // namespace instantly::mock
