// Load on examples/webhook_receiver from a second process, over loopback,
// against a baseline run in this same process: a bare cpp-httplib server with
// the receiver's HTTP settings that answers 200 at once (no verify, no parse,
// no SQLite). The ratios show what verifying, parsing and a durable group
// commit cost per event.
//
//   1. closed loop: C keep-alive connections (one thread and one
//      httplib::Client each) POST distinct ~0.8 KiB events back to back for
//      D seconds: events/s and ack latency (send → 200);
//   2. open loop (--rate R, default 2000, 0 skips it): events offered at a
//      fixed rate on K connections; latency counts from the moment a request
//      was due, so a server that falls behind shows it (no coordinated omission).
//
// Then the receiver gets SIGTERM and the events table is counted with the
// SQLite C API: every acknowledged event must be stored. Goal (issue): 2,000
// events/s with p99 < 20 ms, durable, on 2 cores.
//
//   bench/webhook_receiver_load [--seconds D=5] [--connections C=8] [--rate R=2000]
//       [--open-connections K=16] [--receiver PATH] [--receiver-threads N]
//
// K defaults to the receiver's 16 HTTP threads: cpp-httplib holds a thread per
// keep-alive connection, so more connections than threads would only queue.
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const char* const kHeader = "X-Webhook-Secret";
const char* const kSecret = "bench-secret-0123456789abcdefghijklmnopqrstuv";
const char* const kPath = "/webhook/instantly";
std::atomic<long long> g_sequence{0};  // makes every event distinct across all runs

/// A realistic reply_received payload (~0.8 KiB) whose lead_email and
/// timestamp are unique, so no two events share a dedupe key.
std::string event_body(long long n) {
  std::time_t seconds = 1714550400 + n / 1000;  // 2024-05-01, one event per ms
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  char body[1536];
  int length = std::snprintf(
      body, sizeof body,
      R"({"timestamp":"%s.%03lldZ","event_type":"reply_received","workspace":"3f1b2c4d-9a8e-4f70-b1c2-5d6e7f809a1b",)"
      R"("campaign_id":"0b6e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b","campaign_name":"Austin dentists - May outreach",)"
      R"("lead_email":"owner%lld@business%lld.example.com","email_account":"alex@outreach-mail.example.net",)"
      R"("unibox_url":"https://app.instantly.ai/app/unibox?thread_search=owner%lld","step":2,"variant":1,)"
      R"("is_first":true,"email_id":"0190f7a2-%012lld","reply_subject":"Re: Quick question about your reviews",)"
      R"("reply_text_snippet":"Thanks for reaching out - we are interested, can you send pricing and a few)"
      R"( times that work next week? We have two locations in Austin.","firstName":"Jordan","lastName":"Reyes",)"
      R"("companyName":"Bright Smile Dental %lld","website":"https://brightsmile%lld.example.com","phone":"+1 512 555 0100",)"
      R"("personalization":"Loved your 4.8-star reviews on Google","city":"Austin","state":"TX"})",
      stamp, n % 1000, n, n, n, n, n, n);
  return std::string(body, static_cast<std::size_t>(length));
}

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

