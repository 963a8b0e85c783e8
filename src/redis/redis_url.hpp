// Reading a `redis://` URL into what a connection needs, without ever putting
// the password into a message.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/redis/rate_limiter.hpp"

namespace instantly::redis::detail {

struct RedisAddress {
  std::string host;
  int port = 6379;
  int database = 0;
  std::optional<std::string> user;
  std::optional<std::string> password;
  /// From `?on_unreachable=wait|local`, when the URL says.
  std::optional<WhenUnreachable> when_unreachable;
  /// From `?headroom=0.1` and `?safety_margin_ms=100`, when the URL says
  /// (RateLimiterOptions::headroom, ::safety_margin).
  std::optional<double> headroom;
  std::optional<std::chrono::milliseconds> safety_margin;
  std::optional<std::chrono::milliseconds> pacing;  ///< `?pacing_ms=100`

  /// "host:port/db": for messages.
  std::string display() const;
};

/// Throws ValidationError naming what is wrong (scheme, port, database, a query
/// parameter), never quoting the URL: it may hold a password.
RedisAddress parse_redis_url(std::string_view url);

}  // namespace instantly::redis::detail
