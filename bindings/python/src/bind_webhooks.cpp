// The webhook receiver's C++ half (instantly/webhooks.hpp), re-exported by `instantly.webhooks`:
// `_core.SecretHeaderVerifier`, `_core.StandardWebhooksVerifier`, `_core.Event`,
// `_core.LeadEngagement`, `_core.EngagementTracker`, `_core.webhooks_generate_secret` and
// `_core.webhooks_parse`. EventType is pure Python (instantly/webhooks.py); Event.event_type
// builds one from the wire value.
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "instantly/error.hpp"
#include "instantly/webhooks.hpp"
#include "instantly/webhooks/engagement.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wh = instantly::webhooks;
using Clock = wh::StandardWebhooksVerifier::Clock;

// The package `_core` belongs to ("instantly"), for `<package>.webhooks.EventType`.
std::string& package_name() {
  static std::string name = "instantly";
  return name;
}

std::string text(const py::handle& value, const char* what) {
  if (!py::isinstance<py::str>(value)) {
    throw py::type_error(std::string(what) + " must be str, not " +
                         py::str(py::type::of(value).attr("__name__")).cast<std::string>());
  }
  return value.cast<std::string>();
}

// Any object with .items() (dict, http.client.HTTPMessage, Flask's EnvironHeaders) or an
// iterable of (name, value) pairs, in its order (repeats kept: the first one counts).
instantly::HttpHeaders headers_from(const py::object& headers) {
  if (py::isinstance<py::str>(headers) || py::isinstance<py::bytes>(headers)) {
    throw py::type_error("headers must be a mapping or an iterable of (name, value) pairs, not a string");
  }
  const py::object pairs = py::hasattr(headers, "items") ? headers.attr("items")() : headers;
  instantly::HttpHeaders out;
  for (const py::handle item : py::iter(pairs)) {
    if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item) || py::len(item) != 2) {
      throw py::type_error("headers must be a mapping or an iterable of (name, value) pairs");
    }
    const auto pair = py::reinterpret_borrow<py::sequence>(item);
    out.add(text(pair[0], "a header name"), text(pair[1], "a header value"));
  }
  return out;
}

// One secret (str) or several (any iterable of str).
std::vector<std::string> secrets_from(const py::object& secrets) {
  if (py::isinstance<py::str>(secrets)) return {secrets.cast<std::string>()};
  if (py::isinstance<py::bytes>(secrets)) throw py::type_error("secrets must be str or a sequence of str");
  std::vector<std::string> out;
  for (const py::handle secret : py::iter(secrets)) out.push_back(text(secret, "a secret"));
  return out;
}

// Unix seconds as the verifier's clock; the current time when absent.
Clock::time_point time_at(std::optional<double> now) {
  if (!now) return Clock::now();
  if (!std::isfinite(*now) || std::abs(*now) > 1e11) {
    throw instantly::ValidationError("now must be Unix seconds (a finite number)");
  }
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*now)));
}

std::chrono::seconds tolerance_from(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9) {
    throw instantly::ValidationError("tolerance must be a number of seconds between 0 and 1e9");
  }
  return std::chrono::seconds(std::llround(seconds));
}

py::object json_value(const instantly::Json& json) {
  return py::module_::import("json").attr("loads")(python_text(json.dump()));
}

py::object optional_text(const std::optional<std::string>& value) {
  return value ? py::object(python_text(*value)) : py::object(py::none());
}

// Event.time(): a timezone-aware UTC datetime (None when unreadable or out of datetime's range).
py::object event_time(const wh::Event& event) {
  const auto time = event.time();
  if (!time) return py::none();
  const py::module_ datetime = py::module_::import("datetime");
  const py::object utc = datetime.attr("timezone").attr("utc");
  const py::object epoch = datetime.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = utc);
  try {
    return epoch + datetime.attr("timedelta")(py::arg("microseconds") = time->time_since_epoch().count());
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_OverflowError)) throw;
    return py::none();
  }
}

py::object event_type_of(const wh::Event& event) {
  return py::module_::import((package_name() + ".webhooks").c_str()).attr("EventType")(
      python_text(event.event_type.value()));
}

