#include "core/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace instantly::detail {
namespace {

using std::chrono::milliseconds;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<milliseconds> parse_delta_seconds(std::string_view value) {
  if (value.empty() || !std::isdigit(static_cast<unsigned char>(value.front()))) return std::nullopt;
  double seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(seconds)) {
    return std::nullopt;
  }
  // Cap before converting so absurd values cannot overflow the duration.
  seconds = std::min(seconds, 1e9);
  return milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value) {
  // RFC 9110 §5.6.7: senders use IMF-fixdate; recipients also accept the two obsolete forms.
  static constexpr std::array<const char*, 3> kFormats = {
      "%a, %d %b %Y %H:%M:%S GMT",  // Sun, 06 Nov 1994 08:49:37 GMT
      "%A, %d-%b-%y %H:%M:%S GMT",  // Sunday, 06-Nov-94 08:49:37 GMT
      "%a %b %e %H:%M:%S %Y",       // Sun Nov  6 08:49:37 1994
  };
  const std::string text(value);
  for (const char* format : kFormats) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') {
      // system_clock counts nanoseconds, about 292 years either side of 1970: a year
      // like 94 or 9999 would overflow it. Earlier than 1970 is "now" to every caller,
      // and 2191 is further than any wait we would honour.
      const std::time_t seconds = std::clamp<std::time_t>(timegm(&tm), 0, 7'000'000'000);
      return std::chrono::system_clock::from_time_t(seconds);
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_idempotent_method(std::string_view method) {
  const std::string m = upper(method);
  return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "PUT" || m == "DELETE";
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (auto delta = parse_delta_seconds(value)) return delta;
  if (auto date = parse_http_date(value)) {
    auto wait = std::chrono::duration_cast<milliseconds>(*date - now);
    return std::max(wait, milliseconds(0));
  }
  return std::nullopt;
}

RetryVerdict decide_retry(const AttemptOutcome& outcome, int attempt, int max_retries) {
  bool retryable = false;
  if (outcome.status) {
    const int status = *outcome.status;
    if (status < 400) return RetryVerdict::Success;
    if (status == 429) {
      // The server turned the request away before doing anything: safe for any method.
      retryable = true;
    } else if (status == 408 || status >= 500) {
      if (!outcome.idempotent) return RetryVerdict::UnsafeToRepeat;
      retryable = true;
    } else {
      return RetryVerdict::NotRetryable;
    }
  } else {
    // No response. Only a connection that was never made proves the server saw nothing.
    if (!outcome.connection_never_made && !outcome.idempotent) return RetryVerdict::UnsafeToRepeat;
    retryable = true;
  }
  if (retryable && attempt > max_retries) return RetryVerdict::Exhausted;
  return RetryVerdict::Retry;
}

milliseconds backoff_delay(const RetryPolicy& policy, int retry, double jitter) {
  const double base_ms = static_cast<double>(policy.initial_backoff.count()) *
                         std::pow(policy.multiplier, std::max(0, retry - 1));
  const double capped_ms = std::min(base_ms, static_cast<double>(policy.max_backoff.count()));
  const double jittered_ms = capped_ms * (1.0 - 0.25 * std::clamp(jitter, 0.0, 1.0));
  return milliseconds(static_cast<long long>(std::llround(jittered_ms)));
}

milliseconds retry_delay(const RetryPolicy& policy, int retry, double jitter,
                         std::optional<milliseconds> retry_after) {
  if (retry_after && *retry_after <= policy.max_retry_after) return *retry_after;
  return backoff_delay(policy, retry, jitter);
}

std::string stop_reason(RetryVerdict verdict, int attempts) {
  switch (verdict) {
    case RetryVerdict::Exhausted:
      return "retries exhausted";
    case RetryVerdict::UnsafeToRepeat:
      return "not retried: the call is not idempotent and the request may have reached the server";
    case RetryVerdict::NotRetryable:
      return attempts > 1 ? "status not retryable" : "";
    case RetryVerdict::Retry:
    case RetryVerdict::Success:
      break;
  }
  return "";
}

}  // namespace instantly::detail
