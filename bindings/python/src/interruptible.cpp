#include "interruptible.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include <pthread.h>
#include <pythread.h>

namespace instantly_python {
namespace {

std::atomic<unsigned long> main_thread{0};

// Worker threads that wait for jobs and end after a while without one. Never destroyed:
// a worker abandoned by an interrupted call may still be running while the process exits.
class WorkerPool {
 public:
  void submit(std::function<void()> job) {
    std::unique_lock lock(mutex_);
    jobs_.push_back(std::move(job));
    if (idle_ >= jobs_.size()) {  // a waiting worker will take it
      lock.unlock();
      job_added_.notify_one();
      return;
    }
    try {
      std::thread([this] { work(); }).detach();
    } catch (...) {
      jobs_.pop_back();  // still ours: the lock is held
      throw;
    }
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ++idle_;
      const bool got_job = job_added_.wait_for(lock, kIdleTimeout, [this] { return !jobs_.empty(); });
      --idle_;
      if (!got_job) return;
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();  // catches everything itself (call_interruptibly's job does)
      job = nullptr;
      lock.lock();
    }
  }

  static constexpr std::chrono::seconds kIdleTimeout{30};
  std::mutex mutex_;
  std::condition_variable job_added_;
  std::deque<std::function<void()>> jobs_;
  std::size_t idle_ = 0;
};

// Deliberately leaked, see above. Replaced in a forked child, where the parent's workers
// do not exist (the pool would count them as idle and hand them jobs forever).
std::atomic<WorkerPool*> current_pool{nullptr};

WorkerPool& pool() {
  WorkerPool* existing = current_pool.load();
  if (existing != nullptr) return *existing;
  auto* fresh = new WorkerPool;
  if (current_pool.compare_exchange_strong(existing, fresh)) return *fresh;
  delete fresh;  // another thread installed one first
  return *existing;
}

// The child of a fork has one thread, the one that forked, which Python makes its main thread.
void after_fork_in_child() {
  current_pool.store(nullptr);
  main_thread = PyThread_get_thread_ident();
}

}  // namespace

void remember_main_thread() {
  namespace py = pybind11;
  const py::object ident = py::module_::import("threading").attr("main_thread")().attr("ident");
  main_thread = ident.cast<unsigned long>();
  static const int registered = pthread_atfork(nullptr, nullptr, &after_fork_in_child);
  (void)registered;
}

bool on_main_thread() noexcept { return PyThread_get_thread_ident() == main_thread.load(); }

void run_on_worker(std::function<void()> job) { pool().submit(std::move(job)); }

}  // namespace instantly_python
