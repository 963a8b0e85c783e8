// What the observer seam (ClientOptions::observer, instantly/observer.hpp) costs a call:
//   unobserved   no observer, no logger: the seam is a null pointer check per event
//   observed     an observer that counts events (the cost of building and delivering them)
//   log, off     a logger that wants nothing: events are built, no line is
// Two workloads, each in paired rounds that alternate which side goes first (see
// bench/validation_cost.cpp for why the median of per-round ratios):
//   in memory    campaigns().get against a transport that answers at once: nothing hides the
//                client's own CPU time, so this is where a cost would show
//   mock         the same against an in-process instantly-mock on 127.0.0.1 (a real round trip)
//
//   observer_cost [rounds]      (default 30)
//
// Prints the median time per call of each side and the ratio to the unobserved client. The
// claim (issue #21): unobserved is the same code as before plus a pointer check, so
// "unobserved vs unobserved" and "unobserved vs observed" both read about 1.00 over the network.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "mock_server.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kCampaignAnswer[] =
    R"({"id":"c-1","name":"Cafes LA","status":0,"timestamp_created":"2026-01-01T00:00:00Z",)"
    R"("timestamp_updated":"2026-01-01T00:00:00Z","campaign_schedule":{"schedules":[{"name":"Weekdays",)"
    R"("timing":{"from":"09:00","to":"17:00"},"days":{"1":true},"timezone":"America/Detroit"}]}})";

class InstantTransport final : public instantly::Transport {
 public:
  instantly::HttpResponse send(const instantly::HttpRequest&) override {
    instantly::HttpHeaders headers;
    headers.set("Content-Type", "application/json");
    return {200, std::move(headers), kCampaignAnswer};
  }
};

class CountingObserver final : public instantly::Observer {
 public:
  void on_attempt(const instantly::AttemptEvent& event) override {
    bytes_.fetch_add(event.response_bytes, std::memory_order_relaxed);
  }
  std::size_t bytes() const { return bytes_.load(); }

 private:
  std::atomic<std::size_t> bytes_{0};
};

class SilentLogger final : public instantly::Logger {
 public:
  bool enabled(instantly::LogLevel) const noexcept override { return false; }
  void log(instantly::LogLevel, std::string_view, std::span<const instantly::LogField>) override {}
};

double seconds_of(const std::function<void()>& work) {
  const auto started = Clock::now();
  work();
  return std::chrono::duration<double>(Clock::now() - started).count();
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

// Each round runs every side once, the order rotating from round to round.
class PairedSides {
 public:
  PairedSides(const char* workload, std::vector<const char*> sides) : workload_(workload), sides_(std::move(sides)) {
    times_.resize(sides_.size());
    ratios_.resize(sides_.size());
  }

  void round(const std::function<void(std::size_t side)>& work) {
    std::vector<double> took(sides_.size());
    for (std::size_t i = 0; i < sides_.size(); ++i) {
      const std::size_t side = (i + rounds_) % sides_.size();
      took[side] = seconds_of([&] { work(side); });
    }
    ++rounds_;
    for (std::size_t side = 0; side < sides_.size(); ++side) {
      times_[side].push_back(took[side]);
      ratios_[side].push_back(took[side] / took[0]);
    }
  }

  void print(double calls) const {
    for (std::size_t side = 0; side < sides_.size(); ++side) {
      std::printf("%-10s %-12s %9.2f us/call   ratio %.3f  (middle half of rounds: %.3f..%.3f)\n", workload_,
                  sides_[side], quantile(times_[side], 0.5) / calls * 1e6, quantile(ratios_[side], 0.5),
                  quantile(ratios_[side], 0.25), quantile(ratios_[side], 0.75));
    }
  }

 private:
  const char* workload_;
  std::vector<const char*> sides_;
  std::size_t rounds_ = 0;
  std::vector<std::vector<double>> times_, ratios_;
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(2, std::atoi(argv[1])) : 30;
  const std::vector<const char*> side_names{"unobserved", "unobserved", "observed", "log, off"};
  auto observer = std::make_shared<CountingObserver>();
  auto make_clients = [&](const std::string& url, std::shared_ptr<instantly::Transport> transport) {
    std::vector<instantly::Client> clients;
    for (std::size_t side = 0; side < side_names.size(); ++side) {
      instantly::ClientOptions options{.api_key = "bench-key", .base_url = url, .rate_limit = {.enabled = false}};
      options.transport = transport;
      if (side == 2) options.observer = observer;
      if (side == 3) options.logger = std::make_shared<SilentLogger>();
      clients.emplace_back(std::move(options));
    }
    return clients;
  };

  constexpr int kMemoryCalls = 2000;
  const auto memory = make_clients("http://127.0.0.1:1", std::make_shared<InstantTransport>());
  PairedSides in_memory("in memory", side_names);
  for (int round = 0; round < rounds; ++round) {
    in_memory.round([&](std::size_t side) {
      for (int i = 0; i < kMemoryCalls; ++i) (void)memory[side].campaigns().get("c-1");
    });
  }

  instantly::mock::MockServer mock({.port = 0, .rate_limit = false});
  mock.start();
  const auto over_mock = make_clients(mock.url(), nullptr);
  instantly::CampaignCreateParams campaign{.name = "Cafes"};
  instantly::CampaignScheduleEntry weekdays;
  weekdays.name = "Weekdays";
  weekdays.timing.from = "09:00";
  weekdays.timing.to = "17:00";
  weekdays.days.monday = true;
  weekdays.timezone = instantly::Timezone::AmericaDetroit;
  campaign.campaign_schedule.schedules.push_back(weekdays);
  const std::string id = over_mock[0].campaigns().create(campaign).id;
  constexpr int kMockCalls = 200;
  for (const auto& client : over_mock) (void)client.campaigns().get(id);  // warm up connections
  PairedSides through_mock("mock", side_names);
  for (int round = 0; round < rounds; ++round) {
    through_mock.round([&](std::size_t side) {
      for (int i = 0; i < kMockCalls; ++i) (void)over_mock[side].campaigns().get(id);
    });
  }
  mock.stop();

  std::printf("observer seam: median of %d paired rounds, ratio to the first unobserved client\n", rounds);
  in_memory.print(kMemoryCalls);
  through_mock.print(kMockCalls);
  std::printf("(observed: %zu answer bytes counted. Goal: unobserved within noise of 1.00)\n", observer->bytes());
  return 0;
}
