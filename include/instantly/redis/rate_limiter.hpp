// A rate limit shared by every process on a workspace, kept in Redis: the
// `instantly::redis` component (link it; built when libhiredis-dev is installed).
//
//   auto limiter = instantly::redis::make_rate_limiter({.url = "redis://127.0.0.1:6379/0"}, key);
//   instantly::Client client({.api_key = key, .rate_limiter = limiter});
//
// Several export workers on one Instantly workspace each believe, with the
// in-process limiter, that they own its 100 requests per second and 6,000 per
// minute; together they draw 429s. With this limiter every process reserves
// its slots in one place, atomically (one Lua script per reservation), with the
// same sliding windows as the in-process limiter (docs/adr/0004): the
// workspace's windows and the documented per-endpoint ones. Reservations use
// the Redis server's clock, so the processes' clocks need not agree.
//
// Keys are `<key_prefix>{<id>}:...`, where `<id>` is a SHA-256 digest of the
// API key and workspace: never the key itself. The braces keep one
// workspace's keys in one Redis Cluster slot. Keys expire with their windows.
//
// When Redis cannot be reached (or a reservation fails), `when_unreachable`
// decides, never silently: wait for it (up to `max_unreachable_wait`, then a
// RateLimiterError), or use this process's own limiter for that call.
//
// Thread-safety: one limiter may serve any number of clients and threads.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/options.hpp"
#include "instantly/rate_limiter.hpp"

namespace instantly::redis {

/// What a limiter does when Redis does not answer.
enum class WhenUnreachable {
  Wait,      ///< keep trying (stoppably) up to max_unreachable_wait, then RateLimiterError
  UseLocal,  ///< take the slot from this process's limiter instead (shared only in-process)
};

struct RateLimiterOptions {
  /// `redis://[[user]:password@]host[:port][/db]`, optionally with query
  /// parameters that set the options below: `on_unreachable=wait|local`,
  /// `headroom=0.05`, `safety_margin_ms=50`, `pacing_ms=100`. Port 6379 and
  /// database 0 by default. `rediss://` (TLS) is refused: hiredis 0.14 has no TLS.
  std::string url;
  /// The workspace's windows (`enabled` is not looked at: a limiter always limits).
  RateLimitOptions limits;
  /// The per-endpoint limits; empty = documented_endpoint_limits() (when limits.endpoint_limits).
  std::optional<std::vector<EndpointLimit>> endpoint_limits;
  WhenUnreachable when_unreachable = WhenUnreachable::Wait;
  std::chrono::milliseconds max_unreachable_wait{60'000};
  /// What keeps the API's own count from ever seeing one request too many.
  /// Between a slot and its arrival at the API lie a process's scheduling, a
  /// connection's set-up and the network: a few milliseconds usually, much more
  /// for a process's first request or on a busy machine. Requests that arrive
  /// late crowd the next window, so some of every window's count is held back
  /// (`headroom`, a fraction: 0.05 keeps 95 of 100 per second) and every window
  /// is lengthened by `safety_margin`.
  double headroom = 0.05;
  std::chrono::milliseconds safety_margin{50};
  /// Spreads each window's slots over it: in any `pacing` span, at most the
  /// window's share of them (95 per second: 10 per 100 ms). Without it, a full
  /// window's slots go out at once, and a burst of 95 requests reaches the API
  /// spread over as long as the API (or the network) takes to take them in;
  /// the burst's stragglers then share a window with the next burst. 0 = off.
  std::chrono::milliseconds pacing{100};
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds command_timeout{2'000};
  std::string key_prefix = "instantly:ratelimit:";
};

/// Connects, authenticates and selects the database at once, so that a wrong
/// URL or password fails at start, not mid-stream. Throws ValidationError for a
/// URL that does not read as one; RateLimiterError for a server that refuses
/// (authentication, database) and for one that cannot be reached, unless
/// when_unreachable is UseLocal (the limiter then starts on the local budget
/// and tries Redis again on later calls). A Redis that goes away later is
/// handled per when_unreachable. Messages name the host and port, never the
/// password. `clock` empty = system_clock().
std::shared_ptr<RateLimiter> make_rate_limiter(const RateLimiterOptions& options, std::string_view api_key,
                                               std::string_view workspace = {},
                                               std::shared_ptr<Clock> clock = nullptr);

}  // namespace instantly::redis
