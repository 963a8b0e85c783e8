// classify_account: readings in, verdict out; no I/O, so every rule is unit-tested directly.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "instantly/workflows/account_health.hpp"

namespace instantly::workflows {

namespace {

/// "45" for a whole number, "45.5" otherwise (scores and thresholds as people write them).
std::string number_text(double value) {
  char text[32];
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    std::snprintf(text, sizeof text, "%.1f", value);
  }
  return text;
}

/// 0.0312 → "3.1 %".
std::string percent_text(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %%", fraction * 100);
  return text;
}

std::string domain_of(const std::string& email) {
  auto at = email.rfind('@');
  return at == std::string::npos ? email : email.substr(at + 1);
}

class Verdict {
 public:
  explicit Verdict(AccountHealthResult& result) : result_(result) {}

  /// Adds a reason unless its level is Ok (a check the thresholds turned off).
  void add(HealthReasonCode code, HealthLevel level, std::string message) {
    if (level == HealthLevel::Ok) return;
    result_.reasons.push_back({.code = code, .level = level, .message = std::move(message)});
  }

 private:
  AccountHealthResult& result_;
};

std::string with_detail(std::string message, const std::string& detail) {
  if (!detail.empty()) message += ": " + detail;
  return message;
}

void judge_status(const AccountReadings& r, Verdict& verdict) {
  if (!r.status) return;
  const auto value = static_cast<std::int64_t>(*r.status);
  const std::string code = " (status " + std::to_string(value) + ")";
  switch (*r.status) {
    case AccountStatus::ConnectionError:
      verdict.add(HealthReasonCode::ConnectionError, HealthLevel::Critical,
                  with_detail("connection error" + code, r.status_detail));
      return;
    case AccountStatus::SoftBounceError:
      verdict.add(HealthReasonCode::SoftBounceError, HealthLevel::Critical,
                  with_detail("soft bounce error" + code, r.status_detail));
      return;
    case AccountStatus::SendingError:
      verdict.add(HealthReasonCode::SendingError, HealthLevel::Critical,
                  with_detail("sending error" + code, r.status_detail));
      return;
    case AccountStatus::Paused:
      verdict.add(HealthReasonCode::AccountPaused, HealthLevel::Warning, "account paused" + code);
      return;
    default:
      // The enum is open: an error status the spec does not list yet is still an error.
      if (value < 0) {
        verdict.add(HealthReasonCode::AccountError, HealthLevel::Critical,
                    with_detail("account error" + code, r.status_detail));
      }
      return;
  }
}

void judge_warmup_status(const AccountReadings& r, const HealthThresholds& t, Verdict& verdict) {
  if (!r.warmup_status) return;
  const auto value = static_cast<std::int64_t>(*r.warmup_status);
  const std::string code = " (warmup status " + std::to_string(value) + ")";
  switch (*r.warmup_status) {
    case AccountWarmupStatus::Paused:
      verdict.add(HealthReasonCode::WarmupPaused, t.warmup_paused, "warmup paused" + code);
      return;
    case AccountWarmupStatus::SpamFolderUnknown:
      verdict.add(HealthReasonCode::WarmupSpamFolderUnknown, HealthLevel::Warning,
                  "warmup cannot find the spam folder" + code);
      return;
    case AccountWarmupStatus::Banned:
      verdict.add(HealthReasonCode::WarmupBanned, HealthLevel::Critical, "warmup banned" + code);
      return;
    case AccountWarmupStatus::PermanentSuspension:
      verdict.add(HealthReasonCode::WarmupSuspended, HealthLevel::Critical, "warmup suspended" + code);
      return;
    default:
      if (value < 0) verdict.add(HealthReasonCode::WarmupError, HealthLevel::Critical, "warmup error" + code);
      return;
  }
}

void judge_score(const AccountReadings& r, const HealthThresholds& t, Verdict& verdict) {
  if (!r.warmup_score) return;
  const double score = *r.warmup_score;
  if (score < t.warmup_score_critical) {
    verdict.add(HealthReasonCode::LowWarmupScore, HealthLevel::Critical,
                "warmup score " + number_text(score) + " is below " + number_text(t.warmup_score_critical));
  } else if (score < t.warmup_score_warning) {
    verdict.add(HealthReasonCode::LowWarmupScore, HealthLevel::Warning,
                "warmup score " + number_text(score) + " is below " + number_text(t.warmup_score_warning));
  }
}

void judge_vitals(const AccountReadings& r, const HealthThresholds& t, Verdict& verdict) {
  if (!r.vitals) {
    verdict.add(HealthReasonCode::VitalsUnknown, t.vitals_unknown,
                "no DNS check result for " + domain_of(r.email));
    return;
  }
  const DomainVitals& v = *r.vitals;
  const std::string where = " for " + (v.domain.empty() ? domain_of(r.email) : v.domain);
  // Only an explicit false fails a check: a field the answer left out is not evidence.
  if (v.mx == false) verdict.add(HealthReasonCode::MxFailing, t.mx_failing, "MX record check failing" + where);
  if (v.spf == false) verdict.add(HealthReasonCode::SpfFailing, t.spf_failing, "SPF check failing" + where);
  if (v.dkim == false) verdict.add(HealthReasonCode::DkimFailing, t.dkim_failing, "DKIM check failing" + where);
  if (v.dmarc == false) verdict.add(HealthReasonCode::DmarcFailing, t.dmarc_failing, "DMARC check failing" + where);
}

void judge_bounces(const AccountHealthResult& r, const HealthThresholds& t, Verdict& verdict) {
  if (!r.bounce_rate || r.sent < t.min_sent_for_bounce_rate) return;
  const double rate = *r.bounce_rate;
  const std::string seen = "bounce rate " + percent_text(rate) + " (" + std::to_string(r.bounced) + " of " +
                           std::to_string(r.sent) + " sent) is above ";
  if (rate > t.bounce_rate_critical) {
    verdict.add(HealthReasonCode::HighBounceRate, HealthLevel::Critical, seen + percent_text(t.bounce_rate_critical));
  } else if (rate > t.bounce_rate_warning) {
    verdict.add(HealthReasonCode::HighBounceRate, HealthLevel::Warning, seen + percent_text(t.bounce_rate_warning));
  }
}

}  // namespace

