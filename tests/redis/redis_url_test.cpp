// Reading redis:// URLs: every part, the defaults, and errors that never quote
// a password.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "instantly/error.hpp"
#include "redis/redis_url.hpp"

namespace {

using instantly::ValidationError;
using instantly::redis::WhenUnreachable;
using instantly::redis::detail::parse_redis_url;
using instantly::redis::detail::RedisAddress;

std::string refusal(const std::string& url) {
  try {
    parse_redis_url(url);
  } catch (const ValidationError& e) {
    return e.what();
  }
  FAIL("expected a ValidationError for a bad URL");
  return {};
}

}  // namespace

TEST_SUITE("redis url") {
  TEST_CASE("host, port and database, with defaults") {
    const RedisAddress full = parse_redis_url("redis://10.0.0.5:6380/2");
    CHECK(full.host == "10.0.0.5");
    CHECK(full.port == 6380);
    CHECK(full.database == 2);
    CHECK_FALSE(full.password.has_value());
    CHECK(full.display() == "10.0.0.5:6380/2");

    const RedisAddress bare = parse_redis_url("redis://cache.internal");
    CHECK(bare.host == "cache.internal");
    CHECK(bare.port == 6379);
    CHECK(bare.database == 0);

    const RedisAddress v6 = parse_redis_url("redis://[::1]:7000/1");
    CHECK(v6.host == "::1");
    CHECK(v6.port == 7000);
  }

  TEST_CASE("credentials: a password alone, user and password, %-escapes") {
    const RedisAddress only = parse_redis_url("redis://:s3cret@127.0.0.1:6379");
    CHECK(only.password == "s3cret");
    CHECK_FALSE(only.user.has_value());
    CHECK(parse_redis_url("redis://token@host").password == "token");  // as redis-cli reads it
    const RedisAddress acl = parse_redis_url("redis://worker:p%40ss%3Aword@host/3");
    CHECK(acl.user == "worker");
    CHECK(acl.password == "p@ss:word");
    CHECK(acl.database == 3);
    CHECK(acl.display().find("p@ss") == std::string::npos);
  }

  TEST_CASE("on_unreachable comes from the query") {
    CHECK(parse_redis_url("redis://h?on_unreachable=local").when_unreachable == WhenUnreachable::UseLocal);
    CHECK(parse_redis_url("redis://h:1/0?on_unreachable=wait").when_unreachable == WhenUnreachable::Wait);
    CHECK_FALSE(parse_redis_url("redis://h").when_unreachable.has_value());
  }

  TEST_CASE("headroom and safety margin come from the query, for callers that only pass a URL") {
    const auto address = parse_redis_url("redis://h?headroom=0.1&safety_margin_ms=120&on_unreachable=local");
    CHECK(address.headroom == 0.1);
    CHECK(address.safety_margin == std::chrono::milliseconds(120));
    CHECK(address.when_unreachable == WhenUnreachable::UseLocal);
    CHECK_FALSE(parse_redis_url("redis://h").headroom.has_value());
    CHECK_FALSE(parse_redis_url("redis://h").safety_margin.has_value());
  }

  TEST_CASE("bad URLs say what is wrong and never quote the password") {
    CHECK(refusal("http://:hunter2@host").find("scheme 'http'") != std::string::npos);
    CHECK(refusal("rediss://:hunter2@host").find("TLS") != std::string::npos);
    CHECK(refusal("redis://:hunter2@").find("no host") != std::string::npos);
    CHECK(refusal("redis://:hunter2@host:notaport").find("port") != std::string::npos);
    CHECK(refusal("redis://:hunter2@host:70000").find("port") != std::string::npos);
    CHECK(refusal("redis://:hunter2@host/x").find("database") != std::string::npos);
    CHECK(refusal("redis://:hunter2@host?on_unreachable=maybe").find("on_unreachable") != std::string::npos);
    CHECK(refusal("redis://:hunter2@host?fallback=local").find("unknown parameter 'fallback'") != std::string::npos);
    CHECK(refusal("redis://h?headroom=1").find("headroom must be a fraction") != std::string::npos);
    CHECK(refusal("redis://h?headroom=-0.1").find("headroom") != std::string::npos);
    CHECK(refusal("redis://h?headroom=lots").find("headroom") != std::string::npos);
    CHECK(refusal("redis://h?safety_margin_ms=1.5").find("safety_margin_ms must be whole milliseconds") !=
          std::string::npos);
    CHECK(refusal("redis://h?safety_margin_ms=999999").find("safety_margin_ms") != std::string::npos);
    CHECK(refusal("redis://:p%4@host").find("escape") != std::string::npos);
    CHECK(refusal("cache:6379").find("no scheme") != std::string::npos);
    for (const char* url : {"http://:hunter2@host", "redis://:hunter2@host:notaport", "redis://:hunter2@host/x"}) {
      CHECK(refusal(url).find("hunter2") == std::string::npos);
    }
  }
}
