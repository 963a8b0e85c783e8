// Grouping emails into threads, and the subject rules grouping and replying use.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "instantly/workflows/unibox.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows {

namespace {

bool is_received(const Email& email) {
  return email.ue_type.has_value() && *email.ue_type == EmailUeType::Received;
}

std::string text_of(const Nullable<std::string>& value) { return value.has_value() ? *value : std::string(); }

// The lead of a message: the API's `lead`, else whoever is on the other side.
std::string lead_of(const Email& email) {
  if (std::string lead = text_of(email.lead); !lead.empty()) return lead;
  if (is_received(email)) return text_of(email.from_address_email);
  return email.to_address_email_list;
}

struct ThreadKey {
  std::string id;
  bool from_api = true;
};

ThreadKey thread_key(const Email& email) {
  if (email.thread_id.has_value() && !email.thread_id->empty()) return {*email.thread_id, true};
  return {"subject:" + normalise_subject(email.subject) + "|lead:" + ascii::lower(lead_of(email)), false};
}

// Newest first: when the mail was sent or received, then when it was stored,
// then the id (the API's ids sort in creation order). ISO 8601 texts of one
// format compare correctly as text.
auto recency(const Email& email) {
  const std::string& when = email.timestamp_email.empty() ? email.timestamp_created : email.timestamp_email;
  return std::tie(when, email.timestamp_created, email.id);
}

bool newer(const Email& a, const Email& b) { return recency(a) > recency(b); }

}  // namespace

std::string normalise_subject(std::string_view subject) {
  std::string collapsed;
  for (char c : ascii::trim_space(subject)) {
    if (ascii::is_space(c)) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
    } else {
      collapsed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  static constexpr std::array<std::string_view, 5> kPrefixes = {"re:", "fwd:", "fw:", "aw:", "sv:"};
  std::string_view rest = collapsed;
  for (bool stripped = true; stripped;) {
    stripped = false;
    rest = ascii::trim_space(rest);
    for (std::string_view prefix : kPrefixes) {
      if (rest.starts_with(prefix)) {
        rest.remove_prefix(prefix.size());
        stripped = true;
      }
    }
  }
  return std::string(rest);
}

std::string reply_subject(std::string_view original_subject) {
  const std::string_view subject = ascii::trim_space(original_subject);
  if (ascii::lower(subject.substr(0, 3)) == "re:") return std::string(subject);
  return subject.empty() ? std::string("Re:") : "Re: " + std::string(subject);
}

const Email* EmailThread::last_received() const {
  for (const Email& message : messages) {
    if (is_received(message)) return &message;
  }
  return nullptr;
}

std::vector<EmailThread> group_into_threads(std::vector<Email> emails) {
  std::vector<EmailThread> threads;
  std::map<std::string, std::size_t, std::less<>> index;
  for (Email& email : emails) {
    ThreadKey key = thread_key(email);
    auto [at, inserted] = index.try_emplace(key.id, threads.size());
    if (inserted) threads.push_back(EmailThread{.id = std::move(key.id), .has_api_id = key.from_api});
    threads[at->second].messages.push_back(std::move(email));
  }
  for (EmailThread& thread : threads) {
    std::stable_sort(thread.messages.begin(), thread.messages.end(), newer);
    thread.subject = thread.last_message().subject;
    for (const Email& message : thread.messages) {
      if (thread.lead.empty()) thread.lead = lead_of(message);
      if (!thread.campaign_id && message.campaign_id.has_value() && !message.campaign_id->empty()) {
        thread.campaign_id = *message.campaign_id;
      }
      if (message.is_unread.has_value() && *message.is_unread != 0) ++thread.unread_count;
    }
    thread.unread = thread.unread_count > 0;
  }
  std::stable_sort(threads.begin(), threads.end(), [](const EmailThread& a, const EmailThread& b) {
    return newer(a.last_message(), b.last_message());
  });
  return threads;
}

}  // namespace instantly::workflows
