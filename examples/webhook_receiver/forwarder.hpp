// The forwarder: moves spooled deliveries into the store, in arrival order, in
// batches of one transaction each, and only then moves the spool's cursor. A
// store that fails leaves the batch in the spool: it is tried again with
// backoff, and the receiver goes on acknowledging from the spool meanwhile.
#pragma once

#include <instantly/webhooks/spool.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "monitoring.hpp"
#include "receiver_store.hpp"

namespace webhook_receiver {

class Forwarder {
 public:
  /// `on_stored` runs after each batch is stored (the engagement worker's wake-up).
  Forwarder(instantly::webhooks::Spool& spool, ReceiverStore& store, const Monitoring& monitoring,
            std::function<void()> on_stored);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  /// Forwards on a thread of its own until stop().
  void start();
  /// Ends the thread after the batch in hand (what is left stays in the spool).
  void stop();

  /// On the caller's thread: forwards until the spool is empty; returns how
  /// many deliveries it moved. Throws what the store throws (the batch stays spooled).
  std::uint64_t drain();

  struct Counts {
    std::uint64_t stored = 0;      ///< events new to the store
    std::uint64_t duplicates = 0;  ///< events whose dedupe key was stored already
    std::uint64_t unparsed = 0;    ///< deliveries that did not parse (kept once per body)
  };
  Counts counts() const;
  /// False while the store refuses batches (from the first failure to the next success).
  bool store_reachable() const noexcept { return reachable_.load(); }

 private:
  /// Reads one batch (waiting up to `wait`) and stores it; returns how many deliveries it moved.
  std::size_t forward_once(std::chrono::milliseconds wait);
  void run();

  instantly::webhooks::Spool& spool_;
  ReceiverStore& store_;
  const Monitoring& monitoring_;
  std::function<void()> on_stored_;

  std::atomic<std::uint64_t> stored_{0}, duplicates_{0}, unparsed_{0};
  std::atomic<bool> reachable_{true};

  std::mutex mutex_;
  std::condition_variable wake_;  // cuts a backoff short at stop()
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace webhook_receiver
