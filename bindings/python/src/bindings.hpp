// The module's parts, each registered by one function (module.cpp calls them in order).
#pragma once

#include <pybind11/pybind11.h>

namespace instantly_python {

void bind_core(pybind11::module_& module);          // _core.Core
void bind_call_options(pybind11::module_& module);  // _core.CallOptions
void bind_page_fetcher(pybind11::module_& module);  // _core.PageFetcher
void bind_pending_call(pybind11::module_& module);  // _core.PendingCall (asyncio)
void bind_start_call(pybind11::module_& module);    // _core.start_call (asyncio)
void bind_webhooks(pybind11::module_& module);      // _core's webhook classes (instantly.webhooks)
void bind_spool(pybind11::module_& module);         // _core's webhook Spool (instantly.webhooks)
void bind_webhook_watch(pybind11::module_& module);  // _core's subscribe and watch_subscriptions (instantly.webhooks)
void bind_workflows(pybind11::module_& module);     // _core's lead import and workflow helpers (instantly.workflows)
void bind_analytics_sync(pybind11::module_& module);  // _core's AnalyticsSync (instantly.workflows)
void bind_account_health(pybind11::module_& module);  // _core's AccountHealth (instantly.workflows)
void bind_unibox(pybind11::module_& module);          // _core's Unibox and reply classifier (instantly.workflows)
void bind_pollers(pybind11::module_& module);         // _core's background-job and verification pollers
void bind_secrets(pybind11::module_& module);         // _core's sealed API keys (instantly.secrets)

}  // namespace instantly_python
