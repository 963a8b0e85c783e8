// The workflows' C++ half (instantly/workflows/*.hpp), used by `instantly.workflows` and by
// `client.leads.import_leads`: `_core.LeadRecord`, `_core.ImportResult`,
// `_core.workflows_import_leads` and the JSON-in/JSON-out helpers (`workflows_*`).
//
// The import runs the C++ LeadImporter with the GIL released. Its input is a Python iterator:
// the importer's reading thread takes the GIL only to pull and convert the next batch of leads,
// and its sender threads take it only to call the progress callback. An exception raised by
// either Python callable is kept here, turned into a C++ exception the importer understands (it
// stops the import and rethrows after joining its threads) and raised again in Python once the
// run is over. On Python's main thread, Ctrl-C requests the importer's stop and waits for the
// chunks in flight before raising.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "async_call.hpp"
#include "bindings.hpp"
#include "core.hpp"
#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/workflows/business_lead.hpp"
#include "instantly/workflows/campaign_builder.hpp"
#include "instantly/workflows/lead_import.hpp"
#include "interruptible.hpp"
#include "plain_lead.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wf = instantly::workflows;

// ---------------------------------------------------------------- records and reports

// The outcome names as Python strings, made once (a million records share 12 objects).
const py::str& outcome_name(wf::LeadOutcome outcome) {
  static const std::vector<py::str>* names = [] {
    auto* made = new std::vector<py::str>;  // leaked: Python objects must not die at exit
    for (std::size_t i = 0; i < wf::kLeadOutcomeCount; ++i) {
      made->push_back(py::str(std::string(wf::to_string(static_cast<wf::LeadOutcome>(i)))));
    }
    return made;
  }();
  return (*names)[static_cast<std::size_t>(outcome)];
}

wf::LeadOutcome outcome_from(const std::string& name) {
  const std::optional<wf::LeadOutcome> outcome = wf::lead_outcome_from_string(name);
  if (!outcome) throw instantly::ValidationError("unknown lead outcome: '" + name + "'");
  return *outcome;
}

py::object text_or_none(const std::string& text) {
  return text.empty() ? py::object(py::none()) : py::object(python_text(text));
}

py::dict record_dict(const wf::LeadRecord& r) {
  py::dict d;
  d["index"] = r.index;
  d["outcome"] = outcome_name(r.outcome);
  d["lead_id"] = text_or_none(r.lead_id);
  d["reason"] = text_or_none(r.reason);
  d["status"] = r.status != 0 ? py::object(py::int_(r.status)) : py::object(py::none());
  d["after_retry"] = r.after_retry;
  return d;
}

