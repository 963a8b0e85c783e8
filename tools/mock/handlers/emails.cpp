// The unibox: listing and reading emails, replying in-thread, read state.
// Campaign mails and the leads' replies are stored by the send simulation.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "handlers/campaign_records.hpp"
#include "handlers/email_records.hpp"
#include "handlers/handlers.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

using campaign::int_member;
using campaign::string_member;

std::vector<std::string> split_account_list(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    auto first = part.find_first_not_of(' ');
    if (first != std::string::npos) parts.push_back(lower(part.substr(first)));
  }
  return parts;
}

std::optional<bool> flag(const Call& call, std::string_view key) {
  auto value = call.query_value(key);
  if (!value || value->empty()) return std::nullopt;
  return *value == "true" || *value == "1";
}

/// The email's `i_status`: its lead's interest status (the API reports the
/// lead's current status on each of its emails), else what the email itself
/// holds; null when neither is set.
Json interest_of(const Json& email, State& state) {
  const std::string lead_id = string_member(email, "lead_id");
  if (const Json* lead = lead_id.empty() ? nullptr : state.collection(collections::kLeads).find(lead_id)) {
    if (const Json* status = lead->find("lt_interest_status"); status && status->is_number()) return *status;
  }
  const Json* own = email.find("i_status");
  return own && own->is_number() ? *own : Json(nullptr);
}

/// The email as the API shows it: with its lead's interest status.
Json shown(const Json& email, State& state) {
  Json copy = email;
  copy.set("i_status", interest_of(email, state));
  return copy;
}

/// The `GET /emails` filters as one predicate.
std::function<bool(const Json&)> email_filter(const Call& call, State& state) {
  std::vector<std::function<bool(const Json&)>> tests;
  auto equals = [&tests](std::string field, std::string want) {
    tests.push_back([field, want](const Json& e) { return string_member(e, field) == want; });
  };
  if (auto search = call.query_value("search"); search && !search->empty()) {
    if (search->starts_with("thread:")) {
      equals("thread_id", search->substr(7));
    } else {
      // An address (the lead's) or words of the subject/body.
      std::string needle = lower(*search);
      tests.push_back([needle](const Json& e) {
        for (const char* field : {"lead", "from_address_email", "to_address_email_list", "subject", "content_preview"}) {
          if (lower(string_member(e, field)).find(needle) != std::string::npos) return true;
        }
        return false;
      });
    }
  }
  for (const char* field : {"campaign_id", "list_id", "assigned_to"}) {
    if (auto value = call.query_value(field); value && !value->empty()) equals(field, *value);
  }
  if (auto lead = call.query_value("lead"); lead && !lead->empty()) {
    std::string want = lower(*lead);
    tests.push_back([want](const Json& e) { return lower(string_member(e, "lead")) == want; });
  }
  if (auto accounts = call.query_value("eaccount"); accounts && !accounts->empty()) {
    auto wanted = split_account_list(*accounts);
    tests.push_back([wanted](const Json& e) {
      return std::find(wanted.begin(), wanted.end(), lower(string_member(e, "eaccount"))) != wanted.end();
    });
  }
  if (auto domain = call.query_value("company_domain"); domain && !domain->empty()) {
    std::string want = "@";
    want += lower(*domain);
    tests.push_back([want](const Json& e) { return lower(string_member(e, "lead")).ends_with(want); });
  }
  if (auto status = call.query_value("i_status"); status && !status->empty()) {
    // An email without a status matches no status: 0 means "out of office", not "unset".
    int want = static_cast<int>(std::stod(*status));
    tests.push_back([want, &state](const Json& e) {
      const Json interest = interest_of(e, state);
      return interest.is_number() && static_cast<int>(interest.as_double()) == want;
    });
  }
  if (auto unread = flag(call, "is_unread")) {
    tests.push_back([want = *unread](const Json& e) { return (int_member(e, "is_unread", 0) == 1) == want; });
  }
  if (auto reminder = flag(call, "has_reminder")) {
    tests.push_back([want = *reminder](const Json& e) { return !string_member(e, "reminder_ts").empty() == want; });
  }
  if (flag(call, "scheduled_only").value_or(false)) {
    tests.push_back([](const Json& e) { return int_member(e, "ue_type", 0) == 4; });
  }
  if (auto type = call.query_value("email_type"); type && !type->empty()) {
    // received: the leads' mails; sent: everything the workspace sent; manual: sent by hand.
    std::string kind = *type;
    tests.push_back([kind](const Json& e) {
      int ue = int_member(e, "ue_type", 0);
      if (kind == "received") return ue == email::kReceived;
      if (kind == "sent") return ue == email::kFromCampaign || ue == email::kSent;
      return ue == email::kSent;
    });
  }
  if (auto mode = call.query_value("mode"); mode && (*mode == "emode_focused" || *mode == "emode_others")) {
    int want = *mode == "emode_focused" ? 1 : 0;
    tests.push_back([want](const Json& e) { return int_member(e, "is_focused", 1) == want; });
  }
  // ISO timestamps of one format compare as text.
  if (auto min = call.query_value("min_timestamp_created"); min && !min->empty()) {
    tests.push_back([min = *min](const Json& e) { return string_member(e, "timestamp_created") >= min; });
  }
  if (auto max = call.query_value("max_timestamp_created"); max && !max->empty()) {
    tests.push_back([max = *max](const Json& e) { return string_member(e, "timestamp_created") <= max; });
  }
  if (flag(call, "latest_of_thread").value_or(false)) {
    std::set<std::string, std::less<>> latest;
    std::map<std::string, std::string, std::less<>> newest_by_thread;
    for (const auto& [id, e] : state.collection(collections::kEmails).records()) {
      newest_by_thread[string_member(e, "thread_id")] = id;  // ids ascend, so the last one wins
    }
    for (auto& [thread, id] : newest_by_thread) latest.insert(id);
    tests.push_back([latest](const Json& e) { return latest.contains(string_member(e, "id")); });
  }
  return [tests = std::move(tests)](const Json& e) {
    return std::all_of(tests.begin(), tests.end(), [&e](const auto& test) { return test(e); });
  };
}

