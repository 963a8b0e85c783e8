// AccountHealth::check: list, pick the accounts, read every input in batches,
// classify each account.
#include "instantly/workflows/account_health.hpp"

#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "instantly/error.hpp"
#include "text/ascii.hpp"
#include "workflows/account_health_readings.hpp"

namespace instantly::workflows {

namespace hd = health_detail;

namespace {

constexpr int kMaxWindowDays = 31;          // the daily analytics' longest range
constexpr std::size_t kMaxWarmupBatch = 100;  // warmup-analytics: maxItems of `emails`
constexpr std::size_t kMaxDailyBatch = 200;   // analytics/daily: at most 200 accounts

void check_options(const AccountHealthOptions& options) {
  validate(options.thresholds);
  if (options.window_days < 1 || options.window_days > kMaxWindowDays) {
    throw ValidationError("AccountHealthOptions: window_days must be within 1..31 (got " +
                          std::to_string(options.window_days) + ")");
  }
  if (options.vitals_batch_size < 1) {
    throw ValidationError("AccountHealthOptions: vitals_batch_size must be at least 1");
  }
  if (options.warmup_batch_size < 1 || options.warmup_batch_size > kMaxWarmupBatch) {
    throw ValidationError("AccountHealthOptions: warmup_batch_size must be within 1..100");
  }
  if (options.daily_batch_size < 1 || options.daily_batch_size > kMaxDailyBatch) {
    throw ValidationError("AccountHealthOptions: daily_batch_size must be within 1..200");
  }
}

/// The accounts to check: the given emails (first spelling wins, repeats
/// dropped), each matched to its listing entry or marked missing.
struct Target {
  std::string email;
  const hd::ListedAccount* listed = nullptr;
};

std::vector<Target> pick(const std::vector<hd::ListedAccount>& listed, const std::vector<std::string>* emails) {
  std::unordered_map<std::string, const hd::ListedAccount*> by_email;
  for (const auto& account : listed) by_email.emplace(ascii::lower(account.email), &account);

  std::vector<Target> targets;
  std::unordered_set<std::string> seen;
  auto add = [&](const std::string& email) {
    std::string key = ascii::lower(email);
    if (!seen.insert(key).second) return;
    auto it = by_email.find(key);
    targets.push_back({.email = it != by_email.end() ? it->second->email : email,
                       .listed = it != by_email.end() ? it->second : nullptr});
  };
  if (emails) {
    for (const auto& email : *emails) add(email);
  } else {
    for (const auto& account : listed) add(account.email);
  }
  return targets;
}

template <class Map>
const typename Map::mapped_type* lookup(const Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

AccountHealth::AccountHealth(Client client, AccountHealthOptions options)
    : client_(std::move(client)), options_(std::move(options)) {
  check_options(options_);
}

std::vector<AccountHealthResult> AccountHealth::check() const { return run(nullptr); }

std::vector<AccountHealthResult> AccountHealth::check(const std::vector<std::string>& emails) const {
  if (emails.empty()) return {};
  return run(&emails);
}

std::vector<AccountHealthResult> AccountHealth::run(const std::vector<std::string>* emails) const {
  const RequestOptions request{.stop = options_.stop};
  const std::vector<hd::ListedAccount> listed = hd::list_accounts(client_, request);
  const std::vector<Target> targets = pick(listed, emails);

  std::vector<std::string> found;
  for (const auto& target : targets) {
    if (target.listed) found.push_back(target.email);
  }
  const auto vitals = hd::read_vitals(client_, found, options_.vitals_batch_size, request);
  const auto warmup = hd::read_warmup(client_, found, options_.warmup_batch_size, request);
  const auto daily = hd::read_daily(client_, found, options_.daily_batch_size,
                                    hd::date_window(options_.window_days, options_.end_date), request);

  std::vector<AccountHealthResult> results;
  results.reserve(targets.size());
  for (const auto& target : targets) {
    AccountReadings readings{.email = target.email, .found = target.listed != nullptr};
    if (const hd::ListedAccount* account = target.listed) {
      const std::string key = ascii::lower(account->email);
      readings.status = account->status;
      readings.status_detail = account->status_detail;
      readings.warmup_status = account->warmup_status;
      readings.warmup_score = account->stat_warmup_score;
      if (const auto* w = lookup(warmup, key)) {
        readings.warmup = w->numbers;
        if (w->health_score) readings.warmup_score = w->health_score;
      }
      if (const auto* v = lookup(vitals, hd::domain_of(account->email))) readings.vitals = *v;
      if (const auto* counts = lookup(daily, key)) {
        readings.sent = counts->sent;
        readings.bounced = counts->bounced;
      }
    }
    results.push_back(classify_account(std::move(readings), options_.thresholds));
  }
  return results;
}

}  // namespace instantly::workflows
