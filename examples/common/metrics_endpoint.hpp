// GET /metrics (and /healthz) on a small HTTP server of its own, for the
// examples that have no server otherwise (analytics_sync, account_health):
// what Prometheus scrapes while they run. Needs cpp-httplib.
#pragma once

#include <httplib.h>

#include <functional>
#include <string>
#include <thread>

namespace examples {

class MetricsEndpoint {
 public:
  /// Listens on host:port (0: a free port) and serves `render()` at /metrics.
  /// Throws std::runtime_error when it cannot listen.
  MetricsEndpoint(const std::string& host, int port, std::function<std::string()> render);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  /// "http://127.0.0.1:PORT/metrics"
  std::string url() const;

 private:
  httplib::Server server_;
  std::string host_;
  int port_ = -1;
  std::thread listener_;
};

}  // namespace examples
