// The module's parts, each registered by one function (module.cpp calls them in order).
#pragma once

#include <pybind11/pybind11.h>

namespace instantly_python {

void bind_core(pybind11::module_& module);          // _core.Core
void bind_call_options(pybind11::module_& module);  // _core.CallOptions
void bind_page_fetcher(pybind11::module_& module);  // _core.PageFetcher
void bind_webhooks(pybind11::module_& module);      // _core's webhook classes (instantly.webhooks)
void bind_workflows(pybind11::module_& module);     // _core's lead import and workflow helpers (instantly.workflows)

}  // namespace instantly_python