bool AccountHealthResult::has(HealthReasonCode code) const noexcept {
  return std::any_of(reasons.begin(), reasons.end(), [code](const HealthReason& r) { return r.code == code; });
}

AccountHealthResult classify_account(AccountReadings readings, const HealthThresholds& thresholds) {
  validate(thresholds);
  AccountHealthResult result;
  static_cast<AccountReadings&>(result) = std::move(readings);
  if (result.sent > 0) {
    result.bounce_rate = static_cast<double>(result.bounced) / static_cast<double>(result.sent);
  }

  Verdict verdict(result);
  if (!result.found) {
    verdict.add(HealthReasonCode::AccountNotFound, HealthLevel::Critical, "not an account of this workspace");
  } else {
    judge_status(result, verdict);
    judge_warmup_status(result, thresholds, verdict);
    judge_score(result, thresholds, verdict);
    judge_vitals(result, thresholds, verdict);
    judge_bounces(result, thresholds, verdict);
  }

  std::stable_sort(result.reasons.begin(), result.reasons.end(),
                   [](const HealthReason& a, const HealthReason& b) { return a.level > b.level; });
  result.level = result.reasons.empty() ? HealthLevel::Ok : result.reasons.front().level;
  return result;
}

HealthLevel worst_level(const std::vector<AccountHealthResult>& results) noexcept {
  HealthLevel worst = HealthLevel::Ok;
  for (const auto& result : results) worst = std::max(worst, result.level);
  return worst;
}

}  // namespace instantly::workflows
