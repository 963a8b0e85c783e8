// The hand-off between the thread reading the input and the threads sending
// chunks. Bounded, so a fast reader cannot pull a million leads into memory
// while the senders wait on the network.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "workflows/lead_import_chunk.hpp"

namespace instantly::workflows::detail {

class ChunkQueue {
 public:
  explicit ChunkQueue(std::size_t capacity) : capacity_(capacity) {}

  /// Blocks while the queue is full.
  void push(ChunkJob job) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return jobs_.size() < capacity_ || closed_; });
    jobs_.push_back(std::move(job));
    not_empty_.notify_one();
  }

  /// The next job, or nothing once the queue is closed and drained.
  std::optional<ChunkJob> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return !jobs_.empty() || closed_; });
    if (jobs_.empty()) return std::nullopt;
    ChunkJob job = std::move(jobs_.front());
    jobs_.pop_front();
    not_full_.notify_one();
    return job;
  }

  /// No more jobs will come; waiting consumers drain what is left and stop.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<ChunkJob> jobs_;
  std::size_t capacity_;
  bool closed_ = false;
};

}  // namespace instantly::workflows::detail
