// C++ work for asyncio, without a Python thread per call and without blocking the loop.
//
// `start_async` hands the work to the pooled worker threads (interruptible.hpp's
// run_on_worker: an idle worker is reused, none is started per call) and returns at once with
// a PendingCall. When the work ends, the worker posts its outcome to the loop's CompletionPort
// (completion_port.hpp) without taking the GIL; the loop drains the port on its own thread and
// resumes the coroutine that waits on `token`. Cancelling the awaiting task calls
// PendingCall.cancel(), which requests the work's stop token: a transfer, a rate-limit wait or a
// retry back-off ends at once and nothing more is sent.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <utility>

#include <pybind11/pybind11.h>

#include "completion_port.hpp"
#include "interruptible.hpp"

namespace instantly_python {

/// `_core.PendingCall`: the handle of a call started for asyncio.
class PendingCall {
 public:
  /// Stops the call as soon as it can; its outcome is then CancelledError (or the result, when
  /// it had already finished).
  void cancel() noexcept { stop_.request_stop(); }
  bool cancel_requested() const noexcept { return stop_.stop_requested(); }
  std::stop_token token() const noexcept { return stop_.get_token(); }

 private:
  std::stop_source stop_;
};

namespace detail {

/// Whether Python can still be entered: code that may run on a worker thread while the
/// interpreter shuts down must not take the GIL then (that would end or hang the thread).
bool python_is_running() noexcept;

}  // namespace detail

/// Starts `work(stop)` on a worker thread; its outcome goes to `port` with `token`, and
/// `to_python(result)` makes the value on the loop's thread. `pending` is the handle returned:
/// pass one made beforehand when the work needs its stop token before it starts (a workflow
/// whose options carry it). Call with the GIL held.
template <class Result>
std::shared_ptr<PendingCall> start_async(std::shared_ptr<PendingCall> pending,
                                         std::function<Result(std::stop_token)> work,
                                         std::function<pybind11::object(Result&)> to_python,
                                         std::shared_ptr<CompletionPort> port, const pybind11::object& token) {
  // The outcome holds its own reference to the token until the loop drains it.
  PyObject* held = token.inc_ref().ptr();
  auto job = [pending, held, port, work = std::move(work), to_python = std::move(to_python)] {
    CompletionPort::Outcome outcome{.token = held};
    try {
      auto result = std::make_shared<Result>(work(pending->token()));
      outcome.value = [result, to_python] { return to_python(*result); };
    } catch (...) {
      outcome.error = std::current_exception();
    }
    port->post(std::move(outcome));
  };
  try {
    run_on_worker(std::move(job));
  } catch (...) {
    Py_DECREF(held);  // no worker took the job (no thread could start): the caller hears of it
    throw;
  }
  return pending;
}

template <class Result>
std::shared_ptr<PendingCall> start_async(std::function<Result(std::stop_token)> work,
                                         std::function<pybind11::object(Result&)> to_python,
                                         std::shared_ptr<CompletionPort> port, const pybind11::object& token) {
  return start_async<Result>(std::make_shared<PendingCall>(), std::move(work), std::move(to_python),
                             std::move(port), token);
}

}  // namespace instantly_python
