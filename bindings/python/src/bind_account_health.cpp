// `_core.AccountHealthRunner` (instantly/workflows/account_health.hpp), used by
// `instantly.workflows.AccountHealth`, and `_core.account_health_defaults`.
//
// Options cross as plain values (thresholds as a dict of numbers and level names) and results
// come back as dicts that the Python side turns into dataclasses: the C++ structs stay private.
// `check` runs with the GIL released and, on the main thread, can be interrupted by Ctrl-C.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core.hpp"
#include "instantly/error.hpp"
#include "instantly/workflows/account_health.hpp"
#include "interruptible.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wf = instantly::workflows;

// ---------------------------------------------------------------- options in

wf::HealthLevel level_from(const py::handle& value, const std::string& key) {
  const std::optional<wf::HealthLevel> level =
      py::isinstance<py::str>(value) ? wf::health_level_from_string(value.cast<std::string>()) : std::nullopt;
  if (!level) throw instantly::ValidationError("thresholds." + key + " must be 'ok', 'warning' or 'critical'");
  return *level;
}

double number_from(const py::handle& value, const std::string& key) {
  if (py::isinstance<py::bool_>(value) || !(py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value))) {
    throw instantly::ValidationError("thresholds." + key + " must be a number");
  }
  return value.cast<double>();
}

wf::HealthThresholds thresholds_from(const py::dict& given) {
  wf::HealthThresholds t;
  for (const auto& [k, value] : given) {
    const std::string key = py::str(k);
    if (key == "warmup_score_warning") t.warmup_score_warning = number_from(value, key);
    else if (key == "warmup_score_critical") t.warmup_score_critical = number_from(value, key);
    else if (key == "bounce_rate_warning") t.bounce_rate_warning = number_from(value, key);
    else if (key == "bounce_rate_critical") t.bounce_rate_critical = number_from(value, key);
    else if (key == "min_sent_for_bounce_rate") {
      if (py::isinstance<py::bool_>(value) || !py::isinstance<py::int_>(value)) {
        throw instantly::ValidationError("thresholds.min_sent_for_bounce_rate must be an int");
      }
      t.min_sent_for_bounce_rate = value.cast<std::int64_t>();
    } else if (key == "mx_failing") t.mx_failing = level_from(value, key);
    else if (key == "spf_failing") t.spf_failing = level_from(value, key);
    else if (key == "dkim_failing") t.dkim_failing = level_from(value, key);
    else if (key == "dmarc_failing") t.dmarc_failing = level_from(value, key);
    else if (key == "warmup_paused") t.warmup_paused = level_from(value, key);
    else if (key == "vitals_unknown") t.vitals_unknown = level_from(value, key);
    else throw instantly::ValidationError("unknown threshold '" + key + "'");
  }
  return t;
}

std::size_t batch_size(std::int64_t value, const char* name) {
  if (value < 1) throw instantly::ValidationError(std::string(name) + " must be at least 1");
  return static_cast<std::size_t>(value);
}

std::chrono::sys_days day_from(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0;
  char tail = 0;
  const std::chrono::year_month_day ymd =
      std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) == 3 && text.size() == 10
          ? std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month), std::chrono::day(day))
          : std::chrono::year_month_day();
  if (!ymd.ok()) throw instantly::ValidationError("end_date must be a date (YYYY-MM-DD), got '" + text + "'");
  return std::chrono::sys_days(ymd);
}

// ---------------------------------------------------------------- results out

py::object optional_number(const std::optional<double>& value) {
  return value ? py::object(py::float_(*value)) : py::object(py::none());
}

py::object optional_flag(const std::optional<bool>& value) {
  return value ? py::object(py::bool_(*value)) : py::object(py::none());
}

template <class Enum>
py::object optional_code(const std::optional<Enum>& value) {
  return value ? py::object(py::int_(static_cast<std::int64_t>(*value))) : py::object(py::none());
}

py::dict result_dict(const wf::AccountHealthResult& r) {
  py::list reasons;
  for (const auto& reason : r.reasons) {
    py::dict d;
    d["code"] = std::string(wf::to_string(reason.code));
    d["level"] = std::string(wf::to_string(reason.level));
    d["message"] = python_text(reason.message);
    reasons.append(std::move(d));
  }
  py::dict d;
  d["email"] = python_text(r.email);
  d["found"] = r.found;
  d["level"] = std::string(wf::to_string(r.level));
  d["reasons"] = std::move(reasons);
  d["status"] = optional_code(r.status);
  d["status_detail"] = r.status_detail.empty() ? py::object(py::none()) : py::object(python_text(r.status_detail));
  d["warmup_status"] = optional_code(r.warmup_status);
  d["warmup_score"] = optional_number(r.warmup_score);
  if (r.warmup) {
    py::dict w;
    w["sent"] = r.warmup->sent;
    w["received"] = r.warmup->received;
    w["landed_inbox"] = r.warmup->landed_inbox;
    w["landed_spam"] = r.warmup->landed_spam;
    d["warmup"] = std::move(w);
  } else {
    d["warmup"] = py::none();
  }
  if (r.vitals) {
    py::dict v;
    v["domain"] = python_text(r.vitals->domain);
    v["mx"] = optional_flag(r.vitals->mx);
    v["spf"] = optional_flag(r.vitals->spf);
    v["dkim"] = optional_flag(r.vitals->dkim);
    v["dmarc"] = optional_flag(r.vitals->dmarc);
    v["all_pass"] = optional_flag(r.vitals->all_pass);
    d["vitals"] = std::move(v);
  } else {
    d["vitals"] = py::none();
  }
  d["sent"] = r.sent;
  d["bounced"] = r.bounced;
  d["bounce_rate"] = optional_number(r.bounce_rate);
  return d;
}