void bind_verifiers(py::module_& module) {
  py::class_<wh::SecretHeaderVerifier>(
      module, "SecretHeaderVerifier",
      "Checks the secret header a subscription sends with every delivery (constant-time; keeps "
      "only SHA-256 digests of the secrets).")
      .def(py::init([](std::string header_name, const py::object& secrets, bool allow_bearer_prefix) {
             return wh::SecretHeaderVerifier(std::move(header_name), secrets_from(secrets), allow_bearer_prefix);
           }),
           py::arg("header_name"), py::arg("secrets"), py::kw_only(), py::arg("allow_bearer_prefix") = true)
      .def(
          "verify",
          [](const wh::SecretHeaderVerifier& verifier, const py::object& headers) {
            verifier.verify(headers_from(headers));
          },
          py::arg("headers"), "Raises WebhookVerificationError (reason missing_header or bad_secret).")
      .def(
          "is_valid",
          [](const wh::SecretHeaderVerifier& verifier, const py::object& headers) {
            return verifier.is_valid(headers_from(headers));
          },
          py::arg("headers"), "The same check as verify, without raising.")
      .def_property_readonly("header_name",
                             [](const wh::SecretHeaderVerifier& v) { return python_text(v.header_name()); })
      .def_property_readonly("allows_bearer_prefix", &wh::SecretHeaderVerifier::allows_bearer_prefix)
      .def("__repr__", [](const wh::SecretHeaderVerifier& v) {
        return py::str("SecretHeaderVerifier(header_name={!r}, allow_bearer_prefix={!r})")
            .format(python_text(v.header_name()), v.allows_bearer_prefix());
      });

  py::class_<wh::StandardWebhooksVerifier>(
      module, "StandardWebhooksVerifier",
      "Checks Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature).")
      .def(py::init([](const py::object& secrets, double tolerance) {
             return wh::StandardWebhooksVerifier(secrets_from(secrets), tolerance_from(tolerance));
           }),
           py::arg("secrets"), py::kw_only(), py::arg("tolerance") = 300.0)
      .def(
          "verify",
          [](const wh::StandardWebhooksVerifier& verifier, const py::object& headers, const std::string& body,
             std::optional<double> now) { verifier.verify(headers_from(headers), body, time_at(now)); },
          py::arg("headers"), py::arg("body"), py::kw_only(), py::arg("now") = py::none(),
          "Raises WebhookVerificationError; `now` is Unix seconds (default: the current time).")
      .def(
          "is_valid",
          [](const wh::StandardWebhooksVerifier& verifier, const py::object& headers, const std::string& body,
             std::optional<double> now) { return verifier.is_valid(headers_from(headers), body, time_at(now)); },
          py::arg("headers"), py::arg("body"), py::kw_only(), py::arg("now") = py::none(),
          "The same check as verify, without raising.")
      .def(
          "sign",
          [](const wh::StandardWebhooksVerifier& verifier, std::string_view msg_id, std::int64_t timestamp,
             const std::string& body) { return verifier.sign(msg_id, timestamp, body); },
          py::arg("msg_id"), py::arg("timestamp"), py::arg("body"),
          "The webhook-signature value (`v1,<base64>`) with the first secret.")
      .def_property_readonly("tolerance",
                             [](const wh::StandardWebhooksVerifier& v) {
                               return static_cast<double>(v.tolerance().count());
                             })
      .def("__repr__", [](const wh::StandardWebhooksVerifier& v) {
        return py::str("StandardWebhooksVerifier(tolerance={!r})").format(static_cast<double>(v.tolerance().count()));
      });
}

// The payload as a dict (Event::to_json).
py::object event_dict(const wh::Event& event) { return json_value(event.to_json()); }

