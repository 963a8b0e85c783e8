// A pool of idle easy handles, so connections outlive the call that opened them
// and any thread can pick up a connection another thread left behind.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "transport/easy_handle.hpp"

namespace instantly::detail {

class EasyHandlePool {
 public:
  /// `max_idle` bounds the handles (and so the open connections) kept between calls.
  EasyHandlePool(CURLSH* share, std::size_t max_idle);

  /// Exclusive use of one handle; gives it back to the pool when destroyed.
  class Lease {
   public:
    Lease(EasyHandlePool& pool, std::unique_ptr<EasyHandle> handle) noexcept
        : pool_(&pool), handle_(std::move(handle)) {}
    ~Lease() { pool_->give_back(std::move(handle_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    EasyHandle& operator*() const noexcept { return *handle_; }
    EasyHandle* operator->() const noexcept { return handle_.get(); }

   private:
    EasyHandlePool* pool_;
    std::unique_ptr<EasyHandle> handle_;
  };

  /// The most recently returned handle (its connection is the least likely to
  /// have been closed by the server), or a new one when none is idle.
  Lease take();

 private:
  void give_back(std::unique_ptr<EasyHandle> handle) noexcept;

  CURLSH* share_;
  std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<EasyHandle>> idle_;
};

}  // namespace instantly::detail
