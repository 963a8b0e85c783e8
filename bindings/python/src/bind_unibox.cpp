// The unibox's C++ half (instantly/workflows/unibox.hpp, reply_classifier.hpp), used by
// `instantly.workflows.Unibox` and `instantly.workflows.KeywordReplyClassifier`:
// `_core.UniboxListing`, `_core.KeywordReplyClassifier` and the `unibox_*` / `reply_*` functions.
// Emails cross as JSON text (the Python side makes `instantly.types.Email` models of them).
//
// Every network call and every wait runs through call_stoppably, with the GIL released:
// Ctrl-C requests the call's stop (for a listing, the listing's own), which ends its waits and
// transfers at once, and raises KeyboardInterrupt when it has ended. The Python `sleep` and
// `on_wait` callables are called from the worker with the GIL taken, and released under the
// GIL too (see share()).
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core.hpp"
#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/resources/emails.hpp"
#include "instantly/workflows/reply_classifier.hpp"
#include "instantly/workflows/unibox.hpp"
#include "interruptible.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wf = instantly::workflows;
using instantly::Json;

// ---------------------------------------------------------------- helpers

// A Python object that C++ copies may outlive the call with: the last copy can go away on
// a worker thread, so the object is released under the GIL.
using SharedPyObject = std::shared_ptr<py::object>;

SharedPyObject share(const py::object& object) {
  if (object.is_none()) return nullptr;
  return SharedPyObject(new py::object(object), [](py::object* held) {
    py::gil_scoped_acquire acquire;
    delete held;
  });
}

std::optional<std::string> text_member(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) throw instantly::ValidationError("unibox: " + std::string(key) + " must be a string");
  return value->as_string();
}

std::optional<bool> bool_member(const Json& object, std::string_view key) {
  const Json* value = object.find(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_bool()) throw instantly::ValidationError("unibox: " + std::string(key) + " must be a bool");
  return value->as_bool();
}

// The filter as the Python side sends it: every key present, None for "not set"; a None
// email_type means every email.
wf::EmailFilter filter_from_json(const std::string& text) {
  const Json f = Json::parse(text);
  wf::EmailFilter filter;
  filter.email_type.reset();
  if (auto type = text_member(f, "email_type")) filter.email_type = instantly::EmailListParamsEmailType(*type);
  filter.campaign_id = text_member(f, "campaign_id");
  filter.list_id = text_member(f, "list_id");
  filter.eaccount = text_member(f, "eaccount");
  filter.lead = text_member(f, "lead");
  filter.company_domain = text_member(f, "company_domain");
  filter.search = text_member(f, "search");
  filter.is_unread = bool_member(f, "is_unread");
  if (const Json* status = f.find("i_status"); status && !status->is_null()) {
    filter.i_status = static_cast<int>(status->as_int());
  }
  if (auto mode = text_member(f, "mode")) filter.mode = instantly::EmailListParamsMode(*mode);
  filter.assigned_to = text_member(f, "assigned_to");
  filter.min_timestamp_created = text_member(f, "min_timestamp_created");
  filter.max_timestamp_created = text_member(f, "max_timestamp_created");
  filter.starting_after = text_member(f, "starting_after");
  return filter;
}

std::string emails_json(const std::vector<instantly::Email>& emails) {
  std::string out = "[";
  for (const instantly::Email& email : emails) {
    if (out.size() > 1) out += ',';
    out += email.to_json();
  }
  return out + "]";
}

// ---------------------------------------------------------------- listing

struct ListingSettings {
  int page_size = 100;
  double rate_limit_backoff = 2.0;
  double max_rate_limit_wait = 60.0;
  py::object sleep;    // sleep(seconds) or None
  py::object on_wait;  // on_wait(seconds, status, attempt, from_retry_after) or None
};

