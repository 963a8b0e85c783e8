// The real clock. Its stoppable wait is what lets Ctrl-C, a service's
// shutdown or a cancelled task end a minute-long rate-limit wait or backoff
// at once: condition_variable_any waits on the same steady clock and wakes on
// the stop request.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "instantly/options.hpp"

namespace instantly {
namespace {

class SystemClock final : public Clock {
 public:
  time_point now() override { return std::chrono::steady_clock::now(); }
  void sleep_until(time_point deadline) override { std::this_thread::sleep_until(deadline); }
  std::chrono::system_clock::time_point wall_now() override {
    return std::chrono::system_clock::now();
  }

  bool wait_until(time_point deadline, const std::stop_token& stop) override {
    if (stop.stop_requested()) return false;
    if (!stop.stop_possible()) {
      sleep_until(deadline);
      return true;
    }
    std::mutex mutex;
    std::condition_variable_any woken;
    std::unique_lock lock(mutex);
    // Nothing ever notifies: the wait ends at `deadline` or on the stop request.
    woken.wait_until(lock, stop, deadline, [] { return false; });
    return !stop.stop_requested();
  }
};

}  // namespace

std::shared_ptr<Clock> system_clock() {
  // One instance, so that rate limits keyed by clock are shared process-wide.
  static const std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace instantly
