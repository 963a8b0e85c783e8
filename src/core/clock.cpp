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
};

}  // namespace

std::shared_ptr<Clock> system_clock() {
  // One instance, so that rate limits keyed by clock are shared process-wide.
  static const std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace instantly