struct RunResult {
  long long ok = 0, errors = 0;
  double seconds = 0;
  Percentiles latency_ms;
  double rate() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

Percentiles percentiles(std::vector<double>& ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
  return {at(0.50), at(0.90), at(0.99), ms.back()};
}

/// Closed loop when `rate` is 0 (each connection sends its next event when the
/// previous one is answered), else open loop: event j of the run is due at
/// start + j/rate, connection t sends j = t, t+K, t+2K, ...
RunResult run_load(int port, int connections, double seconds, double rate) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
  std::atomic<long long> ok{0}, errors{0};
  const auto start = Clock::now() + std::chrono::milliseconds(20);  // let every thread get ready
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  std::atomic<Clock::rep> last_answer{start.time_since_epoch().count()};
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30, 0);
      const httplib::Headers headers = {{kHeader, kSecret}};
      auto& mine = latencies[static_cast<std::size_t>(t)];
      std::this_thread::sleep_until(start);
      for (long long i = 0;; ++i) {
        auto due = Clock::now();
        if (rate > 0) {
          due = start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(static_cast<double>(i * connections + t) / rate));
          if (due >= deadline) break;
          std::this_thread::sleep_until(due);
        } else if (due >= deadline) {
          break;
        }
        std::string body = event_body(g_sequence++);
        auto result = client.Post(kPath, headers, body, "application/json");
        auto answered = Clock::now();
        if (result && result->status == 200) {
          ++ok;
          mine.push_back(std::chrono::duration<double, std::milli>(answered - due).count());
        } else {
          ++errors;
        }
        Clock::rep seen = last_answer.load();
        while (seen < answered.time_since_epoch().count() &&
               !last_answer.compare_exchange_weak(seen, answered.time_since_epoch().count())) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  RunResult result;
  result.ok = ok;
  result.errors = errors;
  result.seconds = std::chrono::duration<double>(Clock::duration(last_answer.load()) - start.time_since_epoch()).count();
  result.latency_ms = percentiles(all);
  return result;
}

void print_run(const char* name, const RunResult& r) {
  std::printf("  %-9s %8.0f ev/s  p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f ms  errors %lld\n", name, r.rate(),
              r.latency_ms.p50, r.latency_ms.p90, r.latency_ms.p99, r.latency_ms.max, r.errors);
}

void print_ratio(const RunResult& receiver, const RunResult& baseline) {
  std::printf("  receiver/baseline: throughput %.2f, p99 %.1fx\n", receiver.rate() / baseline.rate(),
              receiver.latency_ms.p99 / std::max(baseline.latency_ms.p99, 1e-3));
}

/// The receiver as a child process; its first stdout line names the port.
struct Receiver {
  pid_t pid = -1;
  int port = 0;
  FILE* out = nullptr;

  Receiver(const std::string& binary, const fs::path& db, const std::string& threads) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    std::string log = db.string() + ".stderr";  // a file: a chatty receiver never blocks on a pipe
    std::vector<std::string> args = {binary, "--port", "0", "--db", db.string(), "--secret-header", kHeader,
                                     "--secret", kSecret};
    if (!threads.empty()) args.insert(args.end(), {"--threads", threads});
    pid = fork();
    if (pid == 0) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);  // async-signal-safe, unlike fopen
      if (err >= 0) dup2(err, STDERR_FILENO);
      close(pipe_fds[0]);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    out = fdopen(pipe_fds[0], "r");
    char line[256] = {};
    const char* prefix = "listening on http://127.0.0.1:";
    if (!std::fgets(line, sizeof line, out) || std::strncmp(line, prefix, std::strlen(prefix)) != 0) {
      stop();
      throw std::runtime_error("receiver did not start (see " + log + "): " + line);
    }
    port = std::atoi(line + std::strlen(prefix));
  }
  /// SIGTERM, then wait (it answers what is in flight and closes the database); exit status.
  int stop() {
    if (pid <= 0) return 0;
    kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 300 && waitpid(pid, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (i == 299) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
      }
    }
    pid = -1;
    if (out) std::fclose(out);
    out = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  ~Receiver() { stop(); }
};

