// The C++ half of `instantly.workflows.AnalyticsSync` (instantly/workflows/analytics_sync.hpp):
// `_core.AnalyticsSyncCore` and the typed results it returns — `CampaignSnapshot`,
// `CampaignDelta`, `AnalyticsOverview`, `CampaignDailyAnalytics`, `CampaignStepAnalytics`,
// `AnalyticsSyncResult`.
//
// Counters are flat attributes in Python (`snapshot.emails_sent`, not `snapshot.counters...`), the
// rates properties (`snapshot.reply_rate`, None while nobody was contacted), times timezone-aware
// UTC datetimes. Every call runs with the GIL released and is interruptible by Ctrl-C; the work
// holds a shared_ptr to the C++ object and C++ copies only, so an abandoned call finishes safely.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core.hpp"
#include "instantly/error.hpp"
#include "instantly/workflows/analytics_sync.hpp"
#include "interruptible.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wf = instantly::workflows;
using std::chrono::system_clock;

// ---------------------------------------------------------------- conversions

py::object utc_datetime(system_clock::time_point at) {
  const py::module_ datetime = py::module_::import("datetime");
  const py::object utc = datetime.attr("timezone").attr("utc");
  const py::object epoch = datetime.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = utc);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  return epoch + datetime.attr("timedelta")(py::arg("microseconds") = micros);
}

// A datetime (naive ones read as UTC) or Unix seconds.
system_clock::time_point time_from(const py::handle& value) {
  const py::module_ datetime = py::module_::import("datetime");
  if (py::isinstance(value, datetime.attr("datetime"))) {
    const py::object utc = datetime.attr("timezone").attr("utc");
    py::object aware = value.attr("tzinfo").is_none()
                           ? value.attr("replace")(py::arg("tzinfo") = utc)
                           : py::reinterpret_borrow<py::object>(value);
    const py::object epoch = datetime.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = utc);
    const py::object one_microsecond = datetime.attr("timedelta")(py::arg("microseconds") = 1);
    const py::object micros = (aware - epoch).attr("__floordiv__")(one_microsecond);
    return system_clock::time_point(std::chrono::microseconds(micros.cast<std::int64_t>()));
  }
  if (py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value)) {
    const auto micros = static_cast<std::int64_t>(value.cast<double>() * 1e6);
    return system_clock::time_point(std::chrono::microseconds(micros));
  }
  throw instantly::ValidationError("taken_at must be a datetime or Unix seconds");
}

py::object optional_rate(const std::optional<double>& rate) {
  return rate ? py::object(py::float_(*rate)) : py::object(py::none());
}

// ---------------------------------------------------------------- counters and rates

struct CounterField {
  const char* name;
  std::int64_t wf::AnalyticsCounters::* member;
  const char* doc;
};

constexpr CounterField kCounters[] = {
    {"contacted", &wf::AnalyticsCounters::contacted, "Leads that got at least one email (contacted_count)."},
    {"new_leads_contacted", &wf::AnalyticsCounters::new_leads_contacted, "new_leads_contacted_count."},
    {"emails_sent", &wf::AnalyticsCounters::emails_sent, "emails_sent_count."},
    {"opened", &wf::AnalyticsCounters::opened, "Every open (open_count)."},
    {"opened_unique", &wf::AnalyticsCounters::opened_unique, "Leads that opened (open_count_unique)."},
    {"replies", &wf::AnalyticsCounters::replies, "Replies by people (reply_count)."},
    {"replies_unique", &wf::AnalyticsCounters::replies_unique, "Leads that replied (reply_count_unique)."},
    {"replies_automatic", &wf::AnalyticsCounters::replies_automatic, "Automatic replies (reply_count_automatic)."},
    {"replies_automatic_unique", &wf::AnalyticsCounters::replies_automatic_unique, "reply_count_automatic_unique."},
    {"clicks", &wf::AnalyticsCounters::clicks, "Every link click (link_click_count)."},
    {"clicks_unique", &wf::AnalyticsCounters::clicks_unique, "Leads that clicked (link_click_count_unique)."},
    {"bounced", &wf::AnalyticsCounters::bounced, "bounced_count."},
    {"unsubscribed", &wf::AnalyticsCounters::unsubscribed, "unsubscribed_count."},
    {"completed", &wf::AnalyticsCounters::completed, "Leads through every step (completed_count)."},
    {"opportunities", &wf::AnalyticsCounters::opportunities, "total_opportunities."},
};

