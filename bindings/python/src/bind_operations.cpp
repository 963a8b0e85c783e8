// How every generated operation becomes a module function, and `_core.PageFetcher`.
//
// All operations share one signature, `(core, path_args, params_json, options)`, so the
// pybind11 machinery is instantiated here once instead of in every generated file.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "async_call.hpp"
#include "bindings.hpp"
#include "call_options.hpp"
#include "core.hpp"
#include "interruptible.hpp"
#include "operation.hpp"
#include "page_fetcher.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;

// Checks the path arguments and copies everything the call needs out of Python's reach.
OperationInput prepare(const OperationSpec& spec, const Core& core, std::vector<std::string> path_args,
                       std::optional<std::string> params_json, const CallOptions& call_options) {
  const std::size_t expected = spec.path_params.size();
  if (path_args.size() != expected) {
    throw instantly::ValidationError(std::string(spec.operation) + " takes " + std::to_string(expected) +
                                     " path argument(s), got " + std::to_string(path_args.size()));
  }
  for (std::size_t i = 0; i < expected; ++i) {
    if (path_args[i].empty()) {
      throw instantly::ValidationError(std::string(spec.operation) + ": `" + spec.path_params[i] +
                                       "` must not be empty");
    }
  }
  OperationInput input{.operation = spec.operation,
                       .client = core.client(),
                       .path_args = std::move(path_args),
                       .params_json = std::move(params_json),
                       .options = call_options.to_request_options()};
  if (!spec.takes_params && input.params_json) {
    input.options.body = instantly::Json::parse(*input.params_json);
    input.params_json.reset();
  }
  return input;
}

// Every operation that answers once, by binding name, for start_call (asyncio): one module
// function serves them all instead of a second function per operation.
struct AsyncOperation {
  OperationSpec spec;
  CallFunction call;
};

std::map<std::string, AsyncOperation, std::less<>>& async_operations() {
  static std::map<std::string, AsyncOperation, std::less<>> operations;  // filled at import, then read only
  return operations;
}

py::tuple page_tuple(const std::pair<std::string, std::optional<std::string>>& page) {
  return py::make_tuple(python_text(page.first),
                        page.second ? py::object(python_text(*page.second)) : py::object(py::none()));
}

}  // namespace

void def_call(py::module_& module, OperationSpec spec, CallFunction call) {
  const std::string binding = spec.binding;
  async_operations().insert_or_assign(binding, AsyncOperation{spec, call});
  module.def(
      binding.c_str(),
      [spec = std::move(spec), call](const Core& core, std::vector<std::string> path_args,
                                     std::optional<std::string> params_json,
                                     const CallOptions& options) -> py::object {
        OperationInput input = prepare(spec, core, std::move(path_args), std::move(params_json), options);
        const std::optional<std::string> text = call_stoppably<std::optional<std::string>>(
            [call, &input](std::stop_token stop) {
              input.options.stop = std::move(stop);
              return call(input);
            });
        return python_text_or_none(text);
      },
      py::arg("core"), py::arg("path_args"), py::arg("params_json"), py::arg("options"));
}

void def_page(py::module_& module, OperationSpec spec, PageFunction pages) {
  const std::string binding = spec.binding;
  module.def(
      binding.c_str(),
      [spec = std::move(spec), pages](const Core& core, std::vector<std::string> path_args,
                                      std::optional<std::string> params_json, const CallOptions& options) {
        return PageFetcher(pages(prepare(spec, core, std::move(path_args), std::move(params_json), options)));
      },
      py::arg("core"), py::arg("path_args"), py::arg("params_json"), py::arg("options"));
}

void bind_page_fetcher(py::module_& module) {
  using Page = std::pair<std::string, std::optional<std::string>>;
  py::class_<PageFetcher>(module, "PageFetcher", "Fetches the pages of one listing; made by list operations.")
      .def(
          "fetch", [](const PageFetcher& fetcher, std::optional<std::string> cursor) {
            return page_tuple(fetcher.fetch(std::move(cursor)));
          },
          py::arg("cursor"), "(JSON array of the items, next cursor) of the page after `cursor`.")
      .def(
          "start_fetch",
          [](const PageFetcher& fetcher, std::optional<std::string> cursor, std::shared_ptr<CompletionPort> port,
             const py::object& token) {
            return start_async<Page>(
                [fetch = fetcher.function(), cursor = std::move(cursor)](std::stop_token stop) {
                  return (*fetch)(cursor, std::move(stop));
                },
                [](Page& page) -> py::object { return page_tuple(page); }, std::move(port), token);
          },
          py::arg("cursor"), py::arg("port"), py::arg("token"),
          "fetch() for asyncio: returns a PendingCall at once; the page (or the exception) goes to "
          "`port` with `token`.");
}

void bind_start_call(py::module_& module) {
  module.def(
      "start_call",
      [](const std::string& binding, const Core& core, std::vector<std::string> path_args,
         std::optional<std::string> params_json, const CallOptions& options, std::shared_ptr<CompletionPort> port,
         const py::object& token) {
        const auto found = async_operations().find(binding);
        if (found == async_operations().end()) {
          throw instantly::ValidationError("no operation binding named `" + binding + "`");
        }
        const AsyncOperation& operation = found->second;
        auto input = std::make_shared<OperationInput>(
            prepare(operation.spec, core, std::move(path_args), std::move(params_json), options));
        return start_async<std::optional<std::string>>(
            [input, call = operation.call](std::stop_token stop) {
              input->options.stop = std::move(stop);
              return call(*input);
            },
            [](std::optional<std::string>& text) { return python_text_or_none(text); }, std::move(port), token);
      },
      py::arg("binding"), py::arg("core"), py::arg("path_args"), py::arg("params_json"), py::arg("options"),
      py::arg("port"), py::arg("token"),
      "Starts the operation `binding` for asyncio: returns a PendingCall at once; the answer (JSON "
      "text or None) or the exception goes to `port` with `token`.");
}

}  // namespace instantly_python
