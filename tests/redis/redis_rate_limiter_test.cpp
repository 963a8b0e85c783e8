// The shared rate limiter against a real redis-server: limiters standing for
// different processes share one budget, endpoint limits apply, keys never hold
// the API key, and a Redis that refuses, is missing or goes away is handled as
// the options say, never by running unlimited.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/redis/rate_limiter.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_rate_limiter.hpp"
#include "support/fake_transport.hpp"
#include "support/redis_server.hpp"
#include "support/stop_after.hpp"

namespace {

using namespace std::chrono_literals;
using instantly::RateLimiterError;
using instantly::RateLimitRequest;
using instantly::redis::RateLimiterOptions;
using instantly::redis::WhenUnreachable;
using instantly::redis::detail::RedisRateLimiter;
using instantly::testing::RedisServer;

constexpr const char* kKey = "sk-redis-test-0123456789abcdef";

/// Five requests per 300 ms, no per-endpoint limits, no margin, no pacing: easy to count.
RateLimiterOptions small_budget(const std::string& url) {
  RateLimiterOptions options{.url = url};
  options.limits.per_second = {5, 300ms};
  options.limits.per_minute = {1'000, 1min};
  options.limits.endpoint_limits = false;
  options.headroom = 0;
  options.safety_margin = 0ms;
  options.pacing = 0ms;
  return options;
}

RedisRateLimiter& concrete(const std::shared_ptr<instantly::RateLimiter>& limiter) {
  auto* redis = dynamic_cast<RedisRateLimiter*>(limiter.get());
  REQUIRE(redis != nullptr);
  return *redis;
}

std::vector<std::string> all_keys(const RedisServer& server) {
  instantly::redis::detail::RedisConnection connection(
      instantly::redis::detail::parse_redis_url(server.url()), 1s, 1s);
  const auto reply = connection.command({"KEYS", "*"});
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < reply->elements; ++i) keys.emplace_back(reply->element[i]->str, reply->element[i]->len);
  return keys;
}

std::string refusal(const RateLimiterOptions& options) {
  try {
    instantly::redis::make_rate_limiter(options, kKey);
  } catch (const RateLimiterError& e) {
    return e.what();
  }
  FAIL("expected a RateLimiterError");
  return {};
}

const RateLimitRequest kListCampaigns{"GET", "/api/v2/campaigns"};

}  // namespace

