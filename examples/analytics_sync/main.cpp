// analytics_sync: snapshots campaign analytics on an interval into SQLite or PostgreSQL.
//
//   INSTANTLY_API_KEY=... analytics_sync --db analytics.sqlite --interval 300
//   INSTANTLY_API_KEY=... analytics_sync --db analytics.sqlite --once     # from cron
//   INSTANTLY_DATABASE_URL=postgresql://... analytics_sync --organization UUID --once
//
// Each sync asks for every campaign (drafts included) with the fewest calls
// (instantly/workflows/analytics_sync.hpp), appends one row per campaign to
// `campaign_snapshots` in one transaction (snapshot_store.hpp has the schema),
// and prints one line: campaigns, calls, and what changed since the previous
// stored sync — also across restarts, since the baseline is read back from
// the file at start.
//
// --metrics-port PORT serves GET /metrics (Prometheus text: runs by outcome,
// the last successful run's time, the client's requests, retries and waits;
// docs/observability.md) and prints its address on stderr.
//
// SIGINT/SIGTERM: a sync in progress finishes and is stored, then the program
// exits 0. With --once a failed sync exits 1; on an interval it is reported
// and the next sync is tried at the next tick.
//
// Files: options (command line), snapshots (the store seam, open_snapshots),
// snapshot_store (SQLite), postgres_snapshots (the pipeline's PostgreSQL).
#include <instantly/workflows.hpp>
#include <instantly/workflows/analytics_sync.hpp>

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <exception>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "options.hpp"
#include "snapshots.hpp"

#ifdef ANALYTICS_SYNC_HAVE_PROMETHEUS
#include <instantly/prometheus.hpp>

#include "common/metrics_endpoint.hpp"
#endif

namespace {

using instantly::workflows::AnalyticsSync;
using instantly::workflows::CampaignDelta;
using instantly::workflows::AnalyticsSyncResult;

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

/// "2026-03-02T10:00:00Z 12 campaigns, 2 calls: +40 sent, +3 replies, +1 bounced, +0 unsubscribed"
void print_line(const AnalyticsSyncResult& result) {
  std::int64_t sent = 0, replies = 0, bounced = 0, unsubscribed = 0, first_seen = 0;
  for (const CampaignDelta& d : result.deltas) {
    sent += d.counters.emails_sent;
    replies += d.counters.replies_unique;
    bounced += d.counters.bounced;
    unsubscribed += d.counters.unsubscribed;
    first_seen += d.first_seen ? 1 : 0;
  }
  std::cout << utc_now() << " " << result.snapshots.size() << " campaigns (" << first_seen << " new, "
            << result.dropped.size() << " gone), " << result.requests << " calls: " << std::showpos << sent
            << " sent, " << replies << " replies, " << bounced << " bounced, " << unsubscribed << " unsubscribed"
            << std::noshowpos << std::endl;
}

/// Waits up to `seconds` for SIGINT/SIGTERM (blocked everywhere, so they wait
/// here even when they arrived during a sync); true when one came.
bool stop_requested_within(const sigset_t& signals, int seconds) {
  timespec timeout{.tv_sec = seconds, .tv_nsec = 0};
  for (;;) {
    int signal = sigtimedwait(&signals, nullptr, &timeout);
    if (signal > 0) return true;
    if (errno == EAGAIN) return false;  // the interval passed
    // EINTR: another signal interrupted the wait; waiting the whole interval again is fine.
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace analytics_sync;
  Options options;
  try {
    std::string help;
    options = parse_options(argc, argv, help);
    if (!help.empty()) {
      std::cout << help;
      return 0;
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "analytics_sync: " << e.what() << "\n";
    return 2;
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // before any thread starts

  try {
    instantly::ClientOptions client_options;
#ifdef ANALYTICS_SYNC_HAVE_PROMETHEUS
    const auto metrics = std::make_shared<instantly::prometheus::Metrics>();
    std::unique_ptr<examples::MetricsEndpoint> endpoint;
    if (options.metrics_port) {
      client_options.observer = metrics->observer();
      endpoint = std::make_unique<examples::MetricsEndpoint>(options.metrics_host, *options.metrics_port,
                                                             [metrics] { return metrics->text(); });
      std::cerr << "analytics_sync: metrics on " << endpoint->url() << std::endl;
    }
#else
    if (options.metrics_port) throw std::runtime_error("--metrics-port: built without the prometheus component");
#endif
    instantly::Client client = instantly::Client::from_env(std::move(client_options));  // never prints the key
    AnalyticsSync sync(client, {.campaign_ids = options.campaign_ids,
                                .chunk_size = options.chunk_size,
                                .start_date = options.start_date,
                                .end_date = options.end_date});
    std::unique_ptr<Snapshots> store = open_snapshots(options);
    auto baseline = store->latest();
    for (;;) {
      try {
        AnalyticsSyncResult result = sync.sync(baseline);
        store->append(result);
        print_line(result);
        baseline = std::move(result.snapshots);
      } catch (const instantly::Error& e) {
        std::cerr << "analytics_sync: sync failed: " << e.what() << "\n";
        if (options.once) return 1;
      }
      if (options.once || stop_requested_within(stop_signals, options.interval_seconds)) break;
    }
  } catch (const std::exception& e) {
    std::cerr << "analytics_sync: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