void bind_event(py::module_& module) {
  py::class_<wh::Event> event(module, "Event",
                              "One delivery's payload: known fields typed, every other member in `extra`. "
                              "Made by instantly.webhooks.parse.");
  event.def_property_readonly("event_type", &event_type_of)
      .def_readonly("timestamp", &wh::Event::timestamp)
      .def_readonly("workspace", &wh::Event::workspace)
      .def_readonly("campaign_id", &wh::Event::campaign_id)
      .def_readonly("campaign_name", &wh::Event::campaign_name)
      .def_readonly("lead_email", &wh::Event::lead_email)
      .def_readonly("email_account", &wh::Event::email_account)
      .def_readonly("unibox_url", &wh::Event::unibox_url)
      .def_readonly("step", &wh::Event::step)
      .def_readonly("variant", &wh::Event::variant)
      .def_readonly("is_first", &wh::Event::is_first)
      .def_readonly("email_id", &wh::Event::email_id)
      .def_readonly("email_subject", &wh::Event::email_subject)
      .def_readonly("email_text", &wh::Event::email_text)
      .def_readonly("email_html", &wh::Event::email_html)
      .def_readonly("reply_text_snippet", &wh::Event::reply_text_snippet)
      .def_readonly("reply_subject", &wh::Event::reply_subject)
      .def_readonly("reply_text", &wh::Event::reply_text)
      .def_readonly("reply_html", &wh::Event::reply_html)
      .def_property_readonly(
          "extra", [](const wh::Event& e) { return json_value(e.extra); }, "The members not listed above (a new dict).")
      .def("dedupe_key", &wh::Event::dedupe_key, "64 hex digits, the same for every delivery of this event.")
      .def("to_dict", &event_dict, "The payload as a dict; parse(json.dumps(d)) gives this event back.")
      .def(
          "to_json", [](const wh::Event& e) { return python_text(e.to_json().dump()); },
          "The payload as JSON text; parse(event.to_json()) == event.")
      .def("time", &event_time, "`timestamp` as a timezone-aware UTC datetime, or None when unreadable.")
      .def("__eq__",
           [](const wh::Event& self, const py::object& other) -> py::object {
             if (!py::isinstance<wh::Event>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(event_dict(self).equal(event_dict(other.cast<const wh::Event&>())));
           })
      .def("__hash__",
           [](const wh::Event& self) { return py::hash(py::str(self.dedupe_key())); })
      .def("__repr__", [](const wh::Event& e) {
        return py::str("Event(event_type={!r}, campaign_id={!r}, lead_email={!r}, timestamp={!r})")
            .format(python_text(e.event_type.value()), python_text(e.campaign_id), optional_text(e.lead_email),
                    python_text(e.timestamp));
      });
}

using OptionalText = std::optional<std::string>;

py::dict lead_dict(const wh::LeadEngagement& lead) {
  py::dict d;
  d["campaign_id"] = python_text(lead.campaign_id);
  d["lead_email"] = python_text(lead.lead_email);
  d["email_sent_at"] = optional_text(lead.email_sent_at);
  d["email_opened_at"] = optional_text(lead.email_opened_at);
  d["email_clicked_at"] = optional_text(lead.email_clicked_at);
  d["email_replied_at"] = optional_text(lead.email_replied_at);
  d["email_bounced_at"] = optional_text(lead.email_bounced_at);
  d["unsubscribed_at"] = optional_text(lead.unsubscribed_at);
  d["reply_count"] = lead.reply_count;
  d["email_status"] = python_text(lead.email_status);
  d["interest"] = optional_text(lead.interest);
  d["interest_at"] = optional_text(lead.interest_at);
  return d;
}

void bind_engagement(py::module_& module) {
  py::class_<wh::LeadEngagement>(module, "LeadEngagement",
                                 "Where one lead stands (a row of the lead table): earliest times per "
                                 "state, reply count, email_status and the latest interest.")
      .def(py::init([](std::string campaign_id, std::string lead_email, OptionalText email_sent_at,
                       OptionalText email_opened_at, OptionalText email_clicked_at, OptionalText email_replied_at,
                       OptionalText email_bounced_at, OptionalText unsubscribed_at, std::int64_t reply_count,
                       std::string email_status, OptionalText interest, OptionalText interest_at) {
             return wh::LeadEngagement{.campaign_id = std::move(campaign_id),
                                       .lead_email = std::move(lead_email),
                                       .email_sent_at = std::move(email_sent_at),
                                       .email_opened_at = std::move(email_opened_at),
                                       .email_clicked_at = std::move(email_clicked_at),
                                       .email_replied_at = std::move(email_replied_at),
                                       .email_bounced_at = std::move(email_bounced_at),
                                       .unsubscribed_at = std::move(unsubscribed_at),
                                       .reply_count = reply_count,
                                       .email_status = std::move(email_status),
                                       .interest = std::move(interest),
                                       .interest_at = std::move(interest_at)};
           }),
           py::kw_only(), py::arg("campaign_id"), py::arg("lead_email"), py::arg("email_sent_at") = py::none(),
           py::arg("email_opened_at") = py::none(), py::arg("email_clicked_at") = py::none(),
           py::arg("email_replied_at") = py::none(), py::arg("email_bounced_at") = py::none(),
           py::arg("unsubscribed_at") = py::none(), py::arg("reply_count") = 0, py::arg("email_status") = "",
           py::arg("interest") = py::none(), py::arg("interest_at") = py::none())
      .def_readonly("campaign_id", &wh::LeadEngagement::campaign_id)
      .def_readonly("lead_email", &wh::LeadEngagement::lead_email)
      .def_readonly("email_sent_at", &wh::LeadEngagement::email_sent_at)
      .def_readonly("email_opened_at", &wh::LeadEngagement::email_opened_at)
      .def_readonly("email_clicked_at", &wh::LeadEngagement::email_clicked_at)
      .def_readonly("email_replied_at", &wh::LeadEngagement::email_replied_at)
      .def_readonly("email_bounced_at", &wh::LeadEngagement::email_bounced_at)
      .def_readonly("unsubscribed_at", &wh::LeadEngagement::unsubscribed_at)
      .def_readonly("reply_count", &wh::LeadEngagement::reply_count)
      .def_readonly("email_status", &wh::LeadEngagement::email_status)
      .def_readonly("interest", &wh::LeadEngagement::interest)
      .def_readonly("interest_at", &wh::LeadEngagement::interest_at)
      .def("to_dict", &lead_dict, "Every attribute, by name (LeadEngagement(**d) gives it back).")
      .def("__eq__",
           [](const wh::LeadEngagement& self, const py::object& other) -> py::object {
             if (!py::isinstance<wh::LeadEngagement>(other)) {
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             }
             return py::bool_(self == other.cast<const wh::LeadEngagement&>());
           })
      .def("__repr__", [](const wh::LeadEngagement& lead) {
        return py::str("LeadEngagement(campaign_id={!r}, lead_email={!r}, email_status={!r}, reply_count={!r}, "
                       "interest={!r})")
            .format(python_text(lead.campaign_id), python_text(lead.lead_email), python_text(lead.email_status),
                    lead.reply_count, optional_text(lead.interest));
      });

  module.def(
      "webhooks_apply",
      [](const py::object& lead, const wh::Event& event) -> std::optional<wh::LeadEngagement> {
        wh::LeadEngagement row;
        if (py::isinstance<wh::LeadEngagement>(lead)) {
          row = lead.cast<wh::LeadEngagement>();
        } else if (!lead.is_none()) {
          if (!py::hasattr(lead, "keys")) throw py::type_error("apply takes a LeadEngagement, its to_dict() or None");
          row = py::type::of<wh::LeadEngagement>()(**py::dict(lead)).cast<wh::LeadEngagement>();
        }
        if (!wh::apply(row, event)) return std::nullopt;
        return row;
      },
      py::arg("lead"), py::arg("event"),
      "The lead's state with the event applied (a new LeadEngagement), or None when the event is not "
      "about this lead.");
  module.def("webhooks_lead_key", &wh::lead_key, py::arg("email"),
             "The form lead emails are keyed by: trimmed, ASCII lower-cased.");

  py::class_<wh::EngagementTracker>(module, "EngagementTracker",
                                    "Folds events into per-lead state; idempotent and order-independent. "
                                    "Not synchronised: one thread at a time.")
      .def(py::init<>())
      .def("apply", &wh::EngagementTracker::apply, py::arg("event"),
           "False when already applied (same dedupe key) or not about one lead.")
      .def(
          "find",
          [](const wh::EngagementTracker& tracker, std::string_view campaign_id,
             std::string_view lead_email) -> std::optional<wh::LeadEngagement> {
            const wh::LeadEngagement* lead = tracker.find(campaign_id, lead_email);
            if (lead == nullptr) return std::nullopt;
            return *lead;
          },
          py::arg("campaign_id"), py::arg("lead_email"), "The lead's state (lead_email in any case), or None.")
      .def("leads", &wh::EngagementTracker::leads, "Every lead, ordered by (campaign_id, lead_email).")
      .def("__len__", &wh::EngagementTracker::size)
      .def_property_readonly("applied", &wh::EngagementTracker::applied)
      .def("__repr__", [](const wh::EngagementTracker& tracker) {
        return py::str("<EngagementTracker leads={} applied={}>").format(tracker.size(), tracker.applied());
      });
}

}  // namespace

void bind_webhooks(py::module_& module) {
  const std::string name = module.attr("__name__").cast<std::string>();
  const std::size_t dot = name.rfind('.');
  if (dot != std::string::npos) package_name() = name.substr(0, dot);

  bind_verifiers(module);
  bind_event(module);
  bind_engagement(module);
  module.def("webhooks_generate_secret", &wh::generate_secret,
             "A random secret for a subscription's header (43 URL-safe base64 characters).");
  module.def(
      "webhooks_parse",
      [](const std::string& body, std::size_t max_body_bytes) {
        return wh::parse_event(body, wh::ParseOptions{.max_body_bytes = max_body_bytes});
      },
      py::arg("body"), py::kw_only(), py::arg("max_body_bytes") = std::size_t{1} << 20,
      "Parses one delivery body; raises DecodeError.");
}

}  // namespace instantly_python
