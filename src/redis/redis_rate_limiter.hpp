// The RateLimiter that keeps a workspace's budget in Redis (see
// instantly/redis/rate_limiter.hpp for what it promises).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "instantly/rate_limiter.hpp"
#include "instantly/redis/rate_limiter.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_url.hpp"

namespace instantly::redis::detail {

/// The keys and arguments of one set of windows: the script's KEYS and ARGV.
struct WindowSet {
  std::vector<std::string> keys;       ///< last grant, then one list per window
  std::vector<std::string> arguments;  ///< count, span in ms, per window
};

/// A reservation, in the Redis server's milliseconds.
struct Reservation {
  std::int64_t grant = 0;
  std::int64_t now = 0;
};

class RedisRateLimiter final : public RateLimiter {
 public:
  /// Connects at once (see make_rate_limiter). `local` is the in-process
  /// limiter for when_unreachable = UseLocal.
  RedisRateLimiter(const RateLimiterOptions& options, RedisAddress address, const std::string& workspace_id,
                   std::shared_ptr<RateLimiter> local, std::shared_ptr<Clock> clock);

  bool acquire(const RateLimitRequest& request, const std::stop_token& stop) override;

  /// One reservation in `windows`, without waiting. Throws RedisFailure.
  Reservation reserve(const WindowSet& windows);

  const WindowSet& workspace_windows() const noexcept { return workspace_; }

 private:
  /// Reserves and waits out one set, per when_unreachable when Redis fails.
  bool take(const WindowSet& windows, const RateLimitRequest& request, const std::stop_token& stop);
  RedisConnection& connection();  // connects when there is none; the mutex is held

  RedisAddress address_;
  RateLimiterOptions options_;
  std::shared_ptr<RateLimiter> local_;
  std::shared_ptr<Clock> clock_;
  WindowSet workspace_;
  std::vector<std::pair<EndpointLimit, WindowSet>> endpoints_;

  std::mutex mutex_;  // guards the connection and the script's digest
  std::optional<RedisConnection> connection_;
  std::string script_sha_;
};

}  // namespace instantly::redis::detail
