// The subscription's C++ half (instantly/webhooks/subscription.hpp, watch.hpp), used by
// `instantly.webhooks.subscribe` and `instantly.webhooks.watch_subscriptions`:
// `_core.webhooks_subscribe` and `_core.webhooks_watch_subscriptions`.
//
// One implementation for both languages: the reuse rules and the gap arithmetic live in C++.
// Results cross as dicts (webhooks as JSON text, which the Python side turns into its Webhook
// model) and become frozen dataclasses there. Both run with the GIL released and, on the main
// thread, stop at Ctrl-C (interruptible.hpp).
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core.hpp"
#include "instantly/error.hpp"
#include "instantly/webhooks/subscription.hpp"
#include "instantly/webhooks/watch.hpp"
#include "interruptible.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wh = instantly::webhooks;

py::dict subscription_dict(wh::Subscription& sub) {
  py::dict d;
  d["webhook"] = python_text(sub.webhook.to_json());
  d["secret"] = python_text(sub.secret);
  d["verifier"] = py::cast(std::move(sub.verifier));
  d["reused"] = sub.reused;
  return d;
}

py::dict report_dict(const wh::WatchReport& report) {
  py::list watched;
  for (const instantly::Webhook& webhook : report.watched) watched.append(python_text(webhook.to_json()));
  py::list gaps;
  for (const wh::SubscriptionGap& gap : report.gaps) {
    py::dict d;
    d["webhook_id"] = python_text(gap.webhook_id);
    d["target_url"] = python_text(gap.target_url);
    d["event_type"] = python_text(gap.event_type);
    d["campaign"] = python_text_or_none(gap.campaign);
    d["start"] = python_text(gap.from);
    d["end"] = python_text(gap.to);
    d["resumed"] = gap.resumed;
    gaps.append(std::move(d));
  }
  py::list failing;
  for (const wh::FailingSubscription& f : report.failing) {
    py::dict d;
    d["webhook"] = python_text(f.webhook.to_json());
    d["since"] = python_text(f.since);
    d["last_attempt"] = python_text(f.last_attempt);
    d["last_status_code"] = f.last_status_code ? py::object(py::int_(*f.last_status_code)) : py::object(py::none());
    d["last_error"] = python_text(f.last_error);
    d["failed_attempts"] = f.failed_attempts;
    failing.append(std::move(d));
  }
  py::list errors;
  for (const wh::WatchError& e : report.errors) {
    py::dict d;
    d["webhook_id"] = python_text(e.webhook_id);
    d["message"] = python_text(e.message);
    errors.append(std::move(d));
  }
  py::dict d;
  d["watched"] = std::move(watched);
  d["gaps"] = std::move(gaps);
  d["failing"] = std::move(failing);
  d["errors"] = std::move(errors);
  return d;
}

std::chrono::seconds lookback_from(double seconds) {
  // Up to ten years: more than any log keeps, and far from overflowing the time arithmetic.
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 315'360'000.0) {
    throw instantly::ValidationError("failing_lookback must be a number of seconds from 0 to 315360000");
  }
  return std::chrono::seconds(std::llround(seconds));
}

py::dict subscribe(const Core& core, std::string target_url, std::string event_type,
                   std::optional<std::string> campaign, std::optional<std::string> name, std::string header_name,
                   bool bearer, std::optional<std::string> secret) {
  const instantly::Client client = core.client();
  const std::function<wh::Subscription(std::stop_token)> work = [&](std::stop_token stop) {
    wh::SubscribeOptions options{.target_url = target_url,
                                 .event_type = instantly::WebhookEventType(event_type),
                                 .campaign = campaign,
                                 .name = name,
                                 .header_name = header_name,
                                 .bearer = bearer,
                                 .secret = secret.value_or(""),
                                 .request = {}};
    options.request.stop = std::move(stop);
    return wh::subscribe(client, std::move(options));
  };
  wh::Subscription sub = call_stoppably<wh::Subscription>(work);
  return subscription_dict(sub);
}

py::dict watch_subscriptions(const Core& core, std::string target_url, bool resume_disabled, double failing_lookback) {
  const instantly::Client client = core.client();
  wh::WatchOptions options{.target_url = std::move(target_url),
                           .resume_disabled = resume_disabled,
                           .failing_lookback = lookback_from(failing_lookback),
                           .request = {}};
  const std::function<wh::WatchReport(std::stop_token)> work = [&](std::stop_token stop) {
    wh::WatchOptions call = options;
    call.request.stop = std::move(stop);
    return wh::watch_subscriptions(client, call);
  };
  const wh::WatchReport report = call_stoppably<wh::WatchReport>(work);
  return report_dict(report);
}

}  // namespace

void bind_webhook_watch(py::module_& module) {
  module.def("webhooks_subscribe", &subscribe, py::arg("core"), py::kw_only(), py::arg("target_url"),
             py::arg("event_type"), py::arg("campaign"), py::arg("name"), py::arg("header_name"), py::arg("bearer"),
             py::arg("secret"),
             "The C++ webhooks::subscribe: a dict of webhook (JSON text), secret, verifier and reused.");
  module.def("webhooks_watch_subscriptions", &watch_subscriptions, py::arg("core"), py::kw_only(),
             py::arg("target_url"), py::arg("resume_disabled"), py::arg("failing_lookback"),
             "The C++ webhooks::watch_subscriptions: a dict of watched (JSON texts), gaps, failing and errors.");
}

}  // namespace instantly_python
