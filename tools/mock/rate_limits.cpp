#include "rate_limits.hpp"

#include <utility>
#include <vector>

namespace instantly::mock {

namespace {

struct Limit {
  const char* suffix;  // window key suffix
  std::size_t count;
  std::chrono::seconds span;
};

/// Endpoint limits stricter than the workspace's (api-facts.md).
std::optional<Limit> endpoint_limit(std::string_view method, std::string_view path) {
  using std::chrono::seconds;
  if (method == "GET" && path == "/api/v2/emails") return Limit{"|emails", 20, seconds(60)};
  if (method == "POST" && path == "/api/v2/emails/test") return Limit{"|emails-test", 10, seconds(60)};
  if (path.starts_with("/api/v2/oauth/") && path.ends_with("/init")) return Limit{"|oauth", 75, seconds(60)};
  if (path.starts_with("/api/v2/dfy-email-account-orders/domains/check")) {
    return Limit{"|dfy-check", 30, seconds(60)};
  }
  return std::nullopt;
}

}  // namespace

void RateLimits::set_enabled(bool enabled) {
  std::lock_guard lock(mutex_);
  enabled_ = enabled;
}

bool RateLimits::enabled() const {
  std::lock_guard lock(mutex_);
  return enabled_;
}

void RateLimits::clear() {
  std::lock_guard lock(mutex_);
  windows_.clear();
}

std::optional<int> RateLimits::check(Window& window, std::size_t limit, Clock::duration span, Clock::time_point now) {
  while (!window.hits.empty() && window.hits.front() <= now - span) window.hits.pop_front();
  if (window.hits.size() < limit) return std::nullopt;
  auto wait = window.hits.front() + span - now;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wait + std::chrono::milliseconds(999)).count();
  return static_cast<int>(seconds < 1 ? 1 : seconds);
}

std::optional<int> RateLimits::admit(const std::string& bucket, std::string_view method,
                                     std::string_view operation_path, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!enabled_) return std::nullopt;
  std::vector<std::pair<Window*, Limit>> windows{
      {&windows_[bucket + "|s"], Limit{"|s", 100, std::chrono::seconds(1)}},
      {&windows_[bucket + "|m"], Limit{"|m", 6000, std::chrono::seconds(60)}},
  };
  if (auto limit = endpoint_limit(method, operation_path)) windows.emplace_back(&windows_[bucket + limit->suffix], *limit);
  for (auto& [window, limit] : windows) {
    if (auto wait = check(*window, limit.count, limit.span, now)) return wait;
  }
  for (auto& [window, limit] : windows) window->hits.push_back(now);
  return std::nullopt;
}

}  // namespace instantly::mock
