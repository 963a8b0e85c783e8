// Client-side rate limiting: the sliding-window scheduler, the documented
// per-endpoint rules, and the process-wide sharing of limits.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "core/rate_limiter.hpp"
#include "support/fake_clock.hpp"

namespace {

using instantly::Clock;
using instantly::RateLimitOptions;
using instantly::RateWindow;
using instantly::detail::SlidingWindows;
using instantly::detail::shared_workspace_limits;
using instantly::detail::WorkspaceLimits;
using instantly::testing::FakeClock;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Milliseconds as a plain number, so failed checks print something readable.
long long ms_after(Clock::time_point start, Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t - start).count();
}

constexpr long long ms(std::chrono::milliseconds d) { return d.count(); }

// The most grants that fall into any half-open window [t, t + width).
// A busiest window can always be slid right until it starts at a grant,
// so only windows starting at grants need checking. `grants` must be sorted.
std::size_t busiest_window(const std::vector<Clock::time_point>& grants, Clock::duration width) {
  std::size_t busiest = 0;
  std::size_t end = 0;
  for (std::size_t begin = 0; begin < grants.size(); ++begin) {
    end = std::max(end, begin);
    while (end < grants.size() && grants[end] < grants[begin] + width) {
      ++end;
    }
    busiest = std::max(busiest, end - begin);
  }
  return busiest;
}

