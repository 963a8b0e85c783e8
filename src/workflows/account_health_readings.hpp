// What AccountHealth reads from the API, one function per endpoint, each
// batching its emails as the endpoint allows (one call per batch, never per
// account). Maps are keyed by lower-cased email or domain: the API may echo
// an address in another case than it was sent in.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/workflows/account_health.hpp"

namespace instantly::workflows::health_detail {

/// One account as `GET /accounts` lists it: the parts health looks at.
struct ListedAccount {
  std::string email;  ///< as listed
  std::optional<AccountStatus> status;
  std::string status_detail;
  AccountWarmupStatus warmup_status{};
  std::optional<double> stat_warmup_score;
};

struct WarmupReading {
  WarmupNumbers numbers;
  std::optional<double> health_score;
};

struct SendCounts {
  std::int64_t sent = 0;
  std::int64_t bounced = 0;
};

/// The days the bounce rate covers, as the API's `YYYY-MM-DD` dates.
struct DateWindow {
  std::string start_date;
  std::string end_date;
};

/// "Ann@Example.com" → "example.com".
std::string domain_of(std::string_view email);

/// `window_days` days ending `end` (today, UTC, when empty).
DateWindow date_window(int window_days, std::optional<std::chrono::sys_days> end);

/// `GET /accounts`, every page, 100 a page.
std::vector<ListedAccount> list_accounts(const Client& client, const RequestOptions& request);

/// `POST /accounts/test/vitals` with one address per distinct domain,
/// `batch_size` domains a call. Keyed by domain.
std::unordered_map<std::string, DomainVitals> read_vitals(const Client& client, const std::vector<std::string>& emails,
                                                          std::size_t batch_size, const RequestOptions& request);

/// `POST /accounts/warmup-analytics`, `batch_size` (≤ 100) emails a call. Keyed by email.
std::unordered_map<std::string, WarmupReading> read_warmup(const Client& client, const std::vector<std::string>& emails,
                                                           std::size_t batch_size, const RequestOptions& request);

/// `GET /accounts/analytics/daily` over `window`, `batch_size` (≤ 200) emails a
/// call, summed per account. Keyed by email.
std::unordered_map<std::string, SendCounts> read_daily(const Client& client, const std::vector<std::string>& emails,
                                                       std::size_t batch_size, const DateWindow& window,
                                                       const RequestOptions& request);

}  // namespace instantly::workflows::health_detail
