// The HTTP side on cpp-httplib: POST /webhook/instantly, and for operators
// GET /healthz (alive, with counts), /readyz (can take deliveries now) and
// /metrics (Prometheus text).
//
// A delivery is verified (401, nothing kept), appended to the spool and
// answered 200 once the spool's fdatasync returned (docs/nothing-lost.md); the
// forwarder stores it later, parsing and deduplicating there. A body that
// verifies but does not parse is acknowledged too and kept raw. A full spool
// answers 503 (Instantly retries). Each step is reported to Monitoring.
#pragma once

#include <instantly/webhooks.hpp>
#include <instantly/webhooks/spool.hpp>

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engagement_worker.hpp"
#include "forwarder.hpp"
#include "monitoring.hpp"
#include "options.hpp"
#include "receiver_store.hpp"

namespace webhook_receiver {

class ReceiverServer {
 public:
  ReceiverServer(const Options& options, const instantly::webhooks::SecretHeaderVerifier& verifier,
                 instantly::webhooks::Spool& spool, const Forwarder& forwarder, EngagementWorker& worker,
                 ReceiverStore& store, const Monitoring& monitoring);
  ~ReceiverServer();
  ReceiverServer(const ReceiverServer&) = delete;
  ReceiverServer& operator=(const ReceiverServer&) = delete;

  /// Binds and starts serving; returns the port. Throws std::runtime_error when it cannot bind.
  int start();
  /// Stops accepting connections and returns once every request in flight has been answered.
  void stop();
  std::string url() const;

 private:
  void receive(const httplib::Request& request, httplib::Response& response);
  void health(httplib::Response& response);
  void readiness(httplib::Response& response);
  void metrics(httplib::Response& response);
  /// What /readyz answers; `reasons` says what is wrong when not ready.
  ReceiverState state(std::vector<std::string>& reasons);
  /// Says so once each time the spool passes 80% of its bound.
  void watch_spool_fill();

  const Options& options_;
  const instantly::webhooks::SecretHeaderVerifier& verifier_;
  instantly::webhooks::Spool& spool_;
  const Forwarder& forwarder_;
  EngagementWorker& worker_;
  ReceiverStore& store_;
  const Monitoring& monitoring_;
  httplib::Server server_;
  std::thread listener_;
  int port_ = -1;

  std::mutex random_mutex_;
  std::mt19937_64 random_;
  std::atomic<bool> spool_nearly_full_{false};

  struct Counters {
    std::atomic<std::uint64_t> accepted{0}, unauthorized{0}, too_large{0}, spool_full{0}, not_spooled{0},
        injected_failures{0}, lost_acks{0};
  } counters_;
};

}  // namespace webhook_receiver
