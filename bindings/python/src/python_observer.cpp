#include "python_observer.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "python_state.hpp"

namespace py = pybind11;

namespace instantly_python {
namespace {

// The hooks in instantly.observability.HOOKS order, and the event class each one gets.
enum Hook : std::size_t { kAttempt, kRetry, kRateLimitWait, kCallSucceeded, kCallFailed, kWorkflow, kHookCount };
constexpr std::array<const char*, kHookCount> kHookNames{"on_attempt", "on_retry", "on_rate_limit_wait",
                                                          "on_call_succeeded", "on_call_failed", "on_workflow"};
constexpr std::array<const char*, kHookCount> kEventClasses{"AttemptEvent", "RetryEvent", "RateLimitWaitEvent",
                                                             "CallSucceededEvent", "CallFailedEvent",
                                                             "WorkflowEvent"};

// Longer exception texts are cut: the report is one log line, not a dump of the observer's state.
constexpr std::size_t kMaxErrorText = 200;

py::object text_or_none(std::string_view text) {
  if (text.empty()) return py::none();
  return py::str(text.data(), text.size());
}

py::str text(std::string_view value) { return py::str(value.data(), value.size()); }

py::object optional_int(const std::optional<int>& value) {
  if (!value) return py::none();
  return py::int_(*value);
}

template <class Rep, class Period>
double seconds(std::chrono::duration<Rep, Period> duration) {
  return std::chrono::duration<double>(duration).count();
}

// "ValueError: boom", never the traceback: what a warning line should say about a broken observer.
std::string describe(py::error_already_set& error, const char* hook) {
  std::string what;
  try {
    what = py::str(error.type().attr("__name__")).cast<std::string>();
    const std::string message = py::str(error.value()).cast<std::string>();
    if (!message.empty()) what += ": " + message;
  } catch (py::error_already_set&) {
    what = "an exception whose text could not be read";
  }
  if (what.size() > kMaxErrorText) what = what.substr(0, kMaxErrorText) + "...";
  return std::string("the Python observer's ") + hook + " raised " + what;
}

class PythonObserver final : public instantly::Observer {
 public:
  explicit PythonObserver(const py::tuple& hooks) {
    if (hooks.size() != kHookCount) throw std::invalid_argument("make_python_observer: expected 6 hooks");
    const py::module_ events = py::module_::import("instantly.observability");
    for (std::size_t i = 0; i < kHookCount; ++i) {
      if (hooks[i].is_none()) continue;
      hooks_[i] = py::reinterpret_borrow<py::object>(hooks[i]);
      classes_[i] = events.attr(kEventClasses[i]);
    }
  }

  PythonObserver(const PythonObserver&) = delete;
  PythonObserver& operator=(const PythonObserver&) = delete;

  // The last client copy may go away on a worker thread (no GIL), or during finalization, when
  // Python objects must not be touched any more: then they are leaked, not released.
  ~PythonObserver() override {
    if (!python_is_usable()) {
      for (py::object& o : hooks_) o.release();
      for (py::object& o : classes_) o.release();
      return;
    }
    py::gil_scoped_acquire gil;
    for (py::object& o : hooks_) o = py::object();
    for (py::object& o : classes_) o = py::object();
  }

  void on_attempt(const instantly::AttemptEvent& e) override {
    deliver(kAttempt, [&] {
      return call_fields(classes_[kAttempt], e.call, py::arg("attempt") = e.attempt, py::arg("status") = optional_int(e.status),
                         py::arg("failure") = text_or_none(e.failure), py::arg("duration") = seconds(e.duration),
                         py::arg("request_bytes") = e.request_bytes, py::arg("response_bytes") = e.response_bytes);
    });
  }

  void on_retry(const instantly::RetryEvent& e) override {
    deliver(kRetry, [&] {
      return call_fields(classes_[kRetry], e.call, py::arg("attempt") = e.attempt, py::arg("reason") = instantly::to_string(e.reason),
                         py::arg("status") = optional_int(e.status), py::arg("delay") = seconds(e.delay),
                         py::arg("delay_from_retry_after") = e.delay_from_retry_after);
    });
  }

  void on_rate_limit_wait(const instantly::RateLimitWaitEvent& e) override {
    deliver(kRateLimitWait, [&] {
      return call_fields(classes_[kRateLimitWait], e.call, py::arg("attempt") = e.attempt, py::arg("bucket") = text(e.bucket),
                         py::arg("waited") = seconds(e.waited));
    });
  }

  void on_call_succeeded(const instantly::CallSucceededEvent& e) override {
    deliver(kCallSucceeded, [&] {
      return call_fields(classes_[kCallSucceeded], e.call, py::arg("attempts") = e.attempts, py::arg("status") = e.status,
                         py::arg("elapsed") = seconds(e.elapsed));
    });
  }

  void on_call_failed(const instantly::CallFailedEvent& e) override {
    deliver(kCallFailed, [&] {
      return call_fields(classes_[kCallFailed], e.call, py::arg("attempts") = e.attempts, py::arg("error_type") = text(e.error_type),
                         py::arg("status") = optional_int(e.status),
                         py::arg("stop_reason") = text_or_none(e.stop_reason), py::arg("elapsed") = seconds(e.elapsed));
    });
  }

  void on_workflow(const instantly::WorkflowEvent& e) override {
    deliver(kWorkflow, [&] {
      return classes_[kWorkflow](py::arg("workflow") = text(e.workflow), py::arg("action") = text(e.action),
                                 py::arg("reason") = text_or_none(e.reason), py::arg("items") = e.items,
                                 py::arg("duration") = seconds(e.duration));
    });
  }

 private:
  // An event of `event_class` with the call's name first.
  template <class... Fields>
  static py::object call_fields(const py::object& event_class, const instantly::CallName& call, Fields&&... fields) {
    return event_class(py::arg("operation") = text_or_none(call.operation),
                              py::arg("method") = text(call.method),
                              py::arg("path_template") = text(call.path_template), std::forward<Fields>(fields)...);
  }

  template <class Build>
  void deliver(Hook hook, Build&& build) {
    // Read without the GIL: set once in the constructor, never changed.
    if (!hooks_[hook] || !python_is_usable()) return;
    std::string failure;
    {
      py::gil_scoped_acquire gil;
      try {
        hooks_[hook](build());
        return;
      } catch (py::error_already_set& error) {
        failure = describe(error, kHookNames[hook]);
      }
    }
    // Thrown with the GIL released: the EventSink reports it through the logger, which takes the GIL itself.
    throw std::runtime_error(failure);
  }

  std::array<py::object, kHookCount> hooks_;
  std::array<py::object, kHookCount> classes_;
};

}  // namespace

std::shared_ptr<instantly::Observer> make_python_observer(const py::tuple& hooks) {
  return std::make_shared<PythonObserver>(hooks);
}

}  // namespace instantly_python
