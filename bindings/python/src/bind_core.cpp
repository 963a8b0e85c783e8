// `_core.Core`: construction, `with_options`, `close` and the raw `request` escape hatch.
#include <optional>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core.hpp"
#include "interruptible.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;

// Extra headers as Python passes them (a dict), in the caller's order.
instantly::HttpHeaders headers_from(const py::dict& headers) {
  instantly::HttpHeaders out;
  for (const auto& [name, value] : headers) out.set(name.cast<std::string>(), value.cast<std::string>());
  return out;
}

// `Client::request` off the GIL: the answer as JSON text, None for an empty one.
py::object request(const Core& core, std::string method, std::string path, instantly::QueryParams query,
                   std::optional<std::string> body_json, const py::dict& headers,
                   std::optional<double> timeout) {
  instantly::RequestOptions options;
  options.query = std::move(query);
  if (body_json) options.body = instantly::Json::parse(*body_json);
  options.headers = headers_from(headers);
  if (timeout) options.timeout = to_milliseconds(*timeout, "timeout");
  std::optional<std::string> text = call_stoppably<std::optional<std::string>>(
      [client = core.client(), &method, &path, &options](std::stop_token stop) -> std::optional<std::string> {
        options.stop = std::move(stop);
        const instantly::Json answer = client.request(method, path, options);
        if (answer.is_null()) return std::nullopt;
        return answer.dump();
      });
  return text ? py::object(python_text(*text)) : py::object(py::none());
}

}  // namespace

void bind_core(py::module_& module) {
  py::class_<Core>(module, "Core",
                   "The C++ client behind one instantly.Client (and its with_options copies).")
      .def(py::init([](std::string api_key, std::string base_url, double timeout, int max_retries,
                       std::optional<std::string> workspace, std::optional<std::string> user_agent,
                       bool rate_limit, std::optional<std::string> rate_limit_backend) {
             return Core(CoreSettings{.api_key = std::move(api_key),
                                      .base_url = std::move(base_url),
                                      .timeout_seconds = timeout,
                                      .max_retries = max_retries,
                                      .workspace = std::move(workspace),
                                      .user_agent = std::move(user_agent),
                                      .rate_limit = rate_limit,
                                      .rate_limit_backend = std::move(rate_limit_backend)});
           }),
           py::kw_only(), py::arg("api_key"), py::arg("base_url"), py::arg("timeout"), py::arg("max_retries"),
           py::arg("workspace"), py::arg("user_agent"), py::arg("rate_limit"),
           py::arg("rate_limit_backend") = py::none())
      .def("with_options", &Core::with_options, py::kw_only(), py::arg("timeout"), py::arg("max_retries"),
           py::arg("workspace"), "A core with other settings that shares this one's connections and limits.")
      .def("close", &Core::close, "Drops this core's client; later calls raise instantly.Error.")
      .def_property_readonly("closed", &Core::closed)
      .def("request", &request, py::arg("method"), py::arg("path"), py::arg("query"), py::arg("body_json"),
           py::arg("headers"), py::arg("timeout"), "Any endpoint: returns the answer as JSON text, or None.")
      .def("__repr__", &Core::repr);
}

}  // namespace instantly_python
