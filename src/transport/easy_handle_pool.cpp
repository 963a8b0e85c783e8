#include "transport/easy_handle_pool.hpp"

#include <utility>

namespace instantly::detail {

EasyHandlePool::EasyHandlePool(CURLSH* share, std::size_t max_idle)
    : share_(share), max_idle_(max_idle) {}

EasyHandlePool::Lease EasyHandlePool::take() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(handle));
    }
  }
  // Created outside the lock: a slow allocation must not stall other callers.
  return Lease(*this, std::make_unique<EasyHandle>(share_));
}

void EasyHandlePool::give_back(std::unique_ptr<EasyHandle> handle) noexcept {
  if (!handle) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() >= max_idle_) return;  // the handle dies with its connection, outside the lock
  try {
    idle_.push_back(std::move(handle));
  } catch (...) {
    // Out of memory: dropping the handle only costs a future reconnect.
  }
}

}  // namespace instantly::detail
