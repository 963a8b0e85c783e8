#include "group_commit.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace webhook_receiver {

GroupCommitter::GroupCommitter(ReceiverStore& store, std::function<void()> on_commit)
    : store_(store), on_commit_(std::move(on_commit)), writer_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() { stop(); }

bool GroupCommitter::store(const NewEvent& event) {
  Ticket ticket{&event};
  std::unique_lock lock(mutex_);
  if (stopping_) throw std::runtime_error("the receiver is shutting down");
  queue_.push_back(&ticket);
  queued_.notify_one();
  committed_.wait(lock, [&] { return ticket.done; });
  if (ticket.error) throw std::runtime_error(ticket.error);
  return ticket.inserted;
}

void GroupCommitter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (writer_.joinable()) writer_.join();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats = stats_;
  stats.waiting = queue_.size() + committing_;
  return stats;
}

void GroupCommitter::run() {
  std::vector<Ticket*> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything handed in is committed
      batch.swap(queue_);
      committing_ = batch.size();
    }
    commit(batch);
    batch.clear();
  }
}

void GroupCommitter::commit(const std::vector<Ticket*>& batch) {
  const char* error = nullptr;
  try {
    std::vector<const NewEvent*> events;
    events.reserve(batch.size());
    for (const Ticket* ticket : batch) events.push_back(ticket->event);
    const std::vector<bool> inserted = store_.store(events);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->inserted = inserted[i];
  } catch (const std::exception& e) {
    std::cerr << "webhook_receiver: storing " << batch.size() << " events failed: " << e.what() << "\n";
    error = "the event could not be stored";
  }
  {
    std::lock_guard lock(mutex_);
    for (Ticket* ticket : batch) {
      ticket->done = true;
      ticket->error = error;
    }
    committing_ = 0;
    if (!error) {
      ++stats_.batches;
      stats_.events += batch.size();
      stats_.largest_batch = std::max(stats_.largest_batch, batch.size());
    }
  }
  committed_.notify_all();
  if (!error && on_commit_) on_commit_();
}

}  // namespace webhook_receiver