/// A cursor page in either direction: newest first (the API's default) or oldest first.
Json page_emails(const Collection& emails, const PageRequest& request, bool newest_first,
                 const std::function<bool(const Json&)>& keep) {
  if (!newest_first) return emails.page(request, keep);
  const auto& records = emails.records();
  auto it = request.starting_after ? records.lower_bound(*request.starting_after) : records.end();
  Json items = Json::array();
  std::string last;
  while (it != records.begin() && items.size() < request.limit) {
    --it;
    if (!keep(it->second)) continue;
    items.push_back(it->second);
    last = it->first;
  }
  Json page = Json::object({{"items", std::move(items)}});
  if (page.at("items").size() == request.limit) page.set("next_starting_after", last);
  return page;
}

Reply list_emails(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  bool newest_first = call.query_value("sort_order").value_or("desc") != "asc";
  Json page = page_emails(state.collection(collections::kEmails), request, newest_first, email_filter(call, state));
  for (Json& item : page.find("items")->as_array()) item = shown(item, state);
  return Reply::json(std::move(page));
}

Reply get_email(const Call& call, State& state) { return Reply::json(shown(email::require(state, call.param("id")), state)); }

/// The other party of a mail, from the workspace's side.
std::string counterpart(const Json& original) {
  if (int_member(original, "ue_type", 0) == email::kReceived) return string_member(original, "from_address_email");
  return string_member(original, "to_address_email_list");
}

Reply reply_to_email(const Call& call, State& state) {
  const Json& body = call.body_or_empty();
  const Json& original = email::require(state, body.at("reply_to_uuid").as_string());
  email::Draft reply;
  reply.eaccount = body.at("eaccount").as_string();
  reply.from = reply.eaccount;
  reply.to = counterpart(original);
  if (const Json* extra = body.find("additional_recipients"); extra && extra->is_array()) {
    for (const Json& address : extra->as_array()) reply.to += (reply.to.empty() ? "" : ",") + address.as_string();
  }
  reply.subject = body.at("subject").as_string();
  const Json& content = body.at("body");
  reply.text = string_member(content, "text");
  reply.html = string_member(content, "html");
  reply.cc = string_member(body, "cc_address_email_list");
  reply.bcc = string_member(body, "bcc_address_email_list");
  reply.reminder_ts = string_member(body, "reminder_ts");
  std::string original_id = string_member(original, "id");
  std::string thread = string_member(original, "thread_id");
  reply.thread_id = thread.empty() ? original_id : thread;
  reply.campaign_id = string_member(original, "campaign_id");
  reply.list_id = string_member(original, "list_id");
  reply.lead_email = string_member(original, "lead");
  reply.lead_id = string_member(original, "lead_id");
  reply.step = string_member(original, "step");
  reply.ue_type = email::kSent;
  return Reply::json(shown(email::store(state, reply), state));
}

Reply patch_email(const Call& call, State& state) {
  Json& found = email::require(state, call.param("id"));
  for (const auto& [key, value] : call.body_or_empty().as_object()) found.set(key, value);
  return Reply::json(shown(found, state));
}

Reply delete_email(const Call& call, State& state) {
  Json deleted = email::require(state, call.param("id"));
  state.collection(collections::kEmails).erase(call.param("id"));
  return Reply::json(std::move(deleted));
}

Reply count_unread(const Call&, State& state) {
  std::int64_t count = 0;
  for (const auto& [id, e] : state.collection(collections::kEmails).records()) {
    if (int_member(e, "is_unread", 0) == 1) ++count;
  }
  return Reply::json(Json::object({{"count", count}}));
}

Reply mark_thread_read(const Call& call, State& state) {
  const std::string& thread = call.param("thread_id");
  bool found = false;
  for (auto& [id, e] : state.collection(collections::kEmails).records()) {
    if (string_member(e, "thread_id") != thread) continue;
    found = true;
    e.set("is_unread", 0);
  }
  if (!found) not_found("thread", thread);
  return Reply::json(Json::object({{"success", true}}));
}

}  // namespace

void register_email_handlers(Router& api, AdminRouter&) {
  api.on("listEmail", list_emails);
  api.on("getEmail", get_email);
  api.on("replyToEmail", reply_to_email);
  api.on("patchEmail", patch_email);
  api.on("deleteEmail", delete_email);
  api.on("countUnreadEmails", count_unread);
  api.on("markThreadAsRead", mark_thread_read);
}

}  // namespace instantly::mock
