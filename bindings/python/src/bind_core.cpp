// `_core.Core`: construction, `with_options`, `close` and the raw `request` escape hatch.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/stl.h>

#include "async_call.hpp"
#include "bindings.hpp"
#include "core.hpp"
#include "interruptible.hpp"
#include "python_observer.hpp"
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

instantly::RequestOptions request_options(instantly::QueryParams query, std::optional<std::string> body_json,
                                          const py::dict& headers, std::optional<double> timeout) {
  instantly::RequestOptions options;
  options.query = std::move(query);
  if (body_json) options.body = instantly::Json::parse(*body_json);
  options.headers = headers_from(headers);
  if (timeout) options.timeout = to_milliseconds(*timeout, "timeout");
  return options;
}

// The answer as JSON text, none for an empty one.
std::optional<std::string> send(const instantly::Client& client, const std::string& method, const std::string& path,
                                instantly::RequestOptions& options, std::stop_token stop) {
  options.stop = std::move(stop);
  const instantly::Json answer = client.request(method, path, options);
  if (answer.is_null()) return std::nullopt;
  return answer.dump();
}

// `Client::request` off the GIL.
py::object request(const Core& core, std::string method, std::string path, instantly::QueryParams query,
                   std::optional<std::string> body_json, const py::dict& headers,
                   std::optional<double> timeout) {
  instantly::RequestOptions options = request_options(std::move(query), std::move(body_json), headers, timeout);
  return python_text_or_none(call_stoppably<std::optional<std::string>>(
      [client = core.client(), &method, &path, &options](std::stop_token stop) {
        return send(client, method, path, options, std::move(stop));
      }));
}

// The same for asyncio (async_call.hpp).
std::shared_ptr<PendingCall> start_request(const Core& core, std::string method, std::string path,
                                           instantly::QueryParams query, std::optional<std::string> body_json,
                                           const py::dict& headers, std::optional<double> timeout,
                                           std::shared_ptr<CompletionPort> port, const py::object& token) {
  auto options = std::make_shared<instantly::RequestOptions>(
      request_options(std::move(query), std::move(body_json), headers, timeout));
  return start_async<std::optional<std::string>>(
      [client = core.client(), method = std::move(method), path = std::move(path), options](std::stop_token stop) {
        return send(client, method, path, *options, std::move(stop));
      },
      [](std::optional<std::string>& text) { return python_text_or_none(text); }, std::move(port), token);
}

}  // namespace

void bind_core(py::module_& module) {
  py::class_<Core>(module, "Core",
                   "The C++ client behind one instantly.Client (and its with_options copies).")
      .def(py::init([](std::string api_key, std::string base_url, double timeout, int max_retries,
                       std::optional<std::string> workspace, std::optional<std::string> user_agent,
                       bool rate_limit, std::optional<std::string> rate_limit_backend,
                       std::size_t max_response_bytes, bool validate_requests, std::optional<py::tuple> observer_hooks) {
             return Core(CoreSettings{.api_key = std::move(api_key),
                                      .base_url = std::move(base_url),
                                      .timeout_seconds = timeout,
                                      .max_retries = max_retries,
                                      .workspace = std::move(workspace),
                                      .user_agent = std::move(user_agent),
                                      .rate_limit = rate_limit,
                                      .rate_limit_backend = std::move(rate_limit_backend),
                                      .max_response_bytes = max_response_bytes,
                                      .validate_requests = validate_requests,
                                      .observer = observer_hooks ? make_python_observer(*observer_hooks) : nullptr});
           }),
           py::kw_only(), py::arg("api_key"), py::arg("base_url"), py::arg("timeout"), py::arg("max_retries"),
           py::arg("workspace"), py::arg("user_agent"), py::arg("rate_limit"),
           py::arg("rate_limit_backend") = py::none(), py::arg("max_response_bytes") = instantly::kDefaultMaxResponseBytes,
           py::arg("validate_requests") = true, py::arg("observer_hooks") = py::none())
      .def("with_options", &Core::with_options, py::kw_only(), py::arg("timeout"), py::arg("max_retries"),
           py::arg("workspace"), py::arg("max_response_bytes"), py::arg("validate_requests"),
           "A core with other settings that shares this one's connections and limits.")
      .def("close", &Core::close, "Drops this core's client; later calls raise instantly.Error.")
      .def_property_readonly("closed", &Core::closed)
      .def("request", &request, py::arg("method"), py::arg("path"), py::arg("query"), py::arg("body_json"),
           py::arg("headers"), py::arg("timeout"), "Any endpoint: returns the answer as JSON text, or None.")
      .def("start_request", &start_request, py::arg("method"), py::arg("path"), py::arg("query"),
           py::arg("body_json"), py::arg("headers"), py::arg("timeout"), py::arg("port"), py::arg("token"),
           "request() for asyncio: returns a PendingCall at once; the answer (JSON text or None) or "
           "the exception goes to `port` with `token`.")
      .def("__repr__", &Core::repr);
}

}  // namespace instantly_python
