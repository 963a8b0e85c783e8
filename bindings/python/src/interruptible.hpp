// Runs C++ network work with the GIL released, and lets Ctrl-C stop it.
//
// On Python's main thread the work goes to a worker thread while the caller waits in
// slices of at most 100 ms, taking the GIL back between slices only to let Python run its
// signal handlers. When one raises (KeyboardInterrupt), the work's stop source is
// requested: every wait and transfer of the C++ call ends at once and nothing more is
// sent (instantly::RequestOptions::stop). The caller waits for the work to end, then
// raises the handler's exception. Other threads cannot receive signals, so they run the
// work themselves, still without the GIL.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <utility>

#include <pybind11/pybind11.h>

namespace instantly_python {

/// Remembers which thread is Python's main thread (and follows it into forked children);
/// called once, at import.
void remember_main_thread();
/// Whether the calling thread is the one Python delivers signals to.
bool on_main_thread() noexcept;

/// Runs `job` on a pooled worker thread (threads are reused: starting one per call
/// costs more than a fast request). Never waits for the job.
void run_on_worker(std::function<void()> job);

namespace detail {

template <class Result>
struct Outcome {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  std::optional<Result> value;
  std::exception_ptr error;

  /// Runs `work`, catching whatever it throws, for publish().
  template <class Work>
  static std::pair<std::optional<Result>, std::exception_ptr> attempt(Work& work) {
    try {
      return {std::optional<Result>(work()), nullptr};
    } catch (...) {
      return {std::nullopt, std::current_exception()};
    }
  }

  /// Hands the worker's value or exception to the waiting thread.
  void publish(std::pair<std::optional<Result>, std::exception_ptr> result) {
    std::lock_guard lock(mutex);
    value = std::move(result.first);
    error = std::move(result.second);
    done = true;
    done_changed.notify_all();
  }
};

}  // namespace detail

/// Runs `work` as described above and returns its result or rethrows its exception; a
/// signal handler's exception requests `stop`, which `work` passes to the C++ calls it
/// makes. `work` may refer to the caller's frame, since this returns only after it ends.
/// Throws `pybind11::error_already_set` when a signal handler raised while waiting.
template <class Result>
Result call_stoppably(const std::function<Result()>& work, std::stop_source& stop) {
  if (!on_main_thread()) {
    pybind11::gil_scoped_release release;
    return work();
  }
  auto outcome = std::make_shared<detail::Outcome<Result>>();
  std::optional<pybind11::error_already_set> interrupt;
  {
    pybind11::gil_scoped_release release;
    run_on_worker([outcome, &work] { outcome->publish(detail::Outcome<Result>::attempt(work)); });
    std::unique_lock lock(outcome->mutex);
    while (!outcome->done_changed.wait_for(lock, std::chrono::milliseconds(100),
                                           [&] { return outcome->done; })) {
      lock.unlock();
      {
        pybind11::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {
          if (!interrupt) {
            interrupt.emplace();  // fetches the handler's exception
          } else {
            PyErr_Clear();  // a second Ctrl-C: the first one is already stopping the work
          }
          stop.request_stop();
        }
      }
      lock.lock();
    }
  }
  if (interrupt) {
    interrupt->restore();
    throw pybind11::error_already_set();
  }
  if (outcome->error) std::rethrow_exception(outcome->error);
  return std::move(*outcome->value);
}

/// The same with a stop source of its own: `work(stop)` passes the token on.
template <class Result>
Result call_stoppably(const std::function<Result(std::stop_token)>& work) {
  std::stop_source stop;
  const std::function<Result()> bound = [&work, token = stop.get_token()] { return work(token); };
  return call_stoppably<Result>(bound, stop);
}

}  // namespace instantly_python
