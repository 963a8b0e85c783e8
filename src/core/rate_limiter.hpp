// Client-side rate limiting: sliding windows that make callers wait.
//
// Why a sliding log and not a token bucket: a bucket of 100 refilled at
// 100/s lets 150 requests through in some 1-second windows (a full burst,
// then the refill), and the API counts requests in windows. Here every
// limit "N per W" keeps the times of the last N grants; a new grant is
// scheduled no earlier than the oldest of them plus W. Grants are handed
// out in non-decreasing time order, so no window of length W ever holds
// more than N of them. See docs/adr/0004-rate-limiting.md.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/options.hpp"
#include "instantly/rate_limiter.hpp"

namespace instantly::detail {

/// A set of "at most N per W" limits that all apply to the same calls.
class SlidingWindows {
 public:
  /// Throws std::invalid_argument for a window whose count or duration is not
  /// positive (such a limit would either never grant or never limit), or a null clock.
  SlidingWindows(std::vector<RateWindow> windows, std::shared_ptr<Clock> clock);

  /// Reserves the earliest time every window allows, waits until then
  /// (through the clock), and returns the granted time. Never fails, never drops.
  Clock::time_point acquire();
  /// The same, unless `stop` ends the wait first: then false, and the
  /// reserved time stays taken.
  bool acquire_unless_stopped(const std::stop_token& stop);

  /// Reserves without waiting; the caller must wait until the returned time.
  Clock::time_point reserve();

 private:
  struct Window {
    RateWindow limit;
    std::vector<Clock::time_point> grants;  // ring buffer of the last `limit.count` grants
    std::size_t next = 0;                   // ring position of the oldest grant once full
  };

  std::shared_ptr<Clock> clock_;
  std::mutex mutex_;
  std::vector<Window> windows_;
  Clock::time_point last_grant_{};
};

/// The in-process limiter of one workspace (API key + `x-as-workspace`): the
/// workspace-wide windows plus one set per documented endpoint.
class WorkspaceLimits final : public RateLimiter {
 public:
  WorkspaceLimits(const RateLimitOptions& options, std::shared_ptr<Clock> clock);

  /// Waits for the endpoint's own limit (if any), then the workspace's.
  bool acquire(const RateLimitRequest& request, const std::stop_token& stop) override;

 private:
  SlidingWindows workspace_;
  std::vector<std::pair<const EndpointLimit*, std::unique_ptr<SlidingWindows>>> endpoints_;
};

/// The process-wide table that makes Clients with the same key, workspace,
/// limits and clock share one WorkspaceLimits. Keys are hashed, never stored.
std::shared_ptr<WorkspaceLimits> shared_workspace_limits(std::string_view api_key,
                                                         std::string_view workspace,
                                                         const RateLimitOptions& options,
                                                         const std::shared_ptr<Clock>& clock);

}  // namespace instantly::detail