struct RateField {
  const char* name;
  std::optional<double> wf::AnalyticsRates::* member;
  const char* doc;
};

constexpr RateField kRates[] = {
    {"open_rate", &wf::AnalyticsRates::open, "opened_unique / contacted; None while contacted is 0."},
    {"reply_rate", &wf::AnalyticsRates::reply, "replies_unique / contacted; None while contacted is 0."},
    {"click_rate", &wf::AnalyticsRates::click, "clicks_unique / contacted; None while contacted is 0."},
    {"bounce_rate", &wf::AnalyticsRates::bounce, "bounced / contacted; None while contacted is 0."},
    {"unsubscribe_rate", &wf::AnalyticsRates::unsubscribe, "unsubscribed / contacted; None while contacted is 0."},
};

// Adds every counter (and, with `with_rates`, every rate) of `counters_of(self)` as read-only properties.
template <class T>
void add_counters(py::class_<T, std::shared_ptr<T>>& cls, const wf::AnalyticsCounters& (*counters_of)(const T&),
                  bool with_rates) {
  for (const CounterField& field : kCounters) {
    cls.def_property_readonly(
        field.name, [counters_of, member = field.member](const T& self) { return counters_of(self).*member; },
        field.doc);
  }
  cls.def_property_readonly(
      "opportunity_value", [counters_of](const T& self) { return counters_of(self).opportunity_value; },
      "total_opportunity_value.");
  if (!with_rates) return;
  for (const RateField& field : kRates) {
    cls.def_property_readonly(
        field.name,
        [counters_of, member = field.member](const T& self) {
          return optional_rate(counters_of(self).rates().*member);
        },
        field.doc);
  }
}

void put_counters(py::dict& d, const wf::AnalyticsCounters& c, bool with_rates) {
  for (const CounterField& field : kCounters) d[field.name] = c.*(field.member);
  d["opportunity_value"] = c.opportunity_value;
  if (!with_rates) return;
  const wf::AnalyticsRates rates = c.rates();
  for (const RateField& field : kRates) d[field.name] = optional_rate(rates.*(field.member));
}

const wf::AnalyticsCounters& snapshot_counters(const wf::CampaignSnapshot& s) { return s.counters; }
const wf::AnalyticsCounters& delta_counters(const wf::CampaignDelta& d) { return d.counters; }
const wf::AnalyticsCounters& overview_counters(const wf::AnalyticsOverview& o) { return o.counters; }

py::object optional_status(const std::optional<instantly::CampaignStatus>& status) {
  return status ? py::object(py::int_(static_cast<std::int64_t>(*status))) : py::object(py::none());
}

py::object optional_text(const std::optional<std::string>& text) {
  return text ? py::object(python_text(*text)) : py::object(py::none());
}

// ---------------------------------------------------------------- snapshots and deltas

py::dict snapshot_dict(const wf::CampaignSnapshot& s) {
  py::dict d;
  d["campaign_id"] = python_text(s.campaign_id);
  d["campaign_name"] = python_text(s.campaign_name);
  d["campaign_status"] = optional_status(s.campaign_status);
  d["is_evergreen"] = s.is_evergreen;
  d["reported"] = s.reported;
  d["taken_at"] = utc_datetime(s.taken_at);
  d["leads_count"] = s.leads_count;
  put_counters(d, s.counters, true);
  return d;
}