// Runs `threads` x `per_thread` acquires at once; returns every grant, sorted.
std::vector<Clock::time_point> acquire_concurrently(SlidingWindows& limiter, int threads,
                                                    int per_thread) {
  std::vector<std::vector<Clock::time_point>> per_worker(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  for (auto& grants : per_worker) {
    workers.emplace_back([&limiter, &grants, per_thread] {
      for (int i = 0; i < per_thread; ++i) {
        grants.push_back(limiter.acquire());
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }

  std::vector<Clock::time_point> all;
  for (const auto& grants : per_worker) {
    // One caller's grants come back in the order it asked for them.
    CHECK(std::is_sorted(grants.begin(), grants.end()));
    all.insert(all.end(), grants.begin(), grants.end());
  }
  std::sort(all.begin(), all.end());
  return all;
}

RateLimitOptions roomy_workspace() {
  // Workspace windows wide enough never to bind, to watch one endpoint rule alone.
  RateLimitOptions options;
  options.per_second = {100'000, seconds(1)};
  options.per_minute = {1'000'000, minutes(1)};
  return options;
}

}  // namespace

TEST_CASE("rate limiter: 8 threads never exceed either window and lose no time") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  SlidingWindows limiter({{100, seconds(1)}, {6'000, minutes(1)}}, clock);

  const auto grants = acquire_concurrently(limiter, 8, 1'000);

  REQUIRE(grants.size() == 8'000);
  CHECK(busiest_window(grants, seconds(1)) <= 100);
  CHECK(busiest_window(grants, minutes(1)) <= 6'000);

  // 100/s means 80 distinct seconds for 8,000 grants, so t0 + 79 s is the
  // earliest possible last grant; 100/s x 60 s also fills the 60 s window
  // exactly, so that window costs nothing extra. Anything later is waste.
  CHECK(ms_after(t0, grants.front()) == 0);
  CHECK(ms_after(t0, grants[5'999]) == ms(seconds(59)));
  CHECK(ms_after(t0, grants[6'000]) == ms(seconds(60)));
  CHECK(ms_after(t0, grants.back()) == ms(seconds(79)));
  CHECK(ms_after(t0, clock->now()) == ms(seconds(79)));
}

TEST_CASE("rate limiter: concurrent callers wait out the longer window when it binds") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  SlidingWindows limiter({{100, seconds(1)}, {1'000, minutes(1)}}, clock);

  const auto grants = acquire_concurrently(limiter, 4, 500);

  REQUIRE(grants.size() == 2'000);
  CHECK(busiest_window(grants, seconds(1)) <= 100);
  CHECK(busiest_window(grants, minutes(1)) <= 1'000);
  // 1,000 in the first 10 s, then nothing until the minute has passed.
  CHECK(ms_after(t0, grants[999]) == ms(seconds(9)));
  CHECK(ms_after(t0, grants[1'000]) == ms(seconds(60)));
  CHECK(ms_after(t0, grants.back()) == ms(seconds(69)));
}

TEST_CASE("rate limiter: the 101st call in a second waits exactly until the window frees") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  SlidingWindows limiter({{100, seconds(1)}, {6'000, minutes(1)}}, clock);

  for (int i = 0; i < 100; ++i) {
    CHECK(ms_after(t0, limiter.acquire()) == 0);
  }
  CHECK(clock->sleep_count() == 0);

  CHECK(ms_after(t0, limiter.acquire()) == ms(seconds(1)));
  const auto sleeps = clock->sleeps();
  REQUIRE(sleeps.size() == 1);
  CHECK(ms_after(t0, sleeps[0]) == ms(seconds(1)));
  CHECK(ms_after(t0, clock->now()) == ms(seconds(1)));
}

TEST_CASE("rate limiter: the window slides with time instead of resetting") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  SlidingWindows limiter({{2, seconds(1)}}, clock);

  CHECK(ms_after(t0, limiter.acquire()) == 0);
  clock->advance(milliseconds(600));
  CHECK(ms_after(t0, limiter.acquire()) == 600);
  // The first grant leaves the window at 1000 ms, the second at 1600 ms.
  CHECK(ms_after(t0, limiter.acquire()) == 1'000);
  CHECK(ms_after(t0, limiter.acquire()) == 1'600);
}

TEST_CASE("rate limiter: reserve never sleeps and never grants before an earlier grant") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  SlidingWindows limiter({{1, seconds(1)}}, clock);

  CHECK(ms_after(t0, limiter.reserve()) == 0);
  CHECK(ms_after(t0, limiter.reserve()) == 1'000);
  CHECK(ms_after(t0, limiter.reserve()) == 2'000);
  CHECK(clock->sleep_count() == 0);
  CHECK(clock->now() == t0);

  // A roomy limiter must still keep its grants in order if the clock it is
  // given ever reports an earlier time than before.
  SlidingWindows roomy({{100, seconds(1)}}, clock);
  clock->set_now(t0 + seconds(5));
  CHECK(ms_after(t0, roomy.reserve()) == 5'000);
  clock->set_now(t0);
  CHECK(ms_after(t0, roomy.reserve()) == 5'000);
}

TEST_CASE("rate limiter: windows that could never grant or never limit are rejected") {
  auto clock = std::make_shared<FakeClock>();
  CHECK_THROWS_AS(SlidingWindows({{0, seconds(1)}}, clock), std::invalid_argument);
  CHECK_THROWS_AS(SlidingWindows({{-5, seconds(1)}}, clock), std::invalid_argument);
  CHECK_THROWS_AS(SlidingWindows({{100, seconds(1)}, {0, minutes(1)}}, clock),
                  std::invalid_argument);
  CHECK_THROWS_AS(SlidingWindows({{10, milliseconds(0)}}, clock), std::invalid_argument);
  CHECK_THROWS_AS(SlidingWindows({{10, seconds(1)}}, nullptr), std::invalid_argument);

  RateLimitOptions disabled_window;
  disabled_window.per_second.count = 0;
  CHECK_THROWS_AS(WorkspaceLimits(disabled_window, clock), std::invalid_argument);
}

TEST_CASE("endpoint limits: GET /api/v2/emails is held to 20 per minute, and only it") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  WorkspaceLimits limits(RateLimitOptions{}, clock);

  for (int i = 0; i < 19; ++i) {
    limits.acquire({"GET", "/api/v2/emails"}, {});
  }
  // The query string does not dodge the rule.
  limits.acquire({"GET", "/api/v2/emails?limit=100&campaign_id=c1"}, {});
  CHECK(ms_after(t0, clock->now()) == 0);

  // With the emails budget spent, other calls still go straight through:
  // other paths, a single email, and another method on the same path.
  for (int i = 0; i < 40; ++i) {
    limits.acquire({"GET", "/api/v2/campaigns"}, {});
  }
  for (int i = 0; i < 25; ++i) {
    limits.acquire({"GET", "/api/v2/emails/abc"}, {});
  }
  for (int i = 0; i < 5; ++i) {
    limits.acquire({"POST", "/api/v2/emails"}, {});
  }
  CHECK(ms_after(t0, clock->now()) == 0);
  CHECK(clock->sleep_count() == 0);

  limits.acquire({"GET", "/api/v2/emails"}, {});
  CHECK(ms_after(t0, clock->now()) == ms(minutes(1)));
}

TEST_CASE("endpoint limits: the DFY domain check enforces 30 per minute and 900 per hour") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  WorkspaceLimits limits(RateLimitOptions{}, clock);
  constexpr std::string_view path = "/api/v2/dfy-email-account-orders/domains/check";

  std::vector<Clock::time_point> granted;
  for (int i = 0; i < 931; ++i) {
    limits.acquire({"POST", path}, {});
    granted.push_back(clock->now());
  }

  CHECK(ms_after(t0, granted[29]) == 0);
  CHECK(ms_after(t0, granted[30]) == ms(minutes(1)));
  CHECK(ms_after(t0, granted[899]) == ms(minutes(29)));
  // The per-minute rule alone would allow call 901 at minute 30.
  CHECK(ms_after(t0, granted[900]) == ms(hours(1)));
  CHECK(ms_after(t0, granted[929]) == ms(hours(1)));
  CHECK(ms_after(t0, granted[930]) == ms(hours(1) + minutes(1)));

  CHECK(busiest_window(granted, minutes(1)) <= 30);
  CHECK(busiest_window(granted, hours(1)) <= 900);
}

TEST_CASE("endpoint limits: each documented rule allows its burst, then waits its window") {
  struct Rule {
    std::string_view method;
    std::string_view path;
    int burst;
    milliseconds wait;
  };
  const Rule rules[] = {
      {"GET", "/api/v2/emails", 20, minutes(1)},
      {"POST", "/api/v2/emails/test", 10, minutes(1)},
      {"POST", "/api/v2/oauth/google/init", 75, minutes(1)},
      {"POST", "/api/v2/oauth/microsoft/init", 75, minutes(1)},
      {"POST", "/api/v2/dfy-email-account-orders/domains/check", 30, minutes(1)},
      {"POST", "/api/v2/lead-labels/ai-reply-label", 500, std::chrono::days(30)},
  };
  CHECK(instantly::documented_endpoint_limits().size() == std::size(rules));

  for (const Rule& rule : rules) {
    CAPTURE(rule.path);
    auto clock = std::make_shared<FakeClock>();
    const auto t0 = clock->now();
    WorkspaceLimits limits(roomy_workspace(), clock);

    for (int i = 0; i < rule.burst; ++i) {
      limits.acquire({rule.method, rule.path}, {});
    }
    CHECK(ms_after(t0, clock->now()) == 0);
    limits.acquire({rule.method, rule.path}, {});
    CHECK(ms_after(t0, clock->now()) == ms(rule.wait));
  }
}

TEST_CASE("endpoint limits: switched off, only the workspace windows apply") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  RateLimitOptions options;
  options.endpoint_limits = false;
  WorkspaceLimits limits(options, clock);

  for (int i = 0; i < 100; ++i) {
    limits.acquire({"GET", "/api/v2/emails"}, {});
  }
  CHECK(ms_after(t0, clock->now()) == 0);
  limits.acquire({"GET", "/api/v2/emails"}, {});
  CHECK(ms_after(t0, clock->now()) == ms(seconds(1)));
}

TEST_CASE("endpoint limits: a delayed call counts against the workspace when it is sent") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  RateLimitOptions options;
  options.per_second = {21, seconds(1)};
  WorkspaceLimits limits(options, clock);

  for (int i = 0; i < 21; ++i) {
    limits.acquire({"GET", "/api/v2/emails"}, {});
  }
  // The 21st emails call goes out at t0 + 60 s, so that is where the workspace
  // must count it: only 20 more calls fit into [t0 + 60 s, t0 + 61 s).
  CHECK(ms_after(t0, clock->now()) == ms(minutes(1)));
  for (int i = 0; i < 20; ++i) {
    limits.acquire({"GET", "/api/v2/campaigns"}, {});
  }
  CHECK(ms_after(t0, clock->now()) == ms(minutes(1)));
  limits.acquire({"GET", "/api/v2/campaigns"}, {});
  CHECK(ms_after(t0, clock->now()) == ms(minutes(1) + seconds(1)));
}

TEST_CASE("rate limit registry: limits are shared per key, workspace and clock") {
  auto clock = std::make_shared<FakeClock>();
  const RateLimitOptions options;

  auto first = shared_workspace_limits("key-a", "", options, clock);
  auto again = shared_workspace_limits("key-a", "", options, clock);
  CHECK(first == again);

  CHECK(shared_workspace_limits("key-b", "", options, clock) != first);
  CHECK(shared_workspace_limits("key-a", "workspace-2", options, clock) != first);
  CHECK(shared_workspace_limits("key-a", "", options, std::make_shared<FakeClock>()) != first);

  RateLimitOptions stricter;
  stricter.per_second = {10, seconds(1)};
  CHECK(shared_workspace_limits("key-a", "", stricter, clock) != first);
}

TEST_CASE("rate limit registry: one tenant's spent budget never delays another") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  const RateLimitOptions options;

  auto busy = shared_workspace_limits("tenant-1", "", options, clock);
  for (int i = 0; i < 20; ++i) {
    busy->acquire({"GET", "/api/v2/emails"}, {});
  }
  auto other = shared_workspace_limits("tenant-2", "", options, clock);
  other->acquire({"GET", "/api/v2/emails"}, {});
  CHECK(ms_after(t0, clock->now()) == 0);

  // A second Client of the first tenant does share its budget.
  shared_workspace_limits("tenant-1", "", options, clock)->acquire({"GET", "/api/v2/emails"}, {});
  CHECK(ms_after(t0, clock->now()) == ms(minutes(1)));
}

TEST_CASE("rate limit registry: once every holder is gone, a fresh budget starts") {
  auto clock = std::make_shared<FakeClock>();
  const auto t0 = clock->now();
  const RateLimitOptions options;

  auto held = shared_workspace_limits("key-fresh", "ws", options, clock);
  for (int i = 0; i < 20; ++i) {
    held->acquire({"GET", "/api/v2/emails"}, {});
  }
  std::weak_ptr<WorkspaceLimits> old = held;
  held.reset();
  CHECK(old.expired());

  auto fresh = shared_workspace_limits("key-fresh", "ws", options, clock);
  REQUIRE(fresh != nullptr);
  // The old budget is spent; a fresh one lets 20 more through at once.
  for (int i = 0; i < 20; ++i) {
    fresh->acquire({"GET", "/api/v2/emails"}, {});
  }
  CHECK(ms_after(t0, clock->now()) == 0);
  CHECK(shared_workspace_limits("key-fresh", "ws", options, clock) == fresh);
}
