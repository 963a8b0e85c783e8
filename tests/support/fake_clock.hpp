// A Clock for tests: time moves only when a test or a sleeping caller moves it.
//
// sleep_until() returns at once after jumping the clock forward, so code that
// waits minutes (rate limits, Retry-After) runs instantly and deterministically.
// The wall clock moves together with the steady clock, as real clocks do, so a
// Retry-After HTTP date seen before a sleep is in the past after it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

#include "instantly/options.hpp"

namespace instantly::testing {

class FakeClock final : public Clock {
 public:
  using wall_time_point = std::chrono::system_clock::time_point;

  /// Starts well after the epoch so a default-constructed time_point never
  /// looks like "now", and at a fixed wall date so HTTP-date tests are stable.
  static constexpr time_point default_start() { return time_point{} + std::chrono::hours(24); }
  static constexpr wall_time_point default_wall_start() {
    using namespace std::chrono;
    return sys_days{year{2025} / January / 1};
  }

  explicit FakeClock(time_point start = default_start(),
                     wall_time_point wall_start = default_wall_start())
      : now_(start), wall_now_(wall_start) {}

  time_point now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  /// Records the request, then jumps to `deadline` unless time is already past it.
  void sleep_until(time_point deadline) override {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(deadline);
    if (deadline > now_) {
      move_forward(deadline - now_);
    }
  }

  wall_time_point wall_now() override {
    std::lock_guard lock(mutex_);
    return wall_now_;
  }

  void advance(duration by) {
    std::lock_guard lock(mutex_);
    move_forward(by);
  }

  /// Sets the steady time only; may go backwards, to test code that must cope.
  void set_now(time_point to) {
    std::lock_guard lock(mutex_);
    now_ = to;
  }

  void set_wall_now(wall_time_point to) {
    std::lock_guard lock(mutex_);
    wall_now_ = to;
  }

  /// Every deadline passed to sleep_until, in call order.
  std::vector<time_point> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

  std::size_t sleep_count() const {
    std::lock_guard lock(mutex_);
    return sleeps_.size();
  }

  void clear_sleeps() {
    std::lock_guard lock(mutex_);
    sleeps_.clear();
  }

 private:
  void move_forward(duration by) {
    now_ += by;
    wall_now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
  }

  mutable std::mutex mutex_;
  time_point now_;
  wall_time_point wall_now_;
  std::vector<time_point> sleeps_;
};

}  // namespace instantly::testing
