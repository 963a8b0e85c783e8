#include "redis/redis_rate_limiter.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "core/rate_limiter.hpp"
#include "instantly/error.hpp"
#include "redis/sliding_window_script.hpp"

namespace instantly::redis::detail {
namespace {

// How often a limiter set to wait asks an unreachable Redis again.
constexpr std::chrono::milliseconds kRetryUnreachableEvery{500};

/// The workspace's name in keys: a digest of the API key and workspace, never the key.
std::string workspace_id(std::string_view api_key, std::string_view workspace) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool ok = context != nullptr && EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(context, api_key.data(), api_key.size()) == 1 &&
                  EVP_DigestUpdate(context, "\n", 1) == 1 &&
                  EVP_DigestUpdate(context, workspace.data(), workspace.size()) == 1 &&
                  EVP_DigestFinal_ex(context, digest.data(), &length) == 1;
  EVP_MD_CTX_free(context);
  if (!ok) throw std::runtime_error("instantly: could not hash the API key for the shared rate limiter");
  std::string hex;
  for (unsigned int i = 0; i < 16; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

WindowSet window_set(const std::string& prefix, const std::vector<RateWindow>& windows,
                     const RateLimiterOptions& options) {
  WindowSet set;
  set.keys.push_back(prefix + "last");
  std::optional<int> paced;  // the fewest slots any window allows per `pacing`
  for (std::size_t i = 0; i < windows.size(); ++i) {
    if (windows[i].count <= 0 || windows[i].window.count() <= 0) {
      throw ValidationError("rate limit windows need a positive count and duration");
    }
    // Held back: at least one slot of a window with room for it, never the last one.
    const auto held = static_cast<int>(std::ceil(windows[i].count * options.headroom));
    const int count = std::max(1, windows[i].count - held);
    set.keys.push_back(prefix + std::to_string(i));
    set.arguments.push_back(std::to_string(count));
    set.arguments.push_back(std::to_string((windows[i].window + options.safety_margin).count()));
    const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(windows[i].window);
    if (options.pacing.count() > 0 && options.pacing < window) {
      const double fraction = static_cast<double>(options.pacing.count()) / static_cast<double>(window.count());
      const auto share = static_cast<int>(std::ceil(count * fraction));
      paced = std::min(paced.value_or(share), share);
    }
  }
  if (paced) {
    set.keys.push_back(prefix + "paced");
    set.arguments.push_back(std::to_string(*paced));
    set.arguments.push_back(std::to_string(options.pacing.count()));
  }
  return set;
}

Reservation reservation_of(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ARRAY || reply.elements != 2 || reply.element[0]->type != REDIS_REPLY_INTEGER ||
      reply.element[1]->type != REDIS_REPLY_INTEGER) {
    throw RedisFailure("Redis answered the rate limit script with something else than {grant, now}", false);
  }
  return {reply.element[0]->integer, reply.element[1]->integer};
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(const RateLimiterOptions& options, RedisAddress address,
                                   const std::string& workspace_id, std::shared_ptr<RateLimiter> local,
                                   std::shared_ptr<Clock> clock)
    : address_(std::move(address)), options_(options), local_(std::move(local)), clock_(std::move(clock)) {
  const std::string prefix = options_.key_prefix + "{" + workspace_id + "}:";
  if (!(options_.headroom >= 0.0 && options_.headroom < 1.0)) {
    throw ValidationError("the shared rate limiter's headroom must be a fraction in [0, 1)");
  }
  if (options_.safety_margin.count() < 0) throw ValidationError("the shared rate limiter's safety_margin is negative");
  workspace_ = window_set(prefix + "workspace:", {options_.limits.per_second, options_.limits.per_minute}, options_);
  if (options_.limits.endpoint_limits) {
    for (const EndpointLimit& limit : options_.endpoint_limits.value_or(documented_endpoint_limits())) {
      const std::string name = std::string(limit.method) + " " + std::string(limit.path);
      endpoints_.emplace_back(limit, window_set(prefix + "endpoint:" + name + ":", limit.windows, options_));
    }
  }
  std::lock_guard lock(mutex_);
  try {
    connection();
  } catch (const RedisFailure& failure) {
    // Unreachable at start: a limiter that may use the local budget starts on it and tries
    // Redis again on later calls; any other stops here, with a clear error.
    if (!failure.unreachable() || options_.when_unreachable != WhenUnreachable::UseLocal) throw;
  }
}

RedisConnection& RedisRateLimiter::connection() {
  if (!connection_) {
    connection_.emplace(address_, options_.connect_timeout, options_.command_timeout);
    const Reply loaded = connection_->command({"SCRIPT", "LOAD", kSlidingWindowScript});
    if (loaded->type != REDIS_REPLY_STRING) {
      connection_.reset();
      throw RedisFailure("Redis at " + address_.display() + " would not load the rate limit script", false);
    }
    script_sha_.assign(loaded->str, loaded->len);
  }
  return *connection_;
}

Reservation RedisRateLimiter::reserve(const WindowSet& windows) {
  std::vector<std::string> command{"EVALSHA", "", std::to_string(windows.keys.size())};
  command.insert(command.end(), windows.keys.begin(), windows.keys.end());
  command.insert(command.end(), windows.arguments.begin(), windows.arguments.end());
  std::lock_guard lock(mutex_);
  try {
    RedisConnection* redis = &connection();
    command[1] = script_sha_;
    Reply reply = redis->command(command);
    if (reply->type == REDIS_REPLY_ERROR && std::string_view(reply->str, reply->len).starts_with("NOSCRIPT")) {
      // The server restarted or flushed its scripts: load it again, once.
      connection_.reset();
      redis = &connection();
      command[1] = script_sha_;
      reply = redis->command(command);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      throw RedisFailure("Redis at " + address_.display() + " failed the rate limit script: " +
                             std::string(reply->str, reply->len),
                         false);
    }
    return reservation_of(*reply);
  } catch (const RedisFailure& failure) {
    if (failure.unreachable()) connection_.reset();  // reconnect on the next call
    throw;
  }
}

bool RedisRateLimiter::take(const WindowSet& windows, const RateLimitRequest& request, const std::stop_token& stop) {
  const Clock::time_point started = clock_->now();
  for (;;) {
    std::optional<Reservation> reservation;
    try {
      reservation = reserve(windows);
    } catch (const RedisFailure& failure) {
      if (!failure.unreachable()) throw RateLimiterError(failure.what());
      if (options_.when_unreachable == WhenUnreachable::UseLocal) return local_->acquire(request, stop);
      if (clock_->now() - started >= options_.max_unreachable_wait) {
        throw RateLimiterError(std::string(failure.what()) + " (gave up waiting for it after " +
                               std::to_string(options_.max_unreachable_wait.count()) + " ms)");
      }
      if (!clock_->wait_until(clock_->now() + kRetryUnreachableEvery, stop)) return false;
      continue;
    }
    const std::chrono::milliseconds delay(reservation->grant - reservation->now);
    if (delay.count() <= 0) return !stop.stop_requested();
    return clock_->wait_until(clock_->now() + delay, stop);
  }
}

bool RedisRateLimiter::acquire(const RateLimitRequest& request, const std::stop_token& stop) {
  if (stop.stop_requested()) return false;
  // The endpoint's own limit first, as the in-process limiter does: a call parked behind
  // GET /emails must not hold a workspace slot meanwhile.
  const std::string_view path = request.path.substr(0, request.path.find('?'));
  for (const auto& [limit, windows] : endpoints_) {
    if (limit.method == request.method && limit.path == path) {
      if (!take(windows, request, stop)) return false;
      break;
    }
  }
  return take(workspace_, request, stop);
}

}  // namespace instantly::redis::detail

namespace instantly::redis {

std::shared_ptr<RateLimiter> make_rate_limiter(const RateLimiterOptions& options, std::string_view api_key,
                                               std::string_view workspace, std::shared_ptr<Clock> clock) {
  if (api_key.empty()) throw ValidationError("the shared rate limiter needs the API key its budget belongs to");
  detail::RedisAddress address = detail::parse_redis_url(options.url);
  RateLimiterOptions effective = options;
  if (address.when_unreachable) effective.when_unreachable = *address.when_unreachable;
  if (address.headroom) effective.headroom = *address.headroom;
  if (address.safety_margin) effective.safety_margin = *address.safety_margin;
  if (address.pacing) effective.pacing = *address.pacing;
  if (!clock) clock = system_clock();
  RateLimitOptions local_limits = effective.limits;
  local_limits.enabled = true;
  auto local = instantly::detail::shared_workspace_limits(api_key, workspace, local_limits, clock);
  try {
    return std::make_shared<detail::RedisRateLimiter>(effective, std::move(address),
                                                      detail::workspace_id(api_key, workspace), std::move(local),
                                                      std::move(clock));
  } catch (const detail::RedisFailure& failure) {
    throw RateLimiterError(failure.what());
  }
}

}  // namespace instantly::redis
