// RateLimiter: the sliding-log scheduler described in rate_limiter.hpp.
#include "core/rate_limiter.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace instantly::detail {

namespace {

void require_usable(const RateWindow& limit) {
  // A zero count would mean "never grant", which would hang every caller
  // forever; a zero window would mean "no limit" in disguise. Both are
  // configuration mistakes, so say so up front.
  if (limit.count <= 0) {
    throw std::invalid_argument("instantly: a rate limit window needs a positive request count");
  }
  if (limit.window <= std::chrono::milliseconds::zero()) {
    throw std::invalid_argument("instantly: a rate limit window needs a positive duration");
  }
}

}  // namespace

SlidingWindows::SlidingWindows(std::vector<RateWindow> windows, std::shared_ptr<Clock> clock)
    : clock_(std::move(clock)) {
  if (!clock_) {
    throw std::invalid_argument("instantly: a rate limiter needs a clock");
  }
  windows_.reserve(windows.size());
  for (const RateWindow& limit : windows) {
    require_usable(limit);
    // The ring grows as grants arrive rather than up front: long windows
    // (500 per 30 days) would otherwise allocate for grants that may never come.
    windows_.push_back(Window{limit, {}, 0});
  }
}

Clock::time_point SlidingWindows::reserve() {
  std::lock_guard lock(mutex_);

  // Never hand out a time before an earlier grant: callers rely on grants
  // being ordered, and the window argument in the header depends on it.
  Clock::time_point grant = std::max(clock_->now(), last_grant_);
  for (const Window& w : windows_) {
    if (w.grants.size() == static_cast<std::size_t>(w.limit.count)) {
      grant = std::max(grant, w.grants[w.next] + w.limit.window);
    }
  }

  for (Window& w : windows_) {
    if (w.grants.size() < static_cast<std::size_t>(w.limit.count)) {
      w.grants.push_back(grant);
    } else {
      w.grants[w.next] = grant;
      w.next = (w.next + 1) % w.grants.size();
    }
  }
  last_grant_ = grant;
  return grant;
}

Clock::time_point SlidingWindows::acquire() {
  const Clock::time_point grant = reserve();
  // Sleep outside the lock so that other callers can queue up behind us
  // meanwhile; their grants are already ordered after ours.
  if (grant > clock_->now()) clock_->sleep_until(grant);
  return grant;
}

bool SlidingWindows::acquire_unless_stopped(const std::stop_token& stop) {
  if (stop.stop_requested()) return false;
  const Clock::time_point grant = reserve();
  if (grant > clock_->now()) return clock_->wait_until(grant, stop);
  return true;
}

}  // namespace instantly::detail