wf::UniboxOptions unibox_options(const ListingSettings& s, std::stop_token stop) {
  wf::UniboxOptions options;
  options.page_size = s.page_size;
  options.rate_limit_backoff = to_milliseconds(s.rate_limit_backoff, "rate_limit_backoff");
  options.max_rate_limit_wait = to_milliseconds(s.max_rate_limit_wait, "max_rate_limit_wait");
  options.stop = std::move(stop);
  if (SharedPyObject sleep = share(s.sleep)) {
    options.sleep = [sleep](std::chrono::milliseconds delay, const std::stop_token& token) {
      if (token.stop_requested()) return;
      py::gil_scoped_acquire acquire;
      (*sleep)(static_cast<double>(delay.count()) / 1000.0);
    };
  }
  if (SharedPyObject on_wait = share(s.on_wait)) {
    options.on_wait = [on_wait](const wf::UniboxWait& w) {
      py::gil_scoped_acquire acquire;
      (*on_wait)(static_cast<double>(w.delay.count()) / 1000.0, w.status, w.attempt, w.from_retry_after);
    };
  }
  return options;
}

// One listing, page by page. Its state is shared with the worker running a fetch (which
// an interrupt may abandon), and a mutex keeps a second fetch from overlapping one still
// winding down.
class UniboxListing {
 public:
  UniboxListing(const Core& core, const std::string& filter_json, const ListingSettings& settings)
      : state_(std::make_shared<State>(wf::Unibox(core.client(), unibox_options(settings, stop_.get_token())),
                                       filter_from_json(filter_json))) {}

  /// The next page's emails as a JSON array text; None once the listing is over.
  std::optional<py::str> next_page() {
    std::shared_ptr<State> state = state_;
    const std::optional<std::string> page = call_stoppably<std::optional<std::string>>(
        [state]() -> std::optional<std::string> {
          std::lock_guard lock(state->mutex);
          if (state->done) return std::nullopt;
          try {
            if (!state->at) {
              state->at.emplace(state->pages.begin());
            } else {
              ++*state->at;
            }
          } catch (...) {
            state->done = true;  // a failed listing is not resumed from a half-known position
            throw;
          }
          if (*state->at == std::default_sentinel) {
            state->done = true;
            return std::nullopt;
          }
          return emails_json((*state->at)->items);
        },
        stop_);
    if (!page) return std::nullopt;
    return python_text(*page);
  }

  /// Ends the listing: a wait in progress returns, no further page is fetched.
  void stop() { stop_.request_stop(); }

 private:
  struct State {
    State(wf::Unibox u, wf::EmailFilter filter) : unibox(std::move(u)), pages(unibox.emails(std::move(filter)).pages()) {}
    std::mutex mutex;
    wf::Unibox unibox;
    instantly::Paginator<instantly::Email>::PageRange pages;
    std::optional<instantly::Paginator<instantly::Email>::PageRange::iterator> at;
    bool done = false;
  };

  std::stop_source stop_;
  std::shared_ptr<State> state_;
};

// ---------------------------------------------------------------- threads and calls

Json thread_json(const wf::EmailThread& thread) {
  Json messages = Json::array();
  for (const instantly::Email& message : thread.messages) messages.push_back(Json::parse(message.to_json()));
  return Json::object({{"id", thread.id},
                       {"has_api_id", thread.has_api_id},
                       {"subject", thread.subject},
                       {"lead", thread.lead.empty() ? Json(nullptr) : Json(thread.lead)},
                       {"campaign_id", thread.campaign_id ? Json(*thread.campaign_id) : Json(nullptr)},
                       {"unread", thread.unread},
                       {"unread_count", static_cast<std::int64_t>(thread.unread_count)},
                       {"messages", std::move(messages)}});
}

std::vector<instantly::Email> emails_from_json(const Json& array) {
  std::vector<instantly::Email> emails;
  for (const Json& item : array.as_array()) emails.push_back(instantly::Email::from_json(item.dump()));
  return emails;
}

