// Delivers simulated events to webhook subscriptions, like Instantly does:
// HTTP POST with the JSON payload and the subscription's custom `headers`,
// retried on failure after each of the configured delays, after which the
// subscription is disabled (`status = -1`) until resumed.
//
// enqueue() is called with the state lock held and only queues; a worker
// thread matches subscriptions and delivers without holding the lock while a
// request is on the wire.
//
// For tests of a receiver that is down: deliveries can be paused (held, not
// sent, not logged) and released; payloads a disabled subscription does not
// get are logged as skipped in the mock's delivery log; and replay() sends
// every payload a subscription missed once more, late.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
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
  /// timeout passes, or deliveries are paused; returns whether it went idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  void set_retry_delays(std::vector<int> delays_ms);

  /// Paused: every delivery (first attempts, retries, tests, replays) waits
  /// in the queue; nothing is sent or logged. Pausing returns once an attempt
  /// already on the wire has ended (and been logged). Unpausing releases the
  /// held deliveries in their order.
  void set_paused(bool paused);
  struct PauseState {
    bool paused = false;
    std::size_t held = 0;  ///< payloads and attempts waiting in the queue
  };
  PauseState pause_state() const;

  /// Queues, for one subscription, one more attempt of every payload whose
  /// delivery to it did not succeed (failed after all retries, skipped while
  /// disabled, or a failed replay), in their original order. A replay is sent
  /// whatever the subscription's status, to its current URL with its current
  /// headers, never retried, and logged in the mock's delivery log only
  /// (`replay: true`). A payload already queued for replay is not queued
  /// twice. Takes the state lock: call without it. Returns how many it queued.
  std::size_t replay(const std::string& webhook_id);
  /// Stops the worker; pending deliveries are dropped.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instantly::mock
