#include "engagement_worker.hpp"

#include <instantly/error.hpp>
#include <instantly/webhooks/engagement.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "engagement_table.hpp"

namespace webhook_receiver {

namespace webhooks = instantly::webhooks;

EngagementWorker::EngagementWorker(EventStore& store, std::size_t batch_size)
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
  for (;;) {
    std::size_t done = 0;
    bool failed = false;
    try {
      done = apply_batch();
    } catch (const std::exception& e) {
      std::cerr << "webhook_receiver: applying events failed (will retry): " << e.what() << "\n";
      failed = true;
    }
    std::unique_lock lock(mutex_);
    applied_ += done;
    if (done == batch_size_) continue;  // probably more waiting
    if (stopping_ && (done == 0 || failed)) return;
    if (done > 0) continue;
    // Idle: wait for the committer's nudge; poll now and then for events left by an earlier run.
    wake_.wait_for(lock, std::chrono::seconds(1), [&] { return notified_ || stopping_; });
    notified_ = false;
  }
}

std::size_t EngagementWorker::apply_batch() {
  std::size_t applied = 0;
  store_.write([&](Database& db) {
    for (const PendingEvent& pending : EventStore::pending(db, batch_size_)) {
      std::optional<std::string> error;
      try {
        webhooks::Event event = webhooks::parse_event(pending.body);
        // The fold, one lead at a time: its stored row (or a new one), this event, the row back.
        // Each stored event is applied once: it is marked applied in this same transaction.
        if (webhooks::concerns_a_lead(event)) {
          webhooks::LeadEngagement lead =
              load_lead(db, event.campaign_id, webhooks::lead_key(*event.lead_email)).value_or(webhooks::LeadEngagement{});
          if (webhooks::apply(lead, event)) save_lead(db, lead);
        }
      } catch (const instantly::DecodeError& e) {
        // Every stored body parsed when it arrived; this one was changed since. Keep it, flagged.
        error = e.what();
      }
      EventStore::mark_applied(db, pending.id, error);
      ++applied;
    }
  });
  return applied;
}

}  // namespace webhook_receiver
