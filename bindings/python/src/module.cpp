// `instantly._core`: the compiled half of the Python package. The pure-Python package
// (bindings/python/instantly) is the public API; this module is its engine.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "errors.hpp"
#include "generated/operations.hpp"
#include "interruptible.hpp"

PYBIND11_MODULE(_core, module) {
  module.doc() =
      "The C++ core of the instantly package: the client, and one function per API operation "
      "that the generated resource classes call. Not a public API; use instantly.Client.";
  // The error classes live in Python; importing them now fails early if the package is broken.
  pybind11::module_::import("instantly._exceptions");
  instantly_python::remember_main_thread();
  instantly_python::register_error_translator();
  instantly_python::bind_core(module);
  instantly_python::bind_call_options(module);
  instantly_python::bind_page_fetcher(module);
  instantly_python::bind_pending_call(module);
  instantly_python::bind_start_call(module);
  instantly_python::bind_webhooks(module);
  instantly_python::bind_spool(module);
  instantly_python::bind_webhook_watch(module);
  instantly_python::bind_workflows(module);
  instantly_python::bind_analytics_sync(module);
  instantly_python::bind_account_health(module);
  instantly_python::bind_unibox(module);
  instantly_python::bind_pollers(module);
  instantly_python::bind_secrets(module);
  for (const auto bind : instantly_python::generated::kBindOperations) bind(module);
}
