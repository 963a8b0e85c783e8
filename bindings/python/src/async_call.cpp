#include "async_call.hpp"

#include <Python.h>

#include "bindings.hpp"

namespace instantly_python {

namespace py = pybind11;

namespace detail {

bool python_is_running() noexcept { return Py_IsInitialized() != 0 && _Py_IsFinalizing() == 0; }

}  // namespace detail

void bind_pending_call(py::module_& module) {
  py::class_<PendingCall, std::shared_ptr<PendingCall>>(
      module, "PendingCall", "A call running for asyncio; made by the start_* functions.")
      .def("cancel", &PendingCall::cancel, "Stops the call: nothing more is sent, waits end at once.")
      .def_property_readonly("cancel_requested", &PendingCall::cancel_requested);
  bind_completion_port(module);
}

}  // namespace instantly_python
