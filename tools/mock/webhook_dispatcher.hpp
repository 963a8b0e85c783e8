// Delivers simulated events to webhook subscriptions, like Instantly does:
// HTTP POST with the JSON payload and the subscription's custom `headers`,
// retried on failure after each of the configured delays, after which the
// subscription is disabled (`status = -1`) until resumed.
//
// enqueue() is called with the state lock held and only queues; a worker
// thread matches subscriptions and delivers without holding the lock while a
// request is on the wire.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock {

class WebhookDispatcher {
 public:
  WebhookDispatcher(State& state, std::vector<int> retry_delays_ms, int timeout_ms);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  /// Queues a payload for every subscription matching its event type.
  void enqueue(Json payload);
  /// Queues a payload for one subscription only (POST /webhooks/{id}/test).
  void enqueue_for(std::string webhook_id, Json payload);
  /// Blocks until nothing is queued, in flight or waiting for a retry, or the
  /// timeout passes; returns whether it went idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  void set_retry_delays(std::vector<int> delays_ms);
  /// Stops the worker; pending deliveries are dropped.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instantly::mock
