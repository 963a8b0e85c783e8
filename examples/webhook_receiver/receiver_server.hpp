// The HTTP side on cpp-httplib: POST /webhook/instantly, and for operators
// GET /healthz (alive, with counts), /readyz (can take deliveries now) and
// /metrics (Prometheus text).
//
// A delivery is verified (401, nothing stored), parsed (400), handed to the
// group committer and answered 200 only once its transaction has committed
// (503 when it could not be stored). Duplicates are answered 200 too: the
// event is stored, which is all Instantly needs to hear. Each step is
// reported to Monitoring (log lines, metrics).
#pragma once

#include <instantly/webhooks.hpp>

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engagement_worker.hpp"
#include "monitoring.hpp"
#include "receiver_store.hpp"
#include "group_commit.hpp"
#include "options.hpp"

namespace webhook_receiver {

class ReceiverServer {
 public:
  ReceiverServer(const Options& options, const instantly::webhooks::SecretHeaderVerifier& verifier,
                 GroupCommitter& committer, EngagementWorker& worker, ReceiverStore& store,
                 const Monitoring& monitoring);
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

  const Options& options_;
  const instantly::webhooks::SecretHeaderVerifier& verifier_;
  GroupCommitter& committer_;
  EngagementWorker& worker_;
  ReceiverStore& store_;
  const Monitoring& monitoring_;
  httplib::Server server_;
  std::thread listener_;
  int port_ = -1;

  std::mutex random_mutex_;
  std::mt19937_64 random_;

  struct Counters {
    std::atomic<std::uint64_t> stored{0}, duplicates{0}, unauthorized{0}, malformed{0}, failed{0},
        injected_failures{0}, lost_acks{0};
  } counters_;
};

}  // namespace webhook_receiver
