// The API's rate limits, enforced as the real service does: per workspace,
// 100 requests per second and 6,000 per minute, plus stricter limits on a few
// endpoints (api-facts.md). A request over any limit is rejected with 429 and
// does not count.
//
// The mock has one workspace but many callers, so its bucket is the API key
// (or the `x-as-workspace` header when present): tests and tenants using
// different keys do not throttle each other.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace instantly::mock {

class RateLimits {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimits(bool enabled) : enabled_(enabled) {}

  void set_enabled(bool enabled);
  bool enabled() const;
  void clear();

  /// Admits the request or returns the seconds to wait (for Retry-After).
  /// `operation_path` is the spec's path template, e.g. "/api/v2/emails".
  std::optional<int> admit(const std::string& bucket, std::string_view method, std::string_view operation_path,
                           Clock::time_point now = Clock::now());

 private:
  struct Window {
    std::deque<Clock::time_point> hits;
  };
  /// Checks one sliding window; returns the wait when full.
  static std::optional<int> check(Window& window, std::size_t limit, Clock::duration span, Clock::time_point now);

  mutable std::mutex mutex_;
  bool enabled_;
  std::map<std::string, Window, std::less<>> windows_;
};

}  // namespace instantly::mock
