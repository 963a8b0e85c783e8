// `_core.CallOptions`: the per-call extras, converted once on the Python side of a call.
#include <optional>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "call_options.hpp"

namespace instantly_python {

namespace py = pybind11;

void bind_call_options(py::module_& module) {
  py::class_<CallOptions>(module, "CallOptions",
                          "Extra headers, extra query parameters and a timeout for one call.")
      .def(py::init([](const py::dict& headers, instantly::QueryParams query, std::optional<double> timeout) {
             CallOptions options{.headers = {}, .query = std::move(query), .timeout_seconds = timeout};
             for (const auto& [name, value] : headers) {
               options.headers.emplace_back(name.cast<std::string>(), value.cast<std::string>());
             }
             return options;
           }),
           py::arg("headers"), py::arg("query"), py::arg("timeout"))
      .def_property_readonly("headers",
                             [](const CallOptions& options) {
                               py::dict headers;
                               for (const auto& [name, value] : options.headers) {
                                 headers[py::str(name)] = value;
                               }
                               return headers;
                             })
      .def_readonly("query", &CallOptions::query)
      .def_readonly("timeout", &CallOptions::timeout_seconds);
}

}  // namespace instantly_python
