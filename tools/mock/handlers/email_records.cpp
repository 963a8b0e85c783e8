#include "handlers/email_records.hpp"

#include <sstream>

#include "http_error.hpp"

namespace instantly::mock::email {

namespace {

Json or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

/// [{"address": ..., "name": ""}] for each comma-separated address.
Json address_json(const std::string& list) {
  Json out = Json::array();
  std::stringstream in(list);
  for (std::string address; std::getline(in, address, ',');) {
    auto first = address.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    out.push_back(Json::object({{"address", address.substr(first)}, {"name", ""}}));
  }
  return out;
}

}  // namespace

Json& store(State& state, const Draft& d) {
  std::string id = state.new_id();
  std::string now = state.now_iso();
  std::string thread = d.thread_id.empty() ? state.new_id() : d.thread_id;
  std::string text = d.text.empty() ? text_of_html(d.html) : d.text;
  std::string html = d.html.empty() ? html_of_text(d.text) : d.html;
  Json record = Json::object({{"id", id},
                              {"timestamp_created", now},
                              {"timestamp_email", now},
                              {"message_id", "<" + id + "@mock.instantly.test>"},
                              {"subject", d.subject},
                              {"from_address_email", or_null(d.from)},
                              {"to_address_email_list", d.to},
                              {"cc_address_email_list", or_null(d.cc)},
                              {"bcc_address_email_list", or_null(d.bcc)},
                              {"reply_to", nullptr},
                              {"body", Json::object({{"text", text}, {"html", html}})},
                              {"organization_id", state.workspace().at("id")},
                              {"campaign_id", or_null(d.campaign_id)},
                              {"subsequence_id", nullptr},
                              {"list_id", or_null(d.list_id)},
                              {"lead", or_null(d.lead_email)},
                              {"lead_id", or_null(d.lead_id)},
                              {"eaccount", d.eaccount},
                              {"ue_type", d.ue_type},
                              {"step", or_null(d.step)},
                              {"is_unread", d.unread ? 1 : 0},
                              {"is_auto_reply", d.auto_reply ? 1 : 0},
                              {"reminder_ts", or_null(d.reminder_ts)},
                              {"ai_interest_value", nullptr},
                              {"ai_assisted", 0},
                              {"is_focused", 1},
                              {"i_status", nullptr},
                              {"thread_id", thread},
                              {"content_preview", snippet(text, 100)},
                              {"attachment_json", nullptr},
                              {"from_address_json", address_json(d.from)},
                              {"to_address_json", address_json(d.to)},
                              {"cc_address_json", d.cc.empty() ? Json(nullptr) : address_json(d.cc)},
                              {"ai_agent_id", nullptr}});
  return state.collection(collections::kEmails).put(std::move(id), std::move(record));
}

Json& require(State& state, std::string_view id) {
  Json* found = state.collection(collections::kEmails).find(id);
  if (!found) not_found("email", id);
  return *found;
}

std::string html_of_text(std::string_view text) {
  std::string html = "<div>";
  for (char c : text) {
    switch (c) {
      case '<': html += "&lt;"; break;
      case '>': html += "&gt;"; break;
      case '&': html += "&amp;"; break;
      case '"': html += "&quot;"; break;
      case '\n': html += "<br>"; break;
      default: html += c;
    }
  }
  return html + "</div>";
}

std::string text_of_html(std::string_view html) {
  std::string text;
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (c == '<') {
      // Line-breaking tags become newlines so the text keeps its lines.
      if (html.substr(i, 3) == "<br" || html.substr(i, 3) == "</p" || html.substr(i, 5) == "</div") {
        if (!text.empty() && text.back() != '\n') text += '\n';
      }
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      text += c;
    }
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  for (auto [entity, plain] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&nbsp;", " "}, {"&amp;", "&"}}) {
    std::string_view e(entity);
    for (auto at = text.find(e); at != std::string::npos; at = text.find(e, at + 1)) text.replace(at, e.size(), plain);
  }
  return text;
}

std::string snippet(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

}  // namespace instantly::mock::email
