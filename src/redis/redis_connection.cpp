#include "redis/redis_connection.hpp"

#include <sys/time.h>

#include <string_view>

namespace instantly::redis::detail {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  const auto ms = std::max<std::chrono::milliseconds::rep>(1, duration.count());
  return timeval{.tv_sec = static_cast<time_t>(ms / 1000), .tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000)};
}

std::string_view error_text(const redisReply* reply) {
  return reply != nullptr && reply->str != nullptr ? std::string_view(reply->str, reply->len) : std::string_view();
}

}  // namespace

RedisConnection::RedisConnection(const RedisAddress& address, std::chrono::milliseconds connect_timeout,
                                 std::chrono::milliseconds command_timeout)
    : where_(address.display()),
      context_(redisConnectWithTimeout(address.host.c_str(), address.port, to_timeval(connect_timeout))) {
  if (!context_) throw RedisFailure("cannot reach Redis at " + where_ + ": out of memory", true);
  if (context_->err != 0) {
    throw RedisFailure("cannot reach Redis at " + where_ + ": " + context_->errstr, true);
  }
  redisSetTimeout(context_.get(), to_timeval(command_timeout));

  if (address.password) {
    std::vector<std::string> auth{"AUTH"};
    if (address.user) auth.push_back(*address.user);
    auth.push_back(*address.password);
    const Reply reply = command(auth);
    if (reply->type == REDIS_REPLY_ERROR) {
      // The server's words (WRONGPASS ..., ERR AUTH ...) never contain the password.
      throw RedisFailure("Redis at " + where_ + " refused the credentials: " + std::string(error_text(reply.get())),
                         false);
    }
  }
  if (address.database != 0) {
    const Reply reply = command({"SELECT", std::to_string(address.database)});
    if (reply->type == REDIS_REPLY_ERROR) {
      throw RedisFailure("Redis at " + where_ + " refused the database: " + std::string(error_text(reply.get())),
                         false);
    }
  }
  // A server that wants a password we did not give answers NOAUTH to the first command.
  const Reply ping = command({"PING"});
  if (ping->type == REDIS_REPLY_ERROR) {
    throw RedisFailure("Redis at " + where_ + " refused us: " + std::string(error_text(ping.get())), false);
  }
}

Reply RedisConnection::command(const std::vector<std::string>& arguments) {
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  pointers.reserve(arguments.size());
  lengths.reserve(arguments.size());
  for (const std::string& argument : arguments) {
    pointers.push_back(argument.data());
    lengths.push_back(argument.size());
  }
  Reply reply(static_cast<redisReply*>(redisCommandArgv(context_.get(), static_cast<int>(arguments.size()),
                                                         pointers.data(), lengths.data())));
  if (!reply) {
    throw RedisFailure("lost Redis at " + where_ + ": " + (context_->err != 0 ? context_->errstr : "no answer"),
                       true);
  }
  return reply;
}

}  // namespace instantly::redis::detail
