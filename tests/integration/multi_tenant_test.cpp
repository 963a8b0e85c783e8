// Many organisations through one process (docs/multi-tenant.md): each tenant's
// client, built by TenantClients from a sealed key, draws from its own
// rate-limit budget, so one tenant that spends its budget never slows another.
//
// The clients share a clock whose sleeps block until the test opens a gate:
// a call that had to wait for its budget is seen waiting while another
// tenant's call completes, with no real time passing and no timing checks.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "instantly/workflows.hpp"
#include "mock_server.hpp"
#include "support/fake_clock.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace std::chrono_literals;
using namespace instantly;
namespace secrets = instantly::secrets;

mock::MockServer& tenants_mock() {
  mock::MockOptions options;
  options.threads = 8;
  // The clients' own limits are under test; the mock's real-time ones would answer 429s.
  options.rate_limit = false;
  return testing::suite_mock<struct TenantsSuite>(options);
}

/// A fake clock whose sleep_until blocks until open() (then jumps to the deadline).
class GateClock final : public Clock {
 public:
  time_point now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  std::chrono::system_clock::time_point wall_now() override {
    return testing::FakeClock::default_wall_start() + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                          now() - testing::FakeClock::default_start());
  }
  void sleep_until(time_point deadline) override {
    std::unique_lock lock(mutex_);
    ++sleepers_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    --sleepers_;
    if (deadline > now_) now_ = deadline;
  }

  /// Blocks until some thread sleeps (bounded, so a broken test fails instead of hanging).
  bool wait_for_sleeper() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return sleepers_ > 0; });
  }
  int sleepers() {
    std::lock_guard lock(mutex_);
    return sleepers_;
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  time_point now_ = testing::FakeClock::default_start();
  int sleepers_ = 0;
  bool open_ = false;
};

const secrets::KeyRing& ring() {
  static const secrets::KeyRing keys = secrets::KeyRing(secrets::Key::generate("test"));
  return keys;
}

ClientOptions shared_settings(std::shared_ptr<Clock> clock) {
  ClientOptions options;
  options.base_url = tenants_mock().url();
  options.transport = testing::make_local_transport();
  options.clock = std::move(clock);
  return options;
}

/// Each test uses keys of its own: budgets are process-wide per key, workspace and clock.
std::string key_for(const std::string& test, const std::string& tenant) { return "sk-" + test + "-" + tenant; }

/// For the mock's admin routes, outside every tenant's budget.
Client admin_client() {
  ClientOptions options = shared_settings(std::make_shared<testing::FakeClock>());
  options.api_key = "sk-mock-admin";
  return Client(options);
}

void call(const Client& client) { client.request("GET", "/api/v2/campaigns", {.query = {{"limit", "1"}}}); }

}  // namespace

TEST_CASE("multi-tenant: a tenant waiting out its spent budget does not hold up another tenant") {
  auto clock = std::make_shared<GateClock>();
  secrets::TenantClients tenants(ring(), shared_settings(clock));
  tenants.add("acme", secrets::seal(key_for("gate", "acme"), ring()));
  tenants.add("beta", secrets::seal(key_for("gate", "beta"), ring()));
  const Client admin = admin_client();
  admin.request("POST", "/__mock/reset");

  // acme spends its whole per-second budget (100) without waiting...
  const Client acme = tenants.client("acme");
  for (int i = 0; i < 100; ++i) call(acme);
  CHECK(clock->sleepers() == 0);
  CHECK(clock->now() == testing::FakeClock::default_start());

  // ...so its 101st call has to wait for the window to free up.
  std::thread busy([&] { call(acme); });
  REQUIRE(clock->wait_for_sleeper());

  // Meanwhile beta's first call goes straight through, while acme still waits. (On a thread,
  // so that a shared budget would fail the check below instead of hanging the test.)
  auto beta = std::async(std::launch::async, [&] { call(tenants.client("beta")); });
  CHECK(beta.wait_for(10s) == std::future_status::ready);
  CHECK(clock->sleepers() == 1);
  CHECK(clock->now() == testing::FakeClock::default_start());

  clock->open();
  beta.get();
  busy.join();
  // acme's call went out once its window had moved on by a second.
  CHECK(clock->now() == testing::FakeClock::default_start() + 1s);
  const Json stats = admin.request("GET", "/__mock/stats");
  CHECK(stats.at("operations").at("listCampaign").as_int() == 102);
}

TEST_CASE("multi-tenant: one admin key acting as two workspaces has two budgets") {
  auto clock = std::make_shared<testing::FakeClock>();
  secrets::TenantClients tenants(ring(), shared_settings(clock));
  const std::string admin_key = secrets::seal(key_for("workspaces", "admin"), ring());
  tenants.add("north", admin_key, "ws-north");
  tenants.add("south", admin_key, "ws-south");
  const auto start = clock->now();

  for (int i = 0; i < 100; ++i) call(tenants.client("north"));
  call(tenants.client("south"));
  CHECK(clock->sleep_count() == 0);

  call(tenants.client("north"));
  CHECK(clock->sleep_count() == 1);
  CHECK(clock->now() - start == 1s);
}

TEST_CASE("multi-tenant: clients of the same tenant share its budget") {
  auto clock = std::make_shared<testing::FakeClock>();
  // Two registries (two services in one process, say) with the same key.
  secrets::TenantClients first(ring(), shared_settings(clock));
  secrets::TenantClients second(ring(), shared_settings(clock));
  const std::string sealed = secrets::seal(key_for("shared", "acme"), ring());
  first.add("acme", sealed);
  second.add("acme", sealed);

  for (int i = 0; i < 100; ++i) call(first.client("acme"));
  CHECK(clock->sleep_count() == 0);
  call(second.client("acme"));
  CHECK(clock->sleep_count() == 1);
}

TEST_CASE("multi-tenant: tenants loaded from an old app state each get their own client") {
  const secrets::AppState state = secrets::reseal_app_state(
      Json::parse(R"({"organizations": {"acme": {"api_key": "c2stYWNtZS1rZXk=", "workspace_id": "ws-acme"},
                                        "beta": "c2stYmV0YS1rZXk="}})"),
      ring());
  secrets::TenantClients tenants(ring(), shared_settings(std::make_shared<testing::FakeClock>()));
  tenants.add(state);
  CHECK(tenants.organizations() == std::vector<std::string>{"acme", "beta"});
  CHECK(tenants.client("acme").workspace() == std::optional<std::string>("ws-acme"));
  call(tenants.client("acme"));
  call(tenants.client("beta"));
}

#endif  // INSTANTLY_HAVE_MOCK
