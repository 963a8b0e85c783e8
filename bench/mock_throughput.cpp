// How fast instantly-mock answers, against a bare cpp-httplib server run in
// the same process as the baseline (the ceiling the mock is built on):
//
//   1. small requests/s: keep-alive clients hammering GET /api/v2/campaigns?limit=1
//      (the mock does auth, routing, validation, state and JSON; the baseline
//      answers a constant string);
//   2. POST /api/v2/leads/add with 1,000 leads: wall time per call (the mock
//      validates, de-duplicates and stores every lead; the baseline parses the
//      JSON and answers `{}`).
//
// Goals (issue 4): >= 10,000 small requests/s on 2 cores; /leads/add of 1,000
// leads in <= 20 ms. The ratios show what the mock's own work costs.
//
//   bench/mock_throughput [seconds-per-run=3] [client-threads=4]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "instantly/json.hpp"
#include "mock_server.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using instantly::Json;

const httplib::Headers kHeaders = {{"Authorization", "Bearer bench-key"}, {"User-Agent", "instantly-bench/1"}};

double requests_per_second(int port, const std::string& path, int threads, double seconds) {
  std::atomic<long long> done{0};
  std::atomic<long long> failed{0};
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> workers;
  auto started = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      long long mine = 0;
      while (Clock::now() < deadline) {
        auto result = client.Get(path, kHeaders);
        if (result && result->status == 200) ++mine;
        else ++failed;
      }
      done += mine;
    });
  }
  for (auto& worker : workers) worker.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  if (failed > 0) std::fprintf(stderr, "  (%lld failed requests)\n", failed.load());
  return static_cast<double>(done.load()) / elapsed;
}

std::string lead_batch(const std::string& campaign_id, int batch, int size) {
  Json leads = Json::array();
  for (int i = 0; i < size; ++i) {
    std::string n = std::to_string(batch) + "-" + std::to_string(i);
    leads.push_back(Json::object({{"email", "owner" + n + "@business" + n + ".example.com"},
                                  {"first_name", "Business " + n},
                                  {"last_name", "Team"},
                                  {"company_name", "Business " + n},
                                  {"custom_variables", Json::object({{"icebreaker", "Loved your reviews, " + n},
                                                                     {"business_city", "Austin"},
                                                                     {"business_rating", "4.7"}})}}));
  }
  return Json::object({{"campaign_id", campaign_id}, {"leads", std::move(leads)}}).dump();
}

/// Median wall time of `runs` POSTs of 1,000-lead batches (each batch new emails).
double median_leads_add_ms(int port, const std::string& campaign_id, int runs) {
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(30, 0);
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    std::string body = lead_batch(campaign_id, run, 1000);
    auto started = Clock::now();
    auto result = client.Post("/api/v2/leads/add", kHeaders, body, "application/json");
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    if (!result || result->status != 200) {
      std::fprintf(stderr, "  /leads/add failed: %d %s\n", result ? result->status : 0,
                   result ? result->body.substr(0, 200).c_str() : "no response");
    }
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  int threads = argc > 2 ? std::atoi(argv[2]) : 4;

  // Baseline: cpp-httplib with the same pool size and keep-alive settings, no work.
  httplib::Server bare;
  bare.new_task_queue = [] { return new httplib::ThreadPool(32); };
  bare.set_keep_alive_max_count(100000);
  bare.set_tcp_nodelay(true);  // as the mock does
  bare.Get(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"items":[]})", "application/json");
  });
  bare.Post(".*", [](const httplib::Request& req, httplib::Response& res) {
    Json parsed = Json::parse(req.body);  // the least any server does with a body
    res.set_content(parsed.is_object() ? "{}" : "[]", "application/json");
  });
  int bare_port = bare.bind_to_any_port("127.0.0.1");
  std::thread bare_thread([&] { bare.listen_after_bind(); });
  while (!bare.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  instantly::mock::MockOptions options;
  options.port = 0;
  options.rate_limit = false;  // measuring the server, not the API's 100/s
  instantly::mock::MockServer mock(options);
  int mock_port = mock.start();

  httplib::Client setup("127.0.0.1", mock_port);
  Json schedule = Json::parse(R"({"schedules":[{"name":"w","timing":{"from":"09:00","to":"17:00"},
      "days":{"1":true},"timezone":"America/Detroit"}]})");
  auto created = setup.Post("/api/v2/campaigns", kHeaders,
                            Json::object({{"name", "bench"}, {"campaign_schedule", schedule}}).dump(),
                            "application/json");
  if (!created || created->status != 200) {
    std::fprintf(stderr, "cannot create the bench campaign\n");
    return 1;
  }
  std::string campaign_id = Json::parse(created->body).at("id").as_string();

  std::printf("instantly-mock throughput (%d client threads, %.1f s per run, same process)\n", threads, seconds);
  const std::string path = "/api/v2/campaigns?limit=1";
  double base_rps = requests_per_second(bare_port, path, threads, seconds);
  double mock_rps = requests_per_second(mock_port, path, threads, seconds);
  std::printf("  small GET   baseline %9.0f req/s   mock %9.0f req/s   mock/baseline %.2f   goal >= 10000 req/s: %s\n",
              base_rps, mock_rps, mock_rps / base_rps, mock_rps >= 10000 ? "met" : "NOT met");

  double base_ms = median_leads_add_ms(bare_port, campaign_id, 15);
  double mock_ms = median_leads_add_ms(mock_port, campaign_id, 15);
  std::printf("  leads/add   baseline %7.2f ms         mock %7.2f ms         mock/baseline %.2f   goal <= 20 ms: %s\n",
              base_ms, mock_ms, mock_ms / base_ms, mock_ms <= 20 ? "met" : "NOT met");

  mock.stop();
  bare.stop();
  bare_thread.join();
  return 0;
}
