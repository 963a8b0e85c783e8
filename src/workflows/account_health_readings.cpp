#include "workflows/account_health_readings.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "instantly/resources/accounts.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows::health_detail {

namespace {

/// Calls `send(batch)` for consecutive slices of `items`, `batch_size` at a time.
template <class Send>
void in_batches(const std::vector<std::string>& items, std::size_t batch_size, Send send) {
  for (std::size_t first = 0; first < items.size(); first += batch_size) {
    const std::size_t last = std::min(items.size(), first + batch_size);
    send(std::vector<std::string>(items.begin() + static_cast<std::ptrdiff_t>(first),
                                  items.begin() + static_cast<std::ptrdiff_t>(last)));
  }
}

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

/// The mail server's words from status_message: the full error, else the reply, else the code.
std::string status_detail_of(const std::optional<AccountStatusMessage>& message) {
  if (!message) return {};
  for (const auto* text : {&message->e_message, &message->response, &message->code}) {
    if (*text && !(*text)->empty()) return **text;
  }
  return {};
}

double number_or_zero(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  return value && value->is_number() ? value->as_double() : 0.0;
}

void add_vitals(std::unordered_map<std::string, DomainVitals>& out,
                const std::optional<std::vector<AccountTestVitalsResultSuccessList>>& entries) {
  if (!entries) return;
  for (const auto& entry : *entries) {
    if (!entry.domain || entry.domain->empty()) continue;
    std::string domain = ascii::lower(*entry.domain);
    out[domain] = DomainVitals{.domain = domain,
                               .mx = entry.mx,
                               .spf = entry.spf,
                               .dkim = entry.dkim,
                               .dmarc = entry.dmarc,
                               .all_pass = entry.allPass};
  }
}

}  // namespace

std::string domain_of(std::string_view email) {
  const auto at = email.rfind('@');
  return ascii::lower(at == std::string_view::npos ? email : email.substr(at + 1));
}

DateWindow date_window(int window_days, std::optional<std::chrono::sys_days> end) {
  using namespace std::chrono;
  const sys_days last = end ? *end : floor<days>(system_clock::now());
  return {.start_date = iso_date(last - days(window_days - 1)), .end_date = iso_date(last)};
}

std::vector<ListedAccount> list_accounts(const Client& client, const RequestOptions& request) {
  std::vector<ListedAccount> accounts;
  for (const AccountListItem& item : client.accounts().list({.limit = 100}, request)) {
    accounts.push_back({.email = item.email,
                        .status = item.status,
                        .status_detail = status_detail_of(item.status_message),
                        .warmup_status = item.warmup_status,
                        .stat_warmup_score = item.stat_warmup_score.to_optional()});
  }
  return accounts;
}

std::unordered_map<std::string, DomainVitals> read_vitals(const Client& client, const std::vector<std::string>& emails,
                                                          std::size_t batch_size, const RequestOptions& request) {
  // One address stands for its whole domain: the checks are DNS lookups.
  std::vector<std::string> one_per_domain;
  std::unordered_set<std::string> domains;
  for (const auto& email : emails) {
    if (domains.insert(domain_of(email)).second) one_per_domain.push_back(email);
  }
  std::unordered_map<std::string, DomainVitals> vitals;
  in_batches(one_per_domain, batch_size, [&](std::vector<std::string> batch) {
    const AccountTestVitalsResult answer = client.accounts().test_vitals({.accounts = std::move(batch)}, request);
    add_vitals(vitals, answer.success_list);
    add_vitals(vitals, answer.failure_list);
  });
  return vitals;
}

std::unordered_map<std::string, WarmupReading> read_warmup(const Client& client, const std::vector<std::string>& emails,
                                                           std::size_t batch_size, const RequestOptions& request) {
  std::unordered_map<std::string, WarmupReading> warmup;
  in_batches(emails, batch_size, [&](std::vector<std::string> batch) {
    const AccountGetWarmupAnalyticsResult answer = client.accounts().get_warmup_analytics({.emails = std::move(batch)}, request);
    if (!answer.aggregate_data || !answer.aggregate_data->is_object()) return;
    for (const auto& [email, totals] : answer.aggregate_data->as_object()) {
      if (!totals.is_object()) continue;
      WarmupReading reading;
      reading.numbers = {.sent = number_or_zero(totals, "sent"),
                         .received = number_or_zero(totals, "received"),
                         .landed_inbox = number_or_zero(totals, "landed_inbox"),
                         .landed_spam = number_or_zero(totals, "landed_spam")};
      if (const Json* score = totals.find("health_score"); score && score->is_number()) {
        reading.health_score = score->as_double();
      }
      warmup[ascii::lower(email)] = reading;
    }
  });
  return warmup;
}

std::unordered_map<std::string, SendCounts> read_daily(const Client& client, const std::vector<std::string>& emails,
                                                       std::size_t batch_size, const DateWindow& window,
                                                       const RequestOptions& request) {
  std::unordered_map<std::string, SendCounts> counts;
  in_batches(emails, batch_size, [&](std::vector<std::string> batch) {
    const auto rows = client.accounts().get_daily_analytics(
        {.start_date = window.start_date, .end_date = window.end_date, .emails = std::move(batch)}, request);
    for (const auto& row : rows) {
      SendCounts& total = counts[ascii::lower(row.email_account)];
      total.sent += row.sent;
      total.bounced += row.bounced;
    }
  });
  return counts;
}

}  // namespace instantly::workflows::health_detail
