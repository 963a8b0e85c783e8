// The worker: folds stored events into the engagement, off the request path,
// one batch per transaction (ReceiverStore::apply_pending). A crash loses
// nothing: the batch either committed whole or is applied again on restart
// (or, on a shared PostgreSQL store, by another receiver's worker).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

#include "receiver_store.hpp"

namespace webhook_receiver {

class EngagementWorker {
 public:
  explicit EngagementWorker(ReceiverStore& store, std::size_t batch_size = 256);
  ~EngagementWorker();
  EngagementWorker(const EngagementWorker&) = delete;
  EngagementWorker& operator=(const EngagementWorker&) = delete;

  /// New events were committed: look for them now rather than at the next poll.
  void notify();
  /// Applies what is still pending, then ends the thread.
  void stop();

  std::uint64_t applied() const;

 private:
  void run();

  ReceiverStore& store_;
  std::size_t batch_size_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
  std::uint64_t applied_ = 0;
  std::thread thread_;
};

}  // namespace webhook_receiver
