// The stable names of health levels and reason codes, and the checks on
// HealthThresholds.
#include <array>
#include <cmath>
#include <string>

#include "instantly/error.hpp"
#include "instantly/workflows/account_health.hpp"

namespace instantly::workflows {

namespace {

constexpr std::array<std::string_view, 3> kLevelNames = {"ok", "warning", "critical"};

constexpr std::array<std::string_view, kHealthReasonCodeCount> kCodeNames = {
    "connection_error", "soft_bounce_error", "sending_error",   "account_error",
    "account_paused",   "warmup_paused",     "warmup_spam_folder_unknown",
    "warmup_banned",    "warmup_suspended",  "warmup_error",    "low_warmup_score",
    "mx_failing",       "spf_failing",       "dkim_failing",    "dmarc_failing",
    "vitals_unknown",   "high_bounce_rate",  "account_not_found"};

template <class Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view name) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

void require(bool ok, const std::string& message) {
  if (!ok) throw ValidationError("HealthThresholds: " + message);
}

bool within(double value, double low, double high) { return std::isfinite(value) && value >= low && value <= high; }

}  // namespace

std::string_view to_string(HealthLevel level) noexcept {
  auto at = static_cast<std::size_t>(level);
  return at < kLevelNames.size() ? kLevelNames[at] : std::string_view();
}

std::optional<HealthLevel> health_level_from_string(std::string_view name) noexcept {
  return find_name<HealthLevel>(kLevelNames, name);
}

std::string_view to_string(HealthReasonCode code) noexcept {
  auto at = static_cast<std::size_t>(code);
  return at < kCodeNames.size() ? kCodeNames[at] : std::string_view();
}

std::optional<HealthReasonCode> health_reason_code_from_string(std::string_view name) noexcept {
  return find_name<HealthReasonCode>(kCodeNames, name);
}

void validate(const HealthThresholds& t) {
  require(within(t.warmup_score_warning, 0, 100), "warmup_score_warning must be within 0..100");
  require(within(t.warmup_score_critical, 0, 100), "warmup_score_critical must be within 0..100");
  require(t.warmup_score_critical <= t.warmup_score_warning,
          "warmup_score_critical must not be above warmup_score_warning");
  require(within(t.bounce_rate_warning, 0, 1), "bounce_rate_warning must be a fraction within 0..1 (0.03 = 3 %)");
  require(within(t.bounce_rate_critical, 0, 1), "bounce_rate_critical must be a fraction within 0..1 (0.05 = 5 %)");
  require(t.bounce_rate_critical >= t.bounce_rate_warning,
          "bounce_rate_critical must not be below bounce_rate_warning");
  require(t.min_sent_for_bounce_rate >= 1, "min_sent_for_bounce_rate must be at least 1");
  for (HealthLevel level : {t.mx_failing, t.spf_failing, t.dkim_failing, t.dmarc_failing, t.warmup_paused,
                            t.vitals_unknown}) {
    require(!to_string(level).empty(), "a level must be Ok, Warning or Critical");
  }
}

}  // namespace instantly::workflows
