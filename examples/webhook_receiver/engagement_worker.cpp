#include "engagement_worker.hpp"

#include <chrono>
#include <iostream>

namespace webhook_receiver {

EngagementWorker::EngagementWorker(ReceiverStore& store, std::size_t batch_size)
    : store_(store), batch_size_(batch_size), thread_([this] { run(); }) {}

EngagementWorker::~EngagementWorker() { stop(); }

void EngagementWorker::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_one();
}

void EngagementWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t EngagementWorker::applied() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

void EngagementWorker::run() {
  constexpr int kRetriesWhileStopping = 5;
  constexpr auto kRetryPause = std::chrono::milliseconds(200);
  int failures_while_stopping = 0;
  for (;;) {
    std::size_t done = 0;
    bool failed = false;
    try {
      done = store_.apply_pending(batch_size_);
    } catch (const std::exception& e) {
      std::cerr << "webhook_receiver: applying events failed (will retry): " << e.what() << "\n";
      failed = true;
    }
    std::unique_lock lock(mutex_);
    applied_ += done;
    if (failed) {
      // A failed batch (a deadlock victim, a dropped connection) rolled back whole and is retried
      // after a pause. On the way out only a few times, so a database that is gone cannot hold the
      // stop forever: what is left stays stored, unapplied, and the next worker to run folds it.
      if (stopping_ && ++failures_while_stopping > kRetriesWhileStopping) return;
      wake_.wait_for(lock, kRetryPause);
      continue;
    }
    if (done == batch_size_) continue;  // probably more waiting
    if (stopping_ && done == 0) return;
    if (done > 0) continue;
    // Idle: wait for the committer's nudge; poll now and then for events left by an earlier run.
    wake_.wait_for(lock, std::chrono::seconds(1), [&] { return notified_ || stopping_; });
    notified_ = false;
  }
}

}  // namespace webhook_receiver