py::str group_threads(const std::string& emails_text) {
  const std::vector<wf::EmailThread> threads = wf::group_into_threads(emails_from_json(Json::parse(emails_text)));
  Json out = Json::array();
  for (const wf::EmailThread& thread : threads) out.push_back(thread_json(thread));
  return python_text(out.dump());
}

wf::EmailThread thread_from_json(const std::string& text) {
  const Json t = Json::parse(text);
  wf::EmailThread thread;
  thread.id = t.at("id").as_string();
  thread.has_api_id = t.at("has_api_id").as_bool();
  thread.messages = emails_from_json(t.at("messages"));
  return thread;
}

wf::ReplyOptions reply_from_json(const std::string& text) {
  const Json r = Json::parse(text);
  wf::ReplyOptions reply;
  reply.text = text_member(r, "text");
  reply.html = text_member(r, "html");
  reply.subject = text_member(r, "subject");
  reply.eaccount = text_member(r, "eaccount");
  if (const Json* more = r.find("additional_recipients"); more && more->is_array()) {
    for (const Json& address : more->as_array()) reply.additional_recipients.push_back(address.as_string());
  }
  reply.cc_address_email_list = text_member(r, "cc_address_email_list");
  reply.bcc_address_email_list = text_member(r, "bcc_address_email_list");
  reply.reminder_ts = text_member(r, "reminder_ts");
  reply.assigned_to = text_member(r, "assigned_to");
  return reply;
}

void bind_calls(py::module_& module) {
  py::class_<UniboxListing>(module, "UniboxListing",
                            "One GET /api/v2/emails listing that waits out the rate limit (instantly.workflows.Unibox.emails).")
      .def(py::init([](const Core& core, const std::string& filter_json, int page_size, double rate_limit_backoff,
                       double max_rate_limit_wait, const py::object& sleep, const py::object& on_wait) {
             return new UniboxListing(core, filter_json,
                                      {page_size, rate_limit_backoff, max_rate_limit_wait, sleep, on_wait});
           }),
           py::arg("core"), py::arg("filter_json"), py::kw_only(), py::arg("page_size"),
           py::arg("rate_limit_backoff"), py::arg("max_rate_limit_wait"), py::arg("sleep"), py::arg("on_wait"))
      .def("next_page", &UniboxListing::next_page,
           "The next page's emails (a JSON array text), or None once the listing is over.")
      .def("stop", &UniboxListing::stop, "Ends the listing: a wait in progress returns, nothing more is fetched.");

  module.def("unibox_group_threads", &group_threads, py::arg("emails_json"),
             "Emails (a JSON array text) grouped into threads, newest first (a JSON array text).");
  module.def(
      "unibox_unread_count",
      [](const Core& core) {
        const instantly::Client client = core.client();
        return call_stoppably<std::int64_t>(
            [&](std::stop_token stop) { return wf::Unibox(client, {.stop = stop}).unread_count(); });
      },
      py::arg("core"), "GET /api/v2/emails/unread/count.");
  module.def(
      "unibox_mark_thread_read",
      [](const Core& core, const std::string& thread_id) {
        const instantly::Client client = core.client();
        return call_stoppably<bool>(
            [&](std::stop_token stop) { return wf::Unibox(client, {.stop = stop}).mark_thread_read(thread_id); });
      },
      py::arg("core"), py::arg("thread_id"), "POST /api/v2/emails/threads/{thread_id}/mark-as-read.");
  module.def(
      "unibox_mark_read",
      [](const Core& core, const std::string& thread_json) {
        const instantly::Client client = core.client();
        wf::EmailThread thread = thread_from_json(thread_json);
        return call_stoppably<std::size_t>(
            [&](std::stop_token stop) { return wf::Unibox(client, {.stop = stop}).mark_read(thread); });
      },
      py::arg("core"), py::arg("thread_json"),
      "Marks a thread (JSON text) read: by its API id, or message by message; returns the calls made.");
  module.def(
      "unibox_reply",
      [](const Core& core, const std::string& original_json, const std::string& reply_json) {
        const instantly::Client client = core.client();
        const instantly::Email original = instantly::Email::from_json(original_json);
        const wf::ReplyOptions reply = reply_from_json(reply_json);
        const std::string sent = call_stoppably<std::string>([&](std::stop_token stop) {
          return wf::Unibox(client, {.stop = stop}).reply(original, reply).to_json();
        });
        return python_text(sent);
      },
      py::arg("core"), py::arg("original_json"), py::arg("reply_json"),
      "POST /api/v2/emails/reply answering the email (JSON text); returns the sent email (JSON text).");
}

