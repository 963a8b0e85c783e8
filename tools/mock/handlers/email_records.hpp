// Email records (the unibox), shared by the email handlers and the send
// simulation, which stores the campaign mails and the leads' replies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock::email {

// ue_type codes.
inline constexpr int kFromCampaign = 1;
inline constexpr int kReceived = 2;
inline constexpr int kSent = 3;

/// What a new email record is made from; empty strings become null.
struct Draft {
  std::string from;
  std::string to;  ///< comma-separated
  std::string subject;
  std::string text;
  std::string html;
  std::string eaccount;   ///< the workspace's account that sent or received it
  std::string thread_id;  ///< "" starts a new thread
  std::string campaign_id;
  std::string lead_email;
  std::string lead_id;
  std::string list_id;
  std::string step;
  std::string cc;
  std::string bcc;
  std::string reminder_ts;
  int ue_type = kSent;
  bool unread = false;
  bool auto_reply = false;
};

/// Stores a new email stamped with the simulated clock; returns the record.
Json& store(State& state, const Draft& draft);

/// The stored email, or a 404.
Json& require(State& state, std::string_view id);

/// A body's HTML from plain text (escaped, line breaks kept) and back (tags dropped).
std::string html_of_text(std::string_view text);
std::string text_of_html(std::string_view html);

/// At most `max_bytes` of `text`, never cutting a UTF-8 character in two.
std::string snippet(std::string_view text, std::size_t max_bytes);

}  // namespace instantly::mock::email