// The inverse of snapshot_dict (rates are derived, so ignored); absent counters read as 0.
wf::CampaignSnapshot snapshot_from_dict(const py::dict& d) {
  if (!d.contains("campaign_id")) throw instantly::ValidationError("a snapshot dict needs campaign_id");
  wf::CampaignSnapshot s;
  s.campaign_id = d["campaign_id"].cast<std::string>();
  if (d.contains("campaign_name") && !d["campaign_name"].is_none()) {
    s.campaign_name = d["campaign_name"].cast<std::string>();
  }
  if (d.contains("campaign_status") && !d["campaign_status"].is_none()) {
    s.campaign_status = static_cast<instantly::CampaignStatus>(d["campaign_status"].cast<std::int64_t>());
  }
  if (d.contains("is_evergreen")) s.is_evergreen = d["is_evergreen"].cast<bool>();
  if (d.contains("reported")) s.reported = d["reported"].cast<bool>();
  if (d.contains("taken_at")) s.taken_at = time_from(d["taken_at"]);
  if (d.contains("leads_count")) s.leads_count = d["leads_count"].cast<std::int64_t>();
  for (const CounterField& field : kCounters) {
    if (d.contains(field.name)) s.counters.*(field.member) = d[field.name].cast<std::int64_t>();
  }
  if (d.contains("opportunity_value")) s.counters.opportunity_value = d["opportunity_value"].cast<double>();
  return s;
}

py::dict delta_dict(const wf::CampaignDelta& delta) {
  py::dict d;
  d["campaign_id"] = python_text(delta.campaign_id);
  d["first_seen"] = delta.first_seen;
  d["since"] = delta.since ? utc_datetime(*delta.since) : py::object(py::none());
  d["leads_count"] = delta.leads_count;
  put_counters(d, delta.counters, false);
  return d;
}