long long count_events(const fs::path& db) {
  sqlite3* handle = nullptr;
  long long rows = -1;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* query = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT count(*) FROM events", -1, &query, nullptr) == SQLITE_OK &&
        sqlite3_step(query) == SQLITE_ROW) {
      rows = sqlite3_column_int64(query, 0);
    }
    sqlite3_finalize(query);
  }
  sqlite3_close(handle);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5, rate = 2000;
  int connections = 8, open_connections = 16;
  std::string receiver_path = (fs::read_symlink("/proc/self/exe").parent_path() / "../examples/webhook_receiver").string();
  std::string receiver_threads;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (!value) {
      std::fprintf(stderr, "usage: see the header of bench/webhook_receiver_load.cpp\n");
      return 2;
    }
    ++i;
    if (arg == "--seconds") seconds = std::atof(value);
    else if (arg == "--connections") connections = std::max(1, std::atoi(value));
    else if (arg == "--rate") rate = std::atof(value);
    else if (arg == "--open-connections") open_connections = std::max(1, std::atoi(value));
    else if (arg == "--receiver") receiver_path = value;
    else if (arg == "--receiver-threads") receiver_threads = value;
    else {
      std::fprintf(stderr, "unknown option %s\n", arg.c_str());
      return 2;
    }
  }
  if (!fs::exists(receiver_path)) {
    std::fprintf(stderr, "no receiver at %s (build target webhook_receiver or pass --receiver)\n", receiver_path.c_str());
    return 1;
  }

  // Baseline: the receiver's cpp-httplib settings (16 threads, tcp_nodelay,
  // 1 s keep-alive timeout, 1000 requests per connection), no work at all.
  httplib::Server bare;
  int bare_threads = receiver_threads.empty() ? 16 : std::atoi(receiver_threads.c_str());
  bare.new_task_queue = [bare_threads] { return new httplib::ThreadPool(static_cast<std::size_t>(bare_threads)); };
  bare.set_tcp_nodelay(true);
  bare.set_keep_alive_timeout(1);
  bare.set_keep_alive_max_count(1000);
  bare.Post(kPath, [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
  int bare_port = bare.bind_to_any_port("127.0.0.1");
  std::thread bare_thread([&] { bare.listen_after_bind(); });
  while (!bare.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  char dir_template[] = "/tmp/webhook_load.XXXXXX";
  if (!mkdtemp(dir_template)) return 1;
  fs::path dir = dir_template, db = dir / "events.sqlite";
  int exit_code = 0;
  try {
    Receiver receiver(receiver_path, db, receiver_threads);
    std::printf("webhook_receiver load (%.1f s per run, %d cores, receiver pid %d, db %s)\n", seconds,
                static_cast<int>(std::thread::hardware_concurrency()), static_cast<int>(receiver.pid), db.c_str());

    std::printf("closed loop, %d keep-alive connections, ~%zu-byte events:\n", connections, event_body(0).size());
    RunResult base_closed = run_load(bare_port, connections, seconds, 0);
    RunResult recv_closed = run_load(receiver.port, connections, seconds, 0);
    print_run("baseline", base_closed);
    print_run("receiver", recv_closed);
    print_ratio(recv_closed, base_closed);
    long long acknowledged = recv_closed.ok;

    bool target_met = false;
    if (rate > 0) {
      std::printf("open loop, %.0f ev/s offered on %d connections (latency from when each event was due):\n", rate,
                  open_connections);
      RunResult base_open = run_load(bare_port, open_connections, seconds, rate);
      RunResult recv_open = run_load(receiver.port, open_connections, seconds, rate);
      print_run("baseline", base_open);
      print_run("receiver", recv_open);
      print_ratio(recv_open, base_open);
      acknowledged += recv_open.ok;
      // Met: kept up with the offered rate (within 2 %), p99 under 20 ms, no errors.
      target_met = rate >= 2000 && recv_open.rate() >= 0.98 * rate && recv_open.latency_ms.p99 < 20 &&
                   recv_open.errors == 0;
    }

    int status = receiver.stop();
    long long stored = count_events(db);
    std::printf("durability: receiver exit %d after SIGTERM; acknowledged %lld, stored %lld%s\n", status, acknowledged,
                stored, stored >= acknowledged ? "" : "  LOST EVENTS");
    std::printf("target 2000 ev/s p99<20ms: %s\n",
                rate < 2000 ? "not measured (--rate below 2000)"
                            : (target_met && stored >= acknowledged ? "met" : "not met"));
    if (stored < acknowledged) exit_code = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "webhook_receiver_load: %s\n", e.what());
    exit_code = 1;
  }
  bare.stop();
  bare_thread.join();
  std::error_code ignored;
  if (exit_code == 0) fs::remove_all(dir, ignored);
  return exit_code;
}