py::dict defaults_dict() {
  const wf::AccountHealthOptions o;
  const wf::HealthThresholds& t = o.thresholds;
  py::dict thresholds;
  thresholds["warmup_score_warning"] = t.warmup_score_warning;
  thresholds["warmup_score_critical"] = t.warmup_score_critical;
  thresholds["bounce_rate_warning"] = t.bounce_rate_warning;
  thresholds["bounce_rate_critical"] = t.bounce_rate_critical;
  thresholds["min_sent_for_bounce_rate"] = t.min_sent_for_bounce_rate;
  thresholds["mx_failing"] = std::string(wf::to_string(t.mx_failing));
  thresholds["spf_failing"] = std::string(wf::to_string(t.spf_failing));
  thresholds["dkim_failing"] = std::string(wf::to_string(t.dkim_failing));
  thresholds["dmarc_failing"] = std::string(wf::to_string(t.dmarc_failing));
  thresholds["warmup_paused"] = std::string(wf::to_string(t.warmup_paused));
  thresholds["vitals_unknown"] = std::string(wf::to_string(t.vitals_unknown));
  py::dict d;
  d["thresholds"] = std::move(thresholds);
  d["window_days"] = o.window_days;
  d["vitals_batch_size"] = o.vitals_batch_size;
  d["warmup_batch_size"] = o.warmup_batch_size;
  d["daily_batch_size"] = o.daily_batch_size;
  py::list codes;
  for (std::size_t i = 0; i < wf::kHealthReasonCodeCount; ++i) {
    codes.append(std::string(wf::to_string(static_cast<wf::HealthReasonCode>(i))));
  }
  d["reason_codes"] = std::move(codes);
  return d;
}

// ---------------------------------------------------------------- the runner

// Holds the Python Core (touched only with the GIL) and the validated options; every check
// takes a fresh client copy, so a closed client fails the way every other call does.
class AccountHealthRunner {
 public:
  AccountHealthRunner(py::object core, wf::AccountHealthOptions options)
      : core_(std::move(core)), options_(std::move(options)) {
    // Bad options raise ValidationError here, at construction, not at the first check.
    [[maybe_unused]] const wf::AccountHealth validated(core_.cast<const Core&>().client(), options_);
  }

  py::list check(const std::optional<std::vector<std::string>>& emails) const {
    const instantly::Client client = core_.cast<const Core&>().client();
    std::vector<wf::AccountHealthResult> results = call_stoppably<std::vector<wf::AccountHealthResult>>(
        [&](std::stop_token stop) {
          wf::AccountHealthOptions options = options_;
          options.stop = std::move(stop);
          const wf::AccountHealth health(client, std::move(options));
          return emails ? health.check(*emails) : health.check();
        });
    py::list out;
    for (const auto& result : results) out.append(result_dict(result));
    return out;
  }

 private:
  py::object core_;
  wf::AccountHealthOptions options_;
};

}  // namespace

void bind_account_health(py::module_& module) {
  py::class_<AccountHealthRunner>(module, "AccountHealthRunner",
                                  "The C++ AccountHealth; instantly.workflows.AccountHealth wraps it.")
      .def(py::init([](py::object core, const py::dict& thresholds, int window_days,
                       const std::optional<std::string>& end_date, std::int64_t vitals_batch_size,
                       std::int64_t warmup_batch_size, std::int64_t daily_batch_size) {
             if (!py::isinstance<Core>(core)) throw instantly::ValidationError("core must be an instantly._core.Core");
             wf::AccountHealthOptions options{.thresholds = thresholds_from(thresholds),
                                              .window_days = window_days,
                                              .vitals_batch_size = batch_size(vitals_batch_size, "vitals_batch_size"),
                                              .warmup_batch_size = batch_size(warmup_batch_size, "warmup_batch_size"),
                                              .daily_batch_size = batch_size(daily_batch_size, "daily_batch_size")};
             if (end_date) options.end_date = day_from(*end_date);
             return AccountHealthRunner(std::move(core), std::move(options));
           }),
           py::arg("core"), py::kw_only(), py::arg("thresholds"), py::arg("window_days"), py::arg("end_date"),
           py::arg("vitals_batch_size"), py::arg("warmup_batch_size"), py::arg("daily_batch_size"))
      .def("check", &AccountHealthRunner::check, py::arg("emails"),
           "Checks the given accounts (None: every account); a list of result dicts.");
  module.def("account_health_defaults", &defaults_dict,
             "The C++ defaults: thresholds, window_days, batch sizes and the reason codes in order.");
}

}  // namespace instantly_python