template <class T>
auto equality() {
  return [](const T& self, const py::object& other) -> py::object {
    if (!py::isinstance<T>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::bool_(self == other.cast<const T&>());
  };
}

void bind_snapshots(py::module_& module) {
  py::class_<wf::CampaignSnapshot, std::shared_ptr<wf::CampaignSnapshot>> snapshot(
      module, "CampaignSnapshot", "One campaign's analytics at one moment (made by AnalyticsSync.sync).");
  snapshot.def_readonly("campaign_id", &wf::CampaignSnapshot::campaign_id)
      .def_readonly("campaign_name", &wf::CampaignSnapshot::campaign_name, "Empty when unknown.")
      .def_property_readonly(
          "campaign_status", [](const wf::CampaignSnapshot& s) { return optional_status(s.campaign_status); },
          "The API's status number (0 draft, 1 active, ...); None when unknown.")
      .def_readonly("is_evergreen", &wf::CampaignSnapshot::is_evergreen)
      .def_readonly("reported", &wf::CampaignSnapshot::reported,
                    "False when the API returned no row for the campaign and the counters are zeros.")
      .def_property_readonly(
          "taken_at", [](const wf::CampaignSnapshot& s) { return utc_datetime(s.taken_at); },
          "When the sync that made it started (timezone-aware UTC).")
      .def_readonly("leads_count", &wf::CampaignSnapshot::leads_count,
                    "Leads in the campaign now (not bound by the date range).");
  add_counters(snapshot, &snapshot_counters, true);
  snapshot.def("to_dict", &snapshot_dict, "Every attribute and rate, by name.")
      .def_static("from_dict", &snapshot_from_dict, py::arg("data"),
                  "The snapshot a to_dict() (or a stored row with the same keys) describes.")
      .def("__eq__", equality<wf::CampaignSnapshot>())
      .def("__repr__", [](const wf::CampaignSnapshot& s) {
        return py::str("CampaignSnapshot(campaign_id={!r}, campaign_name={!r}, contacted={}, emails_sent={}, "
                       "reply_rate={!r})")
            .format(python_text(s.campaign_id), python_text(s.campaign_name), s.counters.contacted,
                    s.counters.emails_sent, optional_rate(s.rates().reply));
      });

  py::class_<wf::CampaignDelta, std::shared_ptr<wf::CampaignDelta>> delta(
      module, "CampaignDelta", "What changed for one campaign since the previous snapshot.");
  delta.def_readonly("campaign_id", &wf::CampaignDelta::campaign_id)
      .def_readonly("first_seen", &wf::CampaignDelta::first_seen,
                    "No previous snapshot: the delta is the whole current value.")
      .def_property_readonly(
          "since",
          [](const wf::CampaignDelta& d) { return d.since ? utc_datetime(*d.since) : py::object(py::none()); },
          "taken_at of the previous snapshot; None when first_seen.")
      .def_readonly("leads_count", &wf::CampaignDelta::leads_count);
  add_counters(delta, &delta_counters, false);
  delta.def("to_dict", &delta_dict, "Every attribute, by name.")
      .def("__eq__", equality<wf::CampaignDelta>())
      .def("__repr__", [](const wf::CampaignDelta& d) {
        return py::str("CampaignDelta(campaign_id={!r}, first_seen={}, emails_sent={:+d}, replies_unique={:+d})")
            .format(python_text(d.campaign_id), d.first_seen ? "True" : "False", d.counters.emails_sent,
                    d.counters.replies_unique);
      });
}

// ---------------------------------------------------------------- overview, daily, steps

py::dict overview_dict(const wf::AnalyticsOverview& o) {
  py::dict d;
  put_counters(d, o.counters, true);
  d["interested"] = o.interested;
  d["meetings_booked"] = o.meetings_booked;
  d["meetings_completed"] = o.meetings_completed;
  d["closed"] = o.closed;
  return d;
}

// The fields CampaignDailyAnalytics and CampaignStepAnalytics share, by name.
template <class T>
using Int64Field = std::pair<const char*, std::int64_t T::*>;

template <class T>
std::vector<Int64Field<T>> activity_fields() {
  std::vector<Int64Field<T>> fields = {
      {"sent", &T::sent},
      {"opened", &T::opened},
      {"opened_unique", &T::opened_unique},
      {"replies", &T::replies},
      {"replies_unique", &T::replies_unique},
      {"replies_automatic", &T::replies_automatic},
      {"replies_automatic_unique", &T::replies_automatic_unique},
      {"clicks", &T::clicks},
      {"clicks_unique", &T::clicks_unique},
  };
  if constexpr (std::is_same_v<T, wf::CampaignDailyAnalytics>) {
    fields.insert(fields.end(), {{"contacted", &T::contacted},
                                 {"new_leads_contacted", &T::new_leads_contacted},
                                 {"opportunities", &T::opportunities},
                                 {"opportunities_unique", &T::opportunities_unique}});
  }
  return fields;
}

template <class T>
py::dict activity_dict(const T& row) {
  py::dict d;
  d["campaign_id"] = optional_text(row.campaign_id);
  if constexpr (std::is_same_v<T, wf::CampaignDailyAnalytics>) {
    d["date"] = python_text(row.date);
  } else {
    d["step"] = optional_text(row.step);
    d["variant"] = optional_text(row.variant);
  }
  for (const auto& [name, member] : activity_fields<T>()) d[name] = row.*member;
  return d;
}

template <class T>
py::class_<T, std::shared_ptr<T>> bind_activity(py::module_& module, const char* name, const char* doc) {
  py::class_<T, std::shared_ptr<T>> cls(module, name, doc);
  cls.def_property_readonly(
      "campaign_id", [](const T& row) { return optional_text(row.campaign_id); },
      "The campaign the row counts; None for a row over the whole workspace.");
  for (const auto& [field, member] : activity_fields<T>()) cls.def_readonly(field, member);
  cls.def("to_dict", &activity_dict<T>, "Every attribute, by name.").def("__eq__", equality<T>());
  cls.def("__repr__", [name](const T& row) {
    py::list parts;
    for (const auto& [key, value] : activity_dict<T>(row)) parts.append(py::str("{}={!r}").format(key, value));
    return py::str("{}({})").format(name, py::str(", ").attr("join")(parts));
  });
  return cls;
}

void bind_extras(py::module_& module) {
  py::class_<wf::AnalyticsOverview, std::shared_ptr<wf::AnalyticsOverview>> overview(
      module, "AnalyticsOverview", "The followed campaigns together (/campaigns/analytics/overview).");
  add_counters(overview, &overview_counters, true);
  overview.def_readonly("interested", &wf::AnalyticsOverview::interested)
      .def_readonly("meetings_booked", &wf::AnalyticsOverview::meetings_booked)
      .def_readonly("meetings_completed", &wf::AnalyticsOverview::meetings_completed)
      .def_readonly("closed", &wf::AnalyticsOverview::closed)
      .def("to_dict", &overview_dict, "Every attribute and rate, by name.")
      .def("__eq__", equality<wf::AnalyticsOverview>())
      .def("__repr__", [](const wf::AnalyticsOverview& o) {
        return py::str("AnalyticsOverview(contacted={}, emails_sent={}, replies_unique={}, reply_rate={!r})")
            .format(o.counters.contacted, o.counters.emails_sent, o.counters.replies_unique,
                    optional_rate(o.rates().reply));
      });

  bind_activity<wf::CampaignDailyAnalytics>(module, "CampaignDailyAnalytics", "One day of /campaigns/analytics/daily.")
      .def_readonly("date", &wf::CampaignDailyAnalytics::date, "YYYY-MM-DD.");
  bind_activity<wf::CampaignStepAnalytics>(module, "CampaignStepAnalytics",
                                           "One step and variant of /campaigns/analytics/steps.")
      .def_property_readonly(
          "step", [](const wf::CampaignStepAnalytics& s) { return optional_text(s.step); },
          "As the API sends it (\"1\", ...); None when null.")
      .def_property_readonly(
          "variant", [](const wf::CampaignStepAnalytics& s) { return optional_text(s.variant); },
          "\"0\" is variant A; None when null.");
}

// ---------------------------------------------------------------- the result

template <class T>
py::list list_of(const std::vector<T>& items) {
  py::list out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i] = py::cast(items[i]);
  return out;
}

