// `_core.CompletionPort`: how calls finished on worker threads reach an asyncio event loop.
//
// A worker that finishes a call posts its outcome here without touching Python (no GIL: a
// worker waiting for the GIL while the loop runs Python code would wait out the interpreter's
// switch interval, 5 ms, for every call). The first post after a drain makes the port's eventfd
// readable; the loop watches that descriptor (loop.add_reader) and, on its own thread with the
// GIL it holds anyway, drains every outcome at once, turning each into Python objects there.
#pragma once

#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include <pybind11/pybind11.h>

namespace instantly_python {

class CompletionPort {
 public:
  /// One finished call: the awaiting side's token, and its value (made on the loop's thread,
  /// under the GIL) or the exception it ended with.
  struct Outcome {
    PyObject* token = nullptr;  // a strong reference, taken when the call started
    std::function<pybind11::object()> value;
    std::exception_ptr error;
  };

  CompletionPort();  ///< Throws std::system_error when no eventfd can be made.
  ~CompletionPort();
  CompletionPort(const CompletionPort&) = delete;
  CompletionPort& operator=(const CompletionPort&) = delete;

  /// The descriptor that turns readable when outcomes wait.
  int fileno() const noexcept { return fd_; }

  /// From any thread, without the GIL.
  void post(Outcome outcome);

  /// Every waiting outcome as [(token, value, error), ...], exactly one of value and error being
  /// None. With the GIL held (on the loop's thread).
  pybind11::list drain();

 private:
  int fd_ = -1;
  std::mutex mutex_;
  std::vector<Outcome> outcomes_;
  bool signalled_ = false;  // the eventfd was written since the last drain
};

/// Registers `_core.CompletionPort`.
void bind_completion_port(pybind11::module_& module);

}  // namespace instantly_python
