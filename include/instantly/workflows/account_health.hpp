// Account health: which sending accounts are fine, which need a look, and
// which hurt deliverability right now, each with the reasons and the numbers
// behind the verdict.
//
//   instantly::workflows::AccountHealth health(client);              // default thresholds
//   for (const auto& account : health.check()) {                     // every account
//     std::cout << account.email << ' ' << to_string(account.level) << '\n';
//     for (const auto& reason : account.reasons) std::cout << "  " << reason.message << '\n';
//   }
//   health.check({"a@x.com", "b@y.com"});                            // only these
//
// Calls one `check` makes, for N checked accounts on D distinct domains
// (a W-account workspace; nothing else is sent, whatever N is):
//   GET  /accounts                    ceil(W / 100) pages (one more when the last page still
//                                     carries a cursor): the status and the listed score
//   POST /accounts/test/vitals        ceil(D / vitals_batch_size): one address per domain,
//                                     since the DNS records (SPF, DKIM, DMARC, MX) are per domain
//   POST /accounts/warmup-analytics   ceil(N / warmup_batch_size), at most 100 emails a call
//   GET  /accounts/analytics/daily    ceil(N / daily_batch_size), at most 200 emails a call,
//                                     for the `window_days` days ending `end_date` (UTC)
//
// Reasons and their levels with the default thresholds (the overall level
// of an account is its worst reason; no reason = ok):
//   connection_error       status -1                                   critical
//   soft_bounce_error      status -2                                   critical
//   sending_error          status -3                                   critical
//   account_error          any other negative status                   critical
//   account_paused         status 2                                    warning
//   warmup_paused          warmup_status 0                             warning (configurable)
//   warmup_spam_folder_unknown  warmup_status -2                       warning
//   warmup_banned          warmup_status -1                            critical
//   warmup_suspended       warmup_status -3                            critical
//   warmup_error           any other negative warmup_status            critical
//   low_warmup_score       score < 80 warning, < 60 critical
//   mx_failing / spf_failing / dkim_failing                            critical (configurable)
//   dmarc_failing                                                      warning  (configurable)
//   vitals_unknown         the domain's DNS check came back without it warning (configurable)
//   high_bounce_rate       bounced / sent over the window > 3 % warning, > 5 % critical,
//                          judged only from 20 sent on
//   account_not_found      an email given to check() is not an account   critical
// Status 1 (active) and 3 (maintenance, resumed automatically) add nothing.
//
// Thread-safety: AccountHealth is immutable after construction; `check` may
// run on many threads at once (the client is thread-safe).
//
// Errors: the constructor throws ValidationError for bad options (before
// anything is sent). `check` throws what the client throws for the first call
// that fails (ApiError subclasses, ApiConnectionError, DecodeError): a health
// report missing a part would read as healthier than it is.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/models/account.hpp"

namespace instantly::workflows {

/// How an account stands; ordered, so the worst of several is the largest.
enum class HealthLevel : std::uint8_t { Ok = 0, Warning = 1, Critical = 2 };

/// "ok", "warning", "critical".
std::string_view to_string(HealthLevel level) noexcept;
/// The inverse of to_string; empty for an unknown name.
std::optional<HealthLevel> health_level_from_string(std::string_view name) noexcept;

/// Why an account is not ok (the table above says when each applies).
enum class HealthReasonCode : std::uint8_t {
  ConnectionError,
  SoftBounceError,
  SendingError,
  AccountError,
  AccountPaused,
  WarmupPaused,
  WarmupSpamFolderUnknown,
  WarmupBanned,
  WarmupSuspended,
  WarmupError,
  LowWarmupScore,
  MxFailing,
  SpfFailing,
  DkimFailing,
  DmarcFailing,
  VitalsUnknown,
  HighBounceRate,
  AccountNotFound,
};
inline constexpr std::size_t kHealthReasonCodeCount = 18;

/// "connection_error", "low_warmup_score", ... (stable strings for logs, JSON and UIs).
std::string_view to_string(HealthReasonCode code) noexcept;
/// The inverse of to_string; empty for an unknown name.
std::optional<HealthReasonCode> health_reason_code_from_string(std::string_view name) noexcept;

/// One finding about an account.
struct HealthReason {
  HealthReasonCode code{};
  HealthLevel level = HealthLevel::Warning;
  std::string message;  ///< for people: what was seen, with the numbers ("warmup score 45 is below 60")

  friend bool operator==(const HealthReason&, const HealthReason&) = default;
};

/// When a reading counts as a problem, and how bad. A level of `Ok` turns
/// that check off. Defaults are the ones documented above and in
/// docs/account-health.md.
struct HealthThresholds {
  double warmup_score_warning = 80;    ///< a score below this is a warning (0..100)
  double warmup_score_critical = 60;   ///< below this, critical (≤ warmup_score_warning)
  double bounce_rate_warning = 0.03;   ///< a bounce rate above this (a fraction: 0.03 = 3 %) is a warning
  double bounce_rate_critical = 0.05;  ///< above this, critical (≥ bounce_rate_warning, ≤ 1)
  /// Fewer emails sent in the window than this and the bounce rate is shown
  /// but not judged (1 bounce out of 2 sent says little).
  std::int64_t min_sent_for_bounce_rate = 20;
  HealthLevel mx_failing = HealthLevel::Critical;     ///< no MX: replies and bounces cannot come back
  HealthLevel spf_failing = HealthLevel::Critical;
  HealthLevel dkim_failing = HealthLevel::Critical;
  HealthLevel dmarc_failing = HealthLevel::Warning;  ///< mail still goes out, but bulk senders need it
  HealthLevel warmup_paused = HealthLevel::Warning;  ///< `Ok` when warmup is deliberately off
  HealthLevel vitals_unknown = HealthLevel::Warning;

