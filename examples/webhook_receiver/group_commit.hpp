// Group commit: handler threads hand their event to one writer thread and
// wait; the writer stores everything queued so far in one transaction and
// wakes each handler only after COMMIT has returned. One fsync then
// acknowledges a whole batch, and no handler answers 2xx before its event is
// durable.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "receiver_store.hpp"

namespace webhook_receiver {

class GroupCommitter {
 public:
  /// `on_commit` runs on the writer thread after each successful commit (the worker's wake-up).
  GroupCommitter(ReceiverStore& store, std::function<void()> on_commit);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  /// Blocks until the event is durable: true when it was new, false when its
  /// dedupe key was already stored. Throws std::runtime_error when the batch
  /// could not be committed (nothing of it is stored) or the committer has stopped.
  bool store(const NewEvent& event);

  /// Commits what is queued, then ends the writer thread. Later store() calls throw.
  void stop();

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t events = 0;
    std::size_t largest_batch = 0;
    std::size_t waiting = 0;  ///< deliveries handed in and not yet committed (queued or in the open batch)
  };
  Stats stats() const;

 private:
  struct Ticket {
    const NewEvent* event;
    bool done = false;
    bool inserted = false;
    const char* error = nullptr;  // static text; set when the batch failed
  };

  void run();
  void commit(const std::vector<Ticket*>& batch);

  ReceiverStore& store_;
  std::function<void()> on_commit_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::condition_variable committed_;
  std::vector<Ticket*> queue_;
  std::size_t committing_ = 0;  // the size of the batch in the open transaction
  bool stopping_ = false;
  Stats stats_;
  std::thread writer_;
};

}  // namespace webhook_receiver