void bind_records(py::module_& module) {
  py::class_<wf::LeadRecord>(module, "LeadRecord",
                             "What happened to one input lead (made by client.leads.import_leads).")
      .def_readonly("index", &wf::LeadRecord::index, "Position in the input, from 0.")
      .def_property_readonly(
          "outcome", [](const wf::LeadRecord& r) { return outcome_name(r.outcome); },
          "'uploaded', 'duplicate_in_campaign', ... (a LeadOutcome name).")
      .def_property_readonly(
          "lead_id", [](const wf::LeadRecord& r) { return text_or_none(r.lead_id); },
          "The lead's id: uploaded leads, and duplicates found by lookup; else None.")
      .def_property_readonly(
          "reason", [](const wf::LeadRecord& r) { return text_or_none(r.reason); },
          "Why, for every outcome but uploaded; else None.")
      .def_property_readonly(
          "status",
          [](const wf::LeadRecord& r) -> std::optional<int> {
            if (r.status == 0) return std::nullopt;
            return r.status;
          },
          "HTTP status of a failed chunk; else None.")
      .def_readonly("after_retry", &wf::LeadRecord::after_retry,
                    "A duplicate reported on a re-sent chunk: the failed attempt may have created it.")
      .def("to_dict", &record_dict, "Every attribute, by name.")
      .def("__eq__",
           [](const wf::LeadRecord& self, const py::object& other) -> py::object {
             if (!py::isinstance<wf::LeadRecord>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             return py::bool_(self == other.cast<const wf::LeadRecord&>());
           })
      .def("__repr__", [](const wf::LeadRecord& r) {
        py::str out = py::str("LeadRecord(index={}, outcome={!r}").format(r.index, outcome_name(r.outcome));
        if (!r.lead_id.empty()) out = py::str("{}, lead_id={!r}").format(out, python_text(r.lead_id));
        if (!r.reason.empty()) out = py::str("{}, reason={!r}").format(out, python_text(r.reason));
        if (r.status != 0) out = py::str("{}, status={}").format(out, r.status);
        if (r.after_retry) out = py::str("{}, after_retry=True").format(out);
        return py::str("{})").format(out);
      });

  py::class_<wf::ImportReport>(module, "ImportResult",
                               "The C++ ImportReport; instantly.workflows.ImportReport wraps it.")
      .def_readonly("total", &wf::ImportReport::total)
      .def_readonly("chunks", &wf::ImportReport::chunks)
      .def_readonly("chunks_restored", &wf::ImportReport::chunks_restored)
      .def_readonly("requests", &wf::ImportReport::requests)
      .def_readonly("cancelled", &wf::ImportReport::cancelled)
      .def_property_readonly("elapsed",
                             [](const wf::ImportReport& r) { return static_cast<double>(r.elapsed.count()) / 1000.0; })
      .def_property_readonly("stop_reason", [](const wf::ImportReport& r) { return text_or_none(r.stop_reason); })
      .def_property_readonly("ok", &wf::ImportReport::ok)
      .def("counts",
           [](const wf::ImportReport& r) {
             py::dict d;
             for (std::size_t i = 0; i < wf::kLeadOutcomeCount; ++i) {
               d[outcome_name(static_cast<wf::LeadOutcome>(i))] = r.counts[i];
             }
             return d;
           })
      .def("outcomes",
           [](const wf::ImportReport& r) {
             py::list out(r.outcomes.size());
             for (std::size_t i = 0; i < r.outcomes.size(); ++i) {
               out[i] = py::cast(r.outcomes[i]);
             }
             return out;
           })
      .def(
          "records",
          [](const wf::ImportReport& r, const std::string& outcome) {
            const wf::LeadOutcome wanted = outcome_from(outcome);
            py::list out;
            for (const wf::LeadRecord& record : r.outcomes) {
              if (record.outcome == wanted) out.append(py::cast(record));
            }
            return out;
          },
          py::arg("outcome"))
      .def("lead_ids",
           [](const wf::ImportReport& r) {
             py::dict d;
             for (const wf::LeadRecord& record : r.outcomes) {
               if (record.outcome == wf::LeadOutcome::Uploaded && !record.lead_id.empty()) {
                 d[py::int_(record.index)] = python_text(record.lead_id);
               }
             }
             return d;
           })
      .def("accounts_for_every_lead", &wf::ImportReport::accounts_for_every_lead);
}

// ---------------------------------------------------------------- the import

// Thrown into the importer when a Python callable raised; the Python exception waits in
// PythonFailure until the run is over.
struct PythonCallbackRaised : std::exception {
  const char* what() const noexcept override { return "a Python callback raised"; }
};

// The first exception a Python callable raised. Touched only with the GIL held.
struct PythonFailure {
  std::optional<py::error_already_set> error;  // keeps the traceback; its destructor takes the GIL

  [[noreturn]] void keep(const py::error_already_set& e) {
    if (!error) error.emplace(e);
    throw PythonCallbackRaised();
  }
};

// Pulls leads from `next_batch()` (a list of input items, empty at the end), a batch at a time.
// A plain dict becomes a lead right here (plain_lead.hpp); any other item is handed to
// `to_json(item, index)`, the Python side's general conversion, and its text is parsed when the
// importer reaches it. Once the import is stopping (Ctrl-C, or a callback raised, both ending in
// a Python exception rather than a report) the input counts as ended: an endless or huge
// iterator is not drained.
class PythonLeadSource {
 public:
  PythonLeadSource(const py::object& next_batch, const py::object& to_json, PythonFailure& failure,
                   std::stop_token stop)
      : next_batch_(next_batch), to_json_(to_json), failure_(failure), stop_(std::move(stop)) {}

  bool operator()(instantly::LeadAddParamsLead& lead) {
    if (at_ == batch_.size() && !refill()) return false;
    Item& item = batch_[at_++];
    if (item.lead) {
      lead = std::move(*item.lead);
      return true;
    }
    try {
      lead = instantly::LeadAddParamsLead::from_json(item.json);
    } catch (const instantly::DecodeError& e) {
      throw instantly::ValidationError("leads[" + std::to_string(first_ + at_ - 1) + "]: not a lead: " + e.what());
    }
    return true;
  }

 private:
  struct Item {
    std::optional<instantly::LeadAddParamsLead> lead;  // converted already
    std::string json;                                  // else its JSON text
  };

  bool refill() {
    if (ended_ || stop_.stop_requested()) return false;
    first_ += batch_.size();
    batch_.clear();
    at_ = 0;
    py::gil_scoped_acquire acquire;
    if (failure_.error) return false;
    try {
      const py::list items = next_batch_();
      batch_.reserve(items.size());
      for (const py::handle item : items) {
        Item& converted = batch_.emplace_back();
        converted.lead = plain_lead_from_dict(item);
        if (!converted.lead) converted.json = to_json_(item, first_ + batch_.size() - 1).cast<std::string>();
      }
    } catch (py::error_already_set& e) {
      failure_.keep(e);
    }
    ended_ = batch_.empty();
    return !ended_;
  }

  const py::object& next_batch_;
  const py::object& to_json_;
  PythonFailure& failure_;
  std::stop_token stop_;
  std::vector<Item> batch_;
  std::size_t at_ = 0;
  std::uint64_t first_ = 0;  // input index of batch_[0]
  bool ended_ = false;
};

py::object optional_seconds(std::chrono::seconds eta) {
  return eta.count() > 0 ? py::object(py::float_(static_cast<double>(eta.count()))) : py::object(py::none());
}

// One import's state, kept on the heap: the asyncio flavour outlives the call that started it.
// The Python objects in it are released with the GIL held, whichever thread drops the last
// reference.
struct ImportRun {
  py::object next_batch;
  py::object to_json;
  py::object progress;
  PythonFailure failure;
  std::optional<wf::LeadImporter> importer;
  std::optional<PythonLeadSource> source;

  ImportRun() = default;
  ImportRun(const ImportRun&) = delete;
  ImportRun& operator=(const ImportRun&) = delete;
  ~ImportRun() {
    if (!detail::python_is_running()) {  // at exit: leak them rather than touch a dead interpreter
      next_batch.release();
      to_json.release();
      progress.release();
      if (failure.error) new py::error_already_set(std::move(*failure.error));
      return;
    }
    py::gil_scoped_acquire acquire;
    next_batch = py::object();
    to_json = py::object();
    progress = py::object();
    failure.error.reset();
  }

  /// The report, or none when a Python callable raised (failure.error says what).
  std::optional<wf::ImportReport> run() {
    try {
      return importer->run_source(std::ref(*source));
    } catch (const PythonCallbackRaised&) {
      return std::nullopt;
    }
  }

  /// Raises what a Python callable raised, with its traceback. GIL held.
  [[noreturn]] void raise_failure() {
    if (!failure.error) throw instantly::Error("lead import: a Python callback failed");
    throw py::error_already_set(*failure.error);
  }
};

// The importer's options from the keyword arguments instantly.leads.import_leads passes (all of
// them, always: that wrapper checks their values and is the only caller).
wf::LeadImportOptions import_options(const py::kwargs& settings) {
  const auto get = [&settings]<class T>(const char* name, T& into) { into = settings[name].cast<T>(); };
  wf::LeadImportOptions options;
  get("campaign_id", options.campaign_id);
  get("list_id", options.list_id);
  get("skip_if_in_workspace", options.skip_if_in_workspace);
  get("skip_if_in_campaign", options.skip_if_in_campaign);
  get("skip_if_in_list", options.skip_if_in_list);
  get("blocklist_id", options.blocklist_id);
  get("verify_leads_on_import", options.verify_leads_on_import);
  get("assigned_to", options.assigned_to);
  get("chunk_size", options.chunk_size);
  get("concurrency", options.concurrency);
  get("max_chunk_attempts", options.max_chunk_attempts);
  get("total", options.total);
  get("keep_outcomes", options.keep_outcomes);
  std::optional<std::string> checkpoint;
  get("checkpoint", checkpoint);
  if (checkpoint) {
    if (checkpoint->empty()) throw instantly::ValidationError("lead import: checkpoint must not be an empty path");
    options.checkpoint_path = std::filesystem::path(*checkpoint);
  }
  return options;
}

std::shared_ptr<ImportRun> prepare_import(const Core& core, py::object next_batch, py::object to_json,
                                          py::object progress, std::stop_token stop, const py::kwargs& settings) {
  auto run = std::make_shared<ImportRun>();
  run->next_batch = std::move(next_batch);
  run->to_json = std::move(to_json);
  run->progress = std::move(progress);
  wf::LeadImportOptions options = import_options(settings);
  options.stop = stop;
  if (!run->progress.is_none()) {
    // Sender threads call this one at a time (the importer serialises its callbacks). `run` owns
    // the importer, so the references outlive every call.
    options.on_progress = [&progress = run->progress, &failure = run->failure](const wf::ImportProgress& p) {
      py::gil_scoped_acquire acquire;
      try {
        progress(p.done, p.total != 0 ? py::object(py::int_(p.total)) : py::object(py::none()),
                 p.leads_per_second, optional_seconds(p.eta));
      } catch (py::error_already_set& e) {
        failure.keep(e);
      }
    };
  }
  run->importer.emplace(core.client(), std::move(options));  // ValidationError for bad options
  run->source.emplace(run->next_batch, run->to_json, run->failure, std::move(stop));
  return run;
}

wf::ImportReport import_leads(const Core& core, py::object next_batch, py::object to_json, py::object progress,
                              const py::kwargs& settings) {
  std::stop_source stop;
  const std::shared_ptr<ImportRun> run =
      prepare_import(core, std::move(next_batch), std::move(to_json), std::move(progress), stop.get_token(),
                     settings);
  const std::function<std::optional<wf::ImportReport>()> work = [&run] { return run->run(); };
  std::optional<wf::ImportReport> report = call_stoppably<std::optional<wf::ImportReport>>(work, stop);
  if (!report) run->raise_failure();
  return std::move(*report);
}

// The same for asyncio (async_call.hpp): the report, or the exception, goes to `port`.
std::shared_ptr<PendingCall> start_import_leads(const Core& core, py::object next_batch, py::object to_json,
                                                py::object progress, std::shared_ptr<CompletionPort> port,
                                                const py::object& token, const py::kwargs& settings) {
  auto pending = std::make_shared<PendingCall>();
  std::shared_ptr<ImportRun> run =
      prepare_import(core, std::move(next_batch), std::move(to_json), std::move(progress), pending->token(),
                     settings);
  return start_async<std::optional<wf::ImportReport>>(
      pending, [run](std::stop_token) { return run->run(); },
      [run](std::optional<wf::ImportReport>& report) -> py::object {
        if (!report) run->raise_failure();
        return py::cast(std::move(*report));
      },
      std::move(port), token);
}

// ---------------------------------------------------------------- JSON helpers

instantly::Json parse_json(const std::string& text) { return instantly::Json::parse(text); }

void bind_helpers(py::module_& module) {
  module.def(
      "workflows_format_lead_for_instantly",
      [](const std::string& business_json) {
        return python_text(wf::format_lead_for_instantly(parse_json(business_json)).dump());
      },
      py::arg("business_json"), "The old pipeline's lead (JSON text) for a business row (JSON text).");
  module.def(
      "workflows_business_to_lead",
      [](const std::string& business_json, bool fill_top_level_contact) {
        const wf::Business business = wf::business_from_json(parse_json(business_json));
        return python_text(
            wf::to_lead(business, {.fill_top_level_contact = fill_top_level_contact}).to_json());
      },
      py::arg("business_json"), py::kw_only(), py::arg("fill_top_level_contact") = true,
      "The lead (JSON text) for POST /leads/add from a business row (JSON text).");
  module.def(
      "workflows_plain_lead_json",
      [](const py::handle item) -> py::object {
        const std::optional<instantly::LeadAddParamsLead> lead = plain_lead_from_dict(item);
        if (!lead) return py::none();
        return python_text(lead->to_json());
      },
      py::arg("item"),
      "The lead import's shortcut for a plain dict, as JSON text; None when the item takes the "
      "general path (JSON via the Python side).");
  module.def(
      "workflows_to_api_timezone", [](const std::string& name) { return wf::to_api_timezone(name); },
      py::arg("name"), "The API's schedule timezone for an IANA zone; raises ValidationError.");
  module.def(
      "workflows_allowed_timezones", [] { return wf::allowed_timezones(); },
      "The schedule timezones the API accepts, in the spec's order.");
  module.def(
      "workflows_convert_old_schedule",
      [](const std::string& schedule_json) {
        return python_text(wf::convert_old_schedule(parse_json(schedule_json)).dump());
      },
      py::arg("schedule_json"), "The old pipeline's campaign_schedule (JSON text) in the v2 shape (JSON text).");
}

}  // namespace

void bind_workflows(py::module_& module) {
  bind_records(module);
  bind_helpers(module);
  module.def("workflows_import_leads", &import_leads, py::arg("core"), py::arg("next_batch"), py::arg("to_json"),
             py::arg("progress"),
             "Runs a LeadImporter over next_batch() (lists of leads, empty at the end; an item that is "
             "not a plain dict goes through to_json(item, index)); progress(done, total, "
             "leads_per_second, eta) after each chunk. Keywords: every LeadImportOptions member, by name.");
  module.def("workflows_start_import_leads", &start_import_leads, py::arg("core"), py::arg("next_batch"),
             py::arg("to_json"), py::arg("progress"), py::arg("port"), py::arg("token"),
             "workflows_import_leads for asyncio: returns a PendingCall at once; the report (or the "
             "exception) goes to `port` with `token`.");
}

}  // namespace instantly_python
