// The Lua script that reserves one request's slot in Redis, atomically for every
// process: the in-process limiter's sliding windows (src/core/rate_limiter.cpp),
// kept in Redis lists.
//
//   KEYS[1]     the time of the last grant (every grant is at or after it)
//   KEYS[2..n]  one list per window: the times of its last `count` grants, newest first
//   ARGV        `count`, `span` (milliseconds) for each window, in KEYS order
//
// The grant is the earliest time that is not before the server's now, the last
// grant, or the oldest kept grant plus the span of any full window. Times are
// the Redis server's milliseconds, so processes need not agree on the time.
// Returns {grant, now}: the caller waits grant - now on its own clock.
#pragma once

namespace instantly::redis::detail {

inline constexpr const char* kSlidingWindowScript = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local grant = now
local last = tonumber(redis.call('GET', KEYS[1]))
if last and last > grant then grant = last end
local longest = 0
for i = 2, #KEYS do
  local count = tonumber(ARGV[2 * i - 3])
  local span = tonumber(ARGV[2 * i - 2])
  if span > longest then longest = span end
  if redis.call('LLEN', KEYS[i]) >= count then
    local oldest = tonumber(redis.call('LINDEX', KEYS[i], count - 1))
    if oldest + span > grant then grant = oldest + span end
  end
end
for i = 2, #KEYS do
  local count = tonumber(ARGV[2 * i - 3])
  local span = tonumber(ARGV[2 * i - 2])
  redis.call('LPUSH', KEYS[i], grant)
  redis.call('LTRIM', KEYS[i], 0, count - 1)
  redis.call('PEXPIRE', KEYS[i], grant - now + span)
end
redis.call('SET', KEYS[1], grant, 'PX', grant - now + longest)
return {grant, now}
)lua";

}  // namespace instantly::redis::detail
