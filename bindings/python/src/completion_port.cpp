#include "completion_port.hpp"

#include <cerrno>
#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>

#include <sys/eventfd.h>
#include <unistd.h>

#include "async_call.hpp"
#include "errors.hpp"

namespace instantly_python {

namespace py = pybind11;

CompletionPort::CompletionPort() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
}

CompletionPort::~CompletionPort() {
  // Outcomes nobody drained (the loop went away first) still hold their tokens. The last owner
  // may be a worker thread, so the GIL is taken here; at interpreter exit they are left alone.
  if (!outcomes_.empty() && detail::python_is_running()) {
    py::gil_scoped_acquire acquire;
    for (Outcome& outcome : outcomes_) {
      Py_XDECREF(outcome.token);
      outcome.value = nullptr;  // may hold Python objects too (a lead import's run)
    }
  }
  close(fd_);
}

void CompletionPort::post(Outcome outcome) {
  std::lock_guard lock(mutex_);
  outcomes_.push_back(std::move(outcome));
  if (!signalled_) {
    signalled_ = true;
    const std::uint64_t one = 1;
    // Cannot fail short of a counter overflow, which one write per drain never reaches.
    [[maybe_unused]] const ssize_t written = write(fd_, &one, sizeof one);
  }
}

py::list CompletionPort::drain() {
  std::vector<Outcome> ready;
  {
    std::lock_guard lock(mutex_);
    ready.swap(outcomes_);
    signalled_ = false;
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t read_bytes = read(fd_, &count, sizeof count);  // EAGAIN: nothing to clear
  }
  py::list drained;
  for (Outcome& outcome : ready) {
    py::object token = py::reinterpret_steal<py::object>(outcome.token);
    py::object value = py::none();
    py::object error = py::none();
    if (!outcome.error) {
      try {
        value = outcome.value();
      } catch (...) {
        outcome.error = std::current_exception();
      }
    }
    if (outcome.error) error = python_exception(outcome.error);
    outcome.value = nullptr;
    drained.append(py::make_tuple(std::move(token), std::move(value), std::move(error)));
  }
  return drained;
}

void bind_completion_port(py::module_& module) {
  py::class_<CompletionPort, std::shared_ptr<CompletionPort>>(
      module, "CompletionPort",
      "Where calls started for asyncio post their outcomes; one per event loop, which watches fileno().")
      .def(py::init<>())
      .def("fileno", &CompletionPort::fileno, "The eventfd that turns readable when outcomes wait.")
      .def("drain", &CompletionPort::drain, "Every waiting outcome as [(token, value, error), ...].");
}

}  // namespace instantly_python
