#include "forwarder.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <utility>
#include <variant>
#include <vector>

#include "delivery_parse.hpp"

namespace webhook_receiver {
namespace {

constexpr std::size_t kBatch = 500;  // deliveries per transaction
constexpr auto kPoll = std::chrono::seconds(1);
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kLongestBackoff = std::chrono::milliseconds(5000);

}  // namespace

Forwarder::Forwarder(instantly::webhooks::Spool& spool, ReceiverStore& store, const Monitoring& monitoring,
                     std::function<void()> on_stored)
    : spool_(spool), store_(store), monitoring_(monitoring), on_stored_(std::move(on_stored)) {}

Forwarder::~Forwarder() { stop(); }

void Forwarder::start() { thread_ = std::thread([this] { run(); }); }

void Forwarder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t Forwarder::forward_once(std::chrono::milliseconds wait) {
  const instantly::webhooks::SpoolBatch batch = spool_.read(kBatch, wait);
  if (batch.deliveries.empty()) return 0;
  std::vector<NewEvent> events;
  std::vector<UnparsedDelivery> unparsed;
  for (const auto& delivery : batch.deliveries) {
    auto parsed = parse_delivery(delivery.body, delivery.received_at);
    if (auto* event = std::get_if<NewEvent>(&parsed)) {
      events.push_back(std::move(*event));
    } else {
      unparsed.push_back(std::move(std::get<UnparsedDelivery>(parsed)));
    }
  }
  StoreResult result;
  try {
    result = store_.store(events, unparsed);
  } catch (...) {
    spool_.rewind();  // the next read() hands the same deliveries out again
    throw;
  }
  // Counted before the cursor moves: /healthz must never show an empty spool whose last
  // batch is in no count yet. Unparsed deliveries count one each, as events do (a
  // redelivered body is one row, and two deliveries).
  for (const bool inserted : result.inserted) {
    ++(inserted ? stored_ : duplicates_);
    monitoring_.delivery(inserted ? "delivery_stored" : "delivery_duplicate");
  }
  unparsed_ += unparsed.size();
  for (std::size_t i = 0; i < unparsed.size(); ++i) monitoring_.delivery("delivery_unparsed");
  spool_.commit(batch.end);
  if (on_stored_) on_stored_();
  return batch.deliveries.size();
}

std::uint64_t Forwarder::drain() {
  std::uint64_t moved = 0;
  for (std::size_t n = forward_once(std::chrono::milliseconds(0)); n > 0; n = forward_once(std::chrono::milliseconds(0))) {
    moved += n;
  }
  return moved;
}

void Forwarder::run() {
  auto backoff = kFirstBackoff;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    try {
      forward_once(kPoll);
      if (!reachable_.exchange(true)) {
        std::cerr << "webhook_receiver: the store takes deliveries again; the spool drains" << std::endl;
      }
      backoff = kFirstBackoff;
    } catch (const std::exception& e) {
      if (reachable_.exchange(false)) {
        // Once per outage: deliveries are still acknowledged, from the spool.
        std::cerr << "webhook_receiver: forwarding from the spool failed (" << e.what()
                  << "); deliveries are still acknowledged, stay in the spool and are retried" << std::endl;
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, backoff, [this] { return stopping_; });
      backoff = std::min(backoff * 2, kLongestBackoff);
    }
  }
}

Forwarder::Counts Forwarder::counts() const { return {stored_.load(), duplicates_.load(), unparsed_.load()}; }

}  // namespace webhook_receiver