void bind_result(py::module_& module) {
  py::class_<wf::AnalyticsSyncResult, std::shared_ptr<wf::AnalyticsSyncResult>>(
      module, "AnalyticsSyncResult", "What one AnalyticsSync.sync() saw.")
      .def_property_readonly(
          "taken_at", [](const wf::AnalyticsSyncResult& r) { return utc_datetime(r.taken_at); },
          "When the sync started (timezone-aware UTC).")
      .def_property_readonly(
          "snapshots", [](const wf::AnalyticsSyncResult& r) { return list_of(r.snapshots); },
          "One per followed campaign (a new list).")
      .def_property_readonly(
          "deltas", [](const wf::AnalyticsSyncResult& r) { return list_of(r.deltas); },
          "One per snapshot, same order (a new list).")
      .def_readonly("dropped", &wf::AnalyticsSyncResult::dropped,
                    "Campaign ids of the previous set without a snapshot now.")
      .def_property_readonly(
          "overview",
          [](const wf::AnalyticsSyncResult& r) { return r.overview ? py::cast(*r.overview) : py::object(py::none()); },
          "Set with include_overview; else None.")
      .def_property_readonly(
          "daily", [](const wf::AnalyticsSyncResult& r) { return list_of(r.daily); },
          "Daily rows asked for with daily=...; else empty.")
      .def_property_readonly(
          "steps", [](const wf::AnalyticsSyncResult& r) { return list_of(r.steps); },
          "Step rows asked for with steps=...; else empty.")
      .def_readonly("analytics_calls", &wf::AnalyticsSyncResult::analytics_calls,
                    "GET /campaigns/analytics calls this sync made.")
      .def_readonly("requests", &wf::AnalyticsSyncResult::requests, "Every call this sync made.")
      .def(
          "find",
          [](const wf::AnalyticsSyncResult& r, const std::string& id) -> py::object {
            const wf::CampaignSnapshot* s = r.find(id);
            return s ? py::cast(*s) : py::object(py::none());
          },
          py::arg("campaign_id"), "The snapshot of campaign_id, or None.")
      .def(
          "find_delta",
          [](const wf::AnalyticsSyncResult& r, const std::string& id) -> py::object {
            const wf::CampaignDelta* d = r.find_delta(id);
            return d ? py::cast(*d) : py::object(py::none());
          },
          py::arg("campaign_id"), "The delta of campaign_id, or None.")
      .def("__repr__", [](const wf::AnalyticsSyncResult& r) {
        return py::str("AnalyticsSyncResult(taken_at={!r}, campaigns={}, requests={})")
            .format(utc_datetime(r.taken_at), r.snapshots.size(), r.requests);
      });
}