  friend bool operator==(const HealthThresholds&, const HealthThresholds&) = default;
};

/// Throws ValidationError naming the field when a threshold is out of range
/// or the warning/critical pair is the wrong way round.
void validate(const HealthThresholds& thresholds);

/// The DNS checks of one domain, as `POST /accounts/test/vitals` reports them
/// (empty = the answer did not say).
struct DomainVitals {
  std::string domain;
  std::optional<bool> mx;
  std::optional<bool> spf;
  std::optional<bool> dkim;
  std::optional<bool> dmarc;
  std::optional<bool> all_pass;

  friend bool operator==(const DomainVitals&, const DomainVitals&) = default;
};

/// The account's warmup traffic, summed over the period the warmup analytics cover.
struct WarmupNumbers {
  double sent = 0;
  double received = 0;
  double landed_inbox = 0;
  double landed_spam = 0;

  friend bool operator==(const WarmupNumbers&, const WarmupNumbers&) = default;
};

/// Everything the classification looks at for one account. `AccountHealth`
/// gathers these from the API; tests and custom pipelines can build them.
struct AccountReadings {
  std::string email;
  bool found = true;  ///< false: not an account of the workspace (nothing else is read)
  std::optional<AccountStatus> status;
  /// What the mail server last said, from the account's status_message
  /// ("Invalid login: 535 ..."); empty when it has none.
  std::string status_detail;
  std::optional<AccountWarmupStatus> warmup_status;
  /// The warmup health score (0..100): the warmup analytics' `health_score`,
  /// else the listing's `stat_warmup_score`; empty when neither has one.
  std::optional<double> warmup_score;
  std::optional<WarmupNumbers> warmup;  ///< empty when the warmup analytics had no entry
  std::optional<DomainVitals> vitals;   ///< empty when the vitals answer left the domain out
  std::int64_t sent = 0;                ///< campaign emails sent over the window
  std::int64_t bounced = 0;             ///< of which bounced

  friend bool operator==(const AccountReadings&, const AccountReadings&) = default;
};

/// The verdict on one account: its readings, the derived bounce rate, the
/// reasons (worst first) and the overall level.
struct AccountHealthResult : AccountReadings {
  HealthLevel level = HealthLevel::Ok;
  std::vector<HealthReason> reasons;
  /// bounced / sent over the window; empty when nothing was sent.
  std::optional<double> bounce_rate;

  bool ok() const noexcept { return level == HealthLevel::Ok; }
  /// Whether a reason with this code is among `reasons`.
  bool has(HealthReasonCode code) const noexcept;

  friend bool operator==(const AccountHealthResult&, const AccountHealthResult&) = default;
};

/// Classifies one account: a pure function of its readings. Throws
/// ValidationError for bad thresholds.
AccountHealthResult classify_account(AccountReadings readings, const HealthThresholds& thresholds = {});

/// The worst level among `results` (Ok for none).
HealthLevel worst_level(const std::vector<AccountHealthResult>& results) noexcept;

struct AccountHealthOptions {
  HealthThresholds thresholds;
  /// Days of daily account analytics the bounce rate covers, ending with
  /// `end_date` (1..31: the API serves at most 31 days per call).
  int window_days = 7;
  /// The window's last day (UTC); empty = today (UTC).
  std::optional<std::chrono::sys_days> end_date;

  std::size_t vitals_batch_size = 100;  ///< domains per `test/vitals` call (≥ 1; the spec sets no cap)
  std::size_t warmup_batch_size = 100;  ///< emails per `warmup-analytics` call (1..100)
  std::size_t daily_batch_size = 200;   ///< emails per `analytics/daily` call (1..200)
  /// Stops a check in progress: every wait and call in flight ends at once,
  /// nothing more is sent, and `check` throws CancelledError.
  std::stop_token stop;
};

/// Checks the health of a workspace's sending accounts; see the top of this file.
class AccountHealth {
 public:
  /// Throws ValidationError for bad options.
  explicit AccountHealth(Client client, AccountHealthOptions options = {});

  /// Every account of the workspace, in listing order.
  std::vector<AccountHealthResult> check() const;
  /// Only these accounts (case does not matter; repeats are checked once), in
  /// the given order. An email that is not an account of the workspace gets
  /// a result with `found == false` and an account_not_found reason. An empty
  /// list checks nothing and sends nothing.
  std::vector<AccountHealthResult> check(const std::vector<std::string>& emails) const;

  const AccountHealthOptions& options() const noexcept { return options_; }

 private:
  std::vector<AccountHealthResult> run(const std::vector<std::string>* emails) const;

  Client client_;
  AccountHealthOptions options_;
};

}  // namespace instantly::workflows