// ---------------------------------------------------------------- classifier

py::tuple verdict(const wf::Classification& c) {
  return py::make_tuple(std::string(wf::to_string(c.label)),
                        c.confidence ? py::object(py::float_(*c.confidence)) : py::object(py::none()),
                        python_text(c.reason));
}

py::dict keywords_dict(const wf::ReplyKeywords& k) {
  py::dict out;
  out["unsubscribe"] = k.unsubscribe;
  out["out_of_office"] = k.out_of_office;
  out["not_interested"] = k.not_interested;
  out["interested"] = k.interested;
  return out;
}

void bind_classifier(py::module_& module) {
  py::class_<wf::KeywordReplyClassifier>(module, "KeywordReplyClassifier",
                                         "The C++ keyword classifier; instantly.workflows.KeywordReplyClassifier wraps it.")
      .def(py::init([](std::optional<std::vector<std::string>> unsubscribe,
                       std::optional<std::vector<std::string>> out_of_office,
                       std::optional<std::vector<std::string>> not_interested,
                       std::optional<std::vector<std::string>> interested) {
             wf::ReplyKeywords k = wf::ReplyKeywords::defaults();
             if (unsubscribe) k.unsubscribe = std::move(*unsubscribe);
             if (out_of_office) k.out_of_office = std::move(*out_of_office);
             if (not_interested) k.not_interested = std::move(*not_interested);
             if (interested) k.interested = std::move(*interested);
             return new wf::KeywordReplyClassifier(std::move(k));
           }),
           py::kw_only(), py::arg("unsubscribe") = py::none(), py::arg("out_of_office") = py::none(),
           py::arg("not_interested") = py::none(), py::arg("interested") = py::none())
      .def(
          "classify_text",
          [](const wf::KeywordReplyClassifier& self, const std::string& subject, const std::string& body,
             bool is_auto_reply) { return verdict(self.classify_text(subject, body, is_auto_reply)); },
          py::arg("subject"), py::arg("body"), py::arg("is_auto_reply") = false,
          "(label, confidence, reason) for a subject and body text.")
      .def(
          "classify_email",
          [](const wf::KeywordReplyClassifier& self, const std::string& email_json) {
            return verdict(self.classify(instantly::Email::from_json(email_json)));
          },
          py::arg("email_json"), "(label, confidence, reason) for an email (JSON text).")
      .def(
          "keywords", [](const wf::KeywordReplyClassifier& self) { return keywords_dict(self.keywords()); },
          "The keyword lists in use, by label (lower-cased).");

  module.def(
      "reply_default_keywords", [] { return keywords_dict(wf::ReplyKeywords::defaults()); },
      "The built-in English keyword lists, by label.");
  module.def(
      "reply_text", [](const std::string& email_json) { return python_text(wf::reply_text(instantly::Email::from_json(email_json))); },
      py::arg("email_json"), "The lead's own words in an email (JSON text), quoted history removed.");
  module.def(
      "reply_strip_quoted_text", [](const std::string& body) { return python_text(wf::strip_quoted_text(body)); },
      py::arg("body"), "The text without quoted history.");
  module.def(
      "reply_html_to_text", [](const std::string& html) { return python_text(wf::html_to_text(html)); },
      py::arg("html"), "Plain text of an HTML body, quoted blocks left out.");
}

}  // namespace

void bind_unibox(py::module_& module) {
  bind_calls(module);
  bind_classifier(module);
}

}  // namespace instantly_python