// ---------------------------------------------------------------- the sync

wf::ActivityScope scope_from(const std::optional<std::string>& name, const char* what) {
  if (!name) return wf::ActivityScope::None;
  if (*name == "workspace") return wf::ActivityScope::Workspace;
  if (*name == "per_campaign") return wf::ActivityScope::PerCampaign;
  throw instantly::ValidationError(std::string(what) + " must be None, 'workspace' or 'per_campaign', got '" + *name +
                                   "'");
}

std::shared_ptr<wf::AnalyticsSync> make_sync(const Core& core, std::vector<std::string> campaign_ids,
                                             std::size_t chunk_size, std::optional<std::string> start_date,
                                             std::optional<std::string> end_date, bool include_overview,
                                             const std::optional<std::string>& daily,
                                             const std::optional<std::string>& steps) {
  wf::AnalyticsSyncOptions options{.campaign_ids = std::move(campaign_ids),
                                   .chunk_size = chunk_size,
                                   .start_date = std::move(start_date),
                                   .end_date = std::move(end_date),
                                   .include_overview = include_overview,
                                   .daily = scope_from(daily, "daily"),
                                   .steps = scope_from(steps, "steps")};
  return std::make_shared<wf::AnalyticsSync>(core.client(), std::move(options));
}

using SyncPtr = std::shared_ptr<wf::AnalyticsSync>;

void bind_sync(py::module_& module) {
  py::class_<wf::AnalyticsSync, SyncPtr>(module, "AnalyticsSyncCore",
                                         "The C++ AnalyticsSync; instantly.workflows.AnalyticsSync wraps it.")
      .def(py::init(&make_sync), py::arg("core"), py::kw_only(), py::arg("campaign_ids"), py::arg("chunk_size"),
           py::arg("start_date"), py::arg("end_date"), py::arg("include_overview"), py::arg("daily"),
           py::arg("steps"))
      .def(
          "sync",
          [](const SyncPtr& self, std::optional<std::vector<wf::CampaignSnapshot>> previous) {
            return call_stoppably<wf::AnalyticsSyncResult>([&](std::stop_token stop) {
              return previous ? self->sync(std::span<const wf::CampaignSnapshot>(*previous), stop)
                              : self->sync(stop);
            });
          },
          py::arg("previous") = py::none(),
          "Snapshots, deltas (against `previous` or the last sync) and the extras asked for.")
      .def(
          "previous", [](const SyncPtr& self) { return list_of(self->previous()); },
          "The snapshots the next sync compares against.")
      .def(
          "overview",
          [](const SyncPtr& self) {
            return call_stoppably<wf::AnalyticsOverview>([&](std::stop_token stop) { return self->overview(stop); });
          },
          "/campaigns/analytics/overview for the followed campaigns.")
      .def(
          "daily",
          [](const SyncPtr& self, std::optional<std::string> campaign_id) {
            return list_of(call_stoppably<std::vector<wf::CampaignDailyAnalytics>>(
                [&](std::stop_token stop) { return self->daily(campaign_id, stop); }));
          },
          py::arg("campaign_id") = py::none(), "/campaigns/analytics/daily for one campaign or the workspace.")
      .def(
          "steps",
          [](const SyncPtr& self, std::optional<std::string> campaign_id) {
            return list_of(call_stoppably<std::vector<wf::CampaignStepAnalytics>>(
                [&](std::stop_token stop) { return self->steps(campaign_id, stop); }));
          },
          py::arg("campaign_id") = py::none(), "/campaigns/analytics/steps for one campaign or the workspace.");
}

}  // namespace

void bind_analytics_sync(py::module_& module) {
  bind_snapshots(module);
  bind_extras(module);
  bind_result(module);
  bind_sync(module);
}

}  // namespace instantly_python
