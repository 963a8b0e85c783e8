// One connection to Redis over hiredis's blocking API: connect with a timeout,
// AUTH and SELECT, then commands. Not thread-safe; the limiter guards it.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "redis/redis_url.hpp"

namespace instantly::redis::detail {

/// A failure to talk to Redis. `unreachable()` for network failures (worth
/// waiting out or falling back from); false for refusals (a wrong password or
/// database: fix the configuration). The message names host and port, never a password.
class RedisFailure : public std::exception {
 public:
  RedisFailure(std::string message, bool unreachable) : message_(std::move(message)), unreachable_(unreachable) {}
  const char* what() const noexcept override { return message_.c_str(); }
  bool unreachable() const noexcept { return unreachable_; }

 private:
  std::string message_;
  bool unreachable_;
};

struct ReplyDeleter {
  void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* context) const noexcept { redisFree(context); }
};

class RedisConnection {
 public:
  /// Connects, authenticates and selects the database. Throws RedisFailure.
  RedisConnection(const RedisAddress& address, std::chrono::milliseconds connect_timeout,
                  std::chrono::milliseconds command_timeout);

  /// Sends one command; an error reply comes back as a reply (type REDIS_REPLY_ERROR).
  /// Throws RedisFailure (unreachable) when the connection fails; it is unusable then.
  Reply command(const std::vector<std::string>& arguments);

 private:
  std::string where_;  // "host:port/db", for messages
  std::unique_ptr<redisContext, ContextDeleter> context_;
};

}  // namespace instantly::redis::detail
