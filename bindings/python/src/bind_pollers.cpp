// The pollers' C++ half (instantly/workflows/pollers.hpp), used by `instantly.workflows`:
// `_core.StopSource`, `_core.workflows_wait_for_background_job`, `_core.workflows_verify_email`,
// `_core.workflows_wait_for_email_verification`, `_core.workflows_is_terminal_job_status`, and the
// translation of PollTimeoutError / PollCancelledError into their Python classes.
//
// A wait runs with the GIL released. On Python's main thread it runs on a worker while this
// thread handles signals every 100 ms: Ctrl-C requests the poller's stop, which ends its sleep
// at once (the poller sleeps on a condition variable, not in sleep()), and the KeyboardInterrupt
// is raised once the worker is done, so no poll outlives the call. `on_update` is called on the
// worker with the GIL taken; an exception it raises ends the wait and is raised again here.
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core.hpp"
#include "instantly/error.hpp"
#include "instantly/workflows/pollers.hpp"
#include "interruptible.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wf = instantly::workflows;

// ---------------------------------------------------------------- errors

void raise_poll_error(const char* name, const instantly::PollError& e) {
  try {
    const py::object cls = py::module_::import("instantly._workflows.pollers").attr(name);
    py::dict kwargs;
    kwargs["last_status"] = e.last_status().empty() ? py::object(py::none()) : py::object(python_text(e.last_status()));
    kwargs["polls"] = e.polls();
    const py::object error = cls(python_text(e.what()), **kwargs);
    PyErr_SetObject(cls.ptr(), error.ptr());
  } catch (py::error_already_set& failure) {
    failure.restore();
  }
}

// Registered after the library's own translator, so tried before it (pybind11 tries the
// newest first); anything else is rethrown to the next one.
void register_poll_error_translator() {
  py::register_exception_translator([](std::exception_ptr pending) {
    if (!pending) return;
    try {
      std::rethrow_exception(pending);
    } catch (const instantly::PollTimeoutError& e) {
      raise_poll_error("PollTimeoutError", e);
    } catch (const instantly::PollCancelledError& e) {
      raise_poll_error("PollCancelledError", e);
    }
  });
}

// ---------------------------------------------------------------- running a wait

struct PythonCallbackRaised : std::exception {
  const char* what() const noexcept override { return "a Python callback raised"; }
};

// The exception on_update raised. Touched only with the GIL held.
struct PythonFailure {
  std::optional<py::error_already_set> error;
};


/// A std::stop_source Python can hold: `instantly.workflows.CancelToken` wraps it.
struct StopSource {
  std::stop_source source;
};

struct Schedule {
  std::optional<double> timeout;
  double initial_interval;
  double max_interval;
  double multiplier;
};

template <class Snapshot>
wf::PollOptions<Snapshot> poll_options(const Schedule& schedule, std::stop_token stop, const py::object& on_update,
                                       PythonFailure& failure) {
  wf::PollOptions<Snapshot> options;
  options.timeout = schedule.timeout ? std::optional(to_milliseconds(*schedule.timeout, "timeout")) : std::nullopt;
  options.initial_interval = to_milliseconds(schedule.initial_interval, "initial_interval");
  options.max_interval = to_milliseconds(schedule.max_interval, "max_interval");
  options.multiplier = schedule.multiplier;
  options.stop = std::move(stop);
  if (!on_update.is_none()) {
    options.on_update = [&on_update, &failure](const Snapshot& snapshot) {
      const std::string text = snapshot.to_json();
      py::gil_scoped_acquire acquire;
      try {
        on_update(python_text(text));
      } catch (py::error_already_set& e) {
        failure.error.emplace(e);
        throw PythonCallbackRaised();
      }
    };
  }
  return options;
}

// One wait: `poll(options)` with Ctrl-C and `cancel` both able to stop it; returns JSON text.
template <class Snapshot, class Poll>
std::string wait(const Schedule& schedule, const py::object& on_update, StopSource* cancel, Poll poll) {
  PythonFailure failure;
  std::stop_source stop;
  // The caller's token stops this wait too; the callback lives as long as the wait.
  std::optional<std::stop_callback<std::function<void()>>> forward;
  if (cancel != nullptr) {
    forward.emplace(cancel->source.get_token(), std::function<void()>([&stop] { stop.request_stop(); }));
  }
  const wf::PollOptions<Snapshot> options = poll_options<Snapshot>(schedule, stop.get_token(), on_update, failure);
  const std::function<std::string()> work = [&] { return poll(options).to_json(); };
  try {
    return call_stoppably<std::string>(work, stop);
  } catch (const PythonCallbackRaised&) {
    if (!failure.error) throw instantly::Error("poller: a Python callback failed");
    throw py::error_already_set(*failure.error);
  }
}

std::string wait_for_background_job(const Core& core, const std::string& job_id, std::optional<double> timeout,
                                    double initial_interval, double max_interval, double multiplier,
                                    const py::object& on_update, StopSource* cancel) {
  const instantly::Client client = core.client();
  return wait<instantly::BackgroundJob>(
      {timeout, initial_interval, max_interval, multiplier}, on_update, cancel,
      [&](const wf::BackgroundJobPollOptions& options) {
        return wf::wait_for_background_job(client, job_id, options);
      });
}

template <bool Start>
std::string verification(const Core& core, const std::string& email, std::optional<double> timeout,
                         double initial_interval, double max_interval, double multiplier, const py::object& on_update,
                         StopSource* cancel) {
  const instantly::Client client = core.client();
  return wait<instantly::EmailVerification>(
      {timeout, initial_interval, max_interval, multiplier}, on_update, cancel,
      [&](const wf::EmailVerificationPollOptions& options) {
        return Start ? wf::verify_email(client, email, options)
                     : wf::wait_for_email_verification(client, email, options);
      });
}

}  // namespace

void bind_pollers(py::module_& module) {
  register_poll_error_translator();

  py::class_<StopSource>(module, "StopSource", "A C++ std::stop_source; instantly.workflows.CancelToken wraps it.")
      .def(py::init<>())
      .def(
          "request_stop", [](StopSource& s) { return s.source.request_stop(); },
          "Requests the stop; True the first time.")
      .def_property_readonly(
          "stop_requested", [](const StopSource& s) { return s.source.stop_requested(); }, "Whether it was requested.");

  module.def("workflows_wait_for_background_job", &wait_for_background_job, py::arg("core"), py::arg("job_id"),
             py::kw_only(), py::arg("timeout"), py::arg("initial_interval"), py::arg("max_interval"),
             py::arg("multiplier"), py::arg("on_update"), py::arg("cancel"),
             "Polls the job until it is finished; the final job as JSON text. on_update(json_text) after each poll.");
  module.def("workflows_verify_email", &verification<true>, py::arg("core"), py::arg("email"), py::kw_only(),
             py::arg("timeout"), py::arg("initial_interval"), py::arg("max_interval"), py::arg("multiplier"),
             py::arg("on_update"), py::arg("cancel"),
             "Starts a verification and polls it to its result; the verification as JSON text.");
  module.def("workflows_wait_for_email_verification", &verification<false>, py::arg("core"), py::arg("email"),
             py::kw_only(), py::arg("timeout"), py::arg("initial_interval"), py::arg("max_interval"),
             py::arg("multiplier"), py::arg("on_update"), py::arg("cancel"),
             "Polls a started verification to its result; the verification as JSON text.");
  module.def(
      "workflows_is_terminal_job_status", [](const std::string& status) { return wf::is_terminal_job_status(status); },
      py::arg("status"), "Whether a background job status is final.");
}

}  // namespace instantly_python