TEST_SUITE("redis rate limiter") {
  TEST_CASE("limiters of different processes share one budget: never more than N in any window") {
    RedisServer redis;
    // Two limiters with connections of their own stand for two processes.
    auto first = instantly::redis::make_rate_limiter(small_budget(redis.url()), kKey);
    auto second = instantly::redis::make_rate_limiter(small_budget(redis.url()), kKey);
    std::vector<std::int64_t> grants;
    for (int i = 0; i < 12; ++i) {
      RedisRateLimiter& limiter = concrete(i % 2 == 0 ? first : second);
      grants.push_back(limiter.reserve(limiter.workspace_windows()).grant);
    }
    std::sort(grants.begin(), grants.end());
    for (std::size_t i = 5; i < grants.size(); ++i) CHECK(grants[i] - grants[i - 5] >= 300);
    // Another key has a budget of its own.
    auto other = instantly::redis::make_rate_limiter(small_budget(redis.url()), "sk-another-tenant-key");
    const auto reservation = concrete(other).reserve(concrete(other).workspace_windows());
    CHECK(reservation.grant == reservation.now);
  }

  TEST_CASE("pacing spreads a window's slots: its share per span, not the whole window at once") {
    RedisServer redis;
    RateLimiterOptions options = small_budget(redis.url());
    options.limits.per_second = {20, 1s};
    options.pacing = 100ms;  // 20 per second: 2 per 100 ms
    auto limiter = instantly::redis::make_rate_limiter(options, kKey);
    std::vector<std::int64_t> grants;
    for (int i = 0; i < 20; ++i) grants.push_back(concrete(limiter).reserve(concrete(limiter).workspace_windows()).grant);
    for (std::size_t i = 2; i < grants.size(); ++i) CHECK(grants[i] - grants[i - 2] >= 100);
    // The window still holds: 20 per second, spread over it rather than sent at once.
    CHECK(grants.back() - grants.front() >= 900);
    CHECK(grants.back() - grants.front() < 1'000 + 200);

    options.pacing = 0ms;
    options.key_prefix = "unpaced:";
    auto bursty = instantly::redis::make_rate_limiter(options, kKey);
    for (int i = 0; i < 20; ++i) {
      const auto reservation = concrete(bursty).reserve(concrete(bursty).workspace_windows());
      CHECK(reservation.grant == reservation.now);  // the whole window at once
    }
  }

  TEST_CASE("acquire waits for the slot, and a stop ends the wait") {
    RedisServer redis;
    auto limiter = instantly::redis::make_rate_limiter(small_budget(redis.url()), kKey);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 6; ++i) CHECK(limiter->acquire(kListCampaigns, {}));
    CHECK(std::chrono::steady_clock::now() - started >= 250ms);

    RateLimiterOptions slow = small_budget(redis.url());
    slow.limits.per_second = {1, 1min};
    slow.key_prefix = "slow:";
    auto minute = instantly::redis::make_rate_limiter(slow, kKey);
    CHECK(minute->acquire(kListCampaigns, {}));
    std::stop_source stop;
    const auto waited = std::chrono::steady_clock::now();
    {
      std::jthread stopper = instantly::testing::stop_after(stop, 100ms);
      CHECK_FALSE(minute->acquire(kListCampaigns, stop.get_token()));
    }
    CHECK(std::chrono::steady_clock::now() - waited < 5s);
  }

  TEST_CASE("per-endpoint limits come first and only for their endpoint") {
    RedisServer redis;
    RateLimiterOptions options = small_budget(redis.url());
    options.limits.per_second = {100, 1s};
    options.limits.endpoint_limits = true;
    options.endpoint_limits = std::vector<instantly::EndpointLimit>{{"GET", "/api/v2/emails", {{2, 400ms}}}};
    auto limiter = instantly::redis::make_rate_limiter(options, kKey);
    const auto started = std::chrono::steady_clock::now();
    CHECK(limiter->acquire({"GET", "/api/v2/campaigns"}, {}));
    CHECK(limiter->acquire({"GET", "/api/v2/emails?limit=5"}, {}));
    CHECK(limiter->acquire({"GET", "/api/v2/emails"}, {}));
    CHECK(std::chrono::steady_clock::now() - started < 300ms);
    CHECK(limiter->acquire({"GET", "/api/v2/emails"}, {}));  // the third in 400 ms waits
    CHECK(std::chrono::steady_clock::now() - started >= 350ms);
  }

  TEST_CASE("keys are named by a digest of the key and workspace, never the key, and expire") {
    RedisServer redis;
    auto limiter = instantly::redis::make_rate_limiter(small_budget(redis.url()), kKey, "sub-workspace");
    CHECK(limiter->acquire(kListCampaigns, {}));
    const std::vector<std::string> keys = all_keys(redis);
    REQUIRE_FALSE(keys.empty());
    for (const std::string& key : keys) {
      CHECK(key.starts_with("instantly:ratelimit:{"));
      CHECK(key.find(kKey) == std::string::npos);
      CHECK(key.find("0123456789abcdef") == std::string::npos);
    }
    instantly::redis::detail::RedisConnection connection(
        instantly::redis::detail::parse_redis_url(redis.url()), 1s, 1s);
    for (const std::string& key : keys) CHECK(connection.command({"PTTL", key})->integer > 0);
  }

  TEST_CASE("a Redis that wants a password: none or a wrong one is refused at start, never echoed") {
    RedisServer redis({.password = "right-horse-battery"});
    const std::string host = "127.0.0.1:" + std::to_string(redis.port());
    const std::string none = refusal(small_budget(redis.url()));
    CHECK(none.find(host) != std::string::npos);
    CHECK(none.find("NOAUTH") != std::string::npos);
    const std::string wrong = refusal(small_budget("redis://:wrong-staple@" + host));
    CHECK(wrong.find("refused the credentials") != std::string::npos);
    CHECK(wrong.find("wrong-staple") == std::string::npos);
    auto limiter = instantly::redis::make_rate_limiter(small_budget("redis://:right-horse-battery@" + host), kKey);
    CHECK(limiter->acquire(kListCampaigns, {}));
  }

  TEST_CASE("a Redis that is not there: an error at start, or the local budget when asked") {
    const int port = instantly::testing::unused_local_port();
    const std::string url = "redis://127.0.0.1:" + std::to_string(port);
    CHECK(refusal(small_budget(url)).find("cannot reach Redis at 127.0.0.1:" + std::to_string(port)) !=
          std::string::npos);
    auto local = instantly::redis::make_rate_limiter(small_budget(url + "?on_unreachable=local"), kKey);
    CHECK(local->acquire(kListCampaigns, {}));
  }

  TEST_CASE("a Redis that goes away mid-run: waited for (then an error), or the local budget, back when it returns") {
    RedisServer redis;
    RateLimiterOptions waiting = small_budget(redis.url());
    waiting.max_unreachable_wait = 600ms;
    auto limiter = instantly::redis::make_rate_limiter(waiting, kKey);
    RateLimiterOptions patient_options = small_budget(redis.url());
    patient_options.max_unreachable_wait = 1h;
    auto patient = instantly::redis::make_rate_limiter(patient_options, kKey);
    auto falls_back = instantly::redis::make_rate_limiter(small_budget(redis.url() + "?on_unreachable=local"), kKey);
    CHECK(limiter->acquire(kListCampaigns, {}));

    redis.kill();
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(limiter->acquire(kListCampaigns, {}), RateLimiterError);
    CHECK(std::chrono::steady_clock::now() - started >= 500ms);  // it waited before giving up
    CHECK(falls_back->acquire(kListCampaigns, {}));             // this process's budget instead
    std::stop_source stop;
    const auto stopped = std::chrono::steady_clock::now();
    {
      std::jthread stopper = instantly::testing::stop_after(stop, 100ms);
      CHECK_FALSE(patient->acquire(kListCampaigns, stop.get_token()));  // waiting for Redis, until stopped
    }
    CHECK(std::chrono::steady_clock::now() - stopped < 5s);

    redis.restart();
    CHECK(limiter->acquire(kListCampaigns, {}));  // reconnected
    CHECK_FALSE(all_keys(redis).empty());
  }

  TEST_CASE("a Client uses it through ClientOptions::rate_limiter") {
    RedisServer redis;
    auto transport = std::make_shared<instantly::testing::FakeTransport>();
    instantly::ClientOptions options{.api_key = kKey, .base_url = "http://127.0.0.1:9"};
    options.transport = transport;
    options.rate_limiter = instantly::redis::make_rate_limiter(small_budget(redis.url()), kKey);
    instantly::Client client(options);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 6; ++i) client.request("GET", "/api/v2/campaigns");
    CHECK(transport->request_count() == 6);
    CHECK(std::chrono::steady_clock::now() - started >= 250ms);  // the sixth waited for the window
    CHECK_FALSE(all_keys(redis).empty());
  }
}
