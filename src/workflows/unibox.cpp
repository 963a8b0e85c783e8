// Unibox: the calls themselves (listing in unibox_listing.cpp, grouping in unibox_threads.cpp).
#include "instantly/workflows/unibox.hpp"

#include <cmath>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/resources/emails.hpp"
#include "workflows/unibox_listing.hpp"

namespace instantly::workflows {

namespace {

bool has_text(const std::optional<std::string>& value) {
  return value && value->find_first_not_of(" \t\r\n") != std::string::npos;
}

}  // namespace

Unibox::Unibox(Client client, UniboxOptions options) : client_(std::move(client)), options_(std::move(options)) {
  if (options_.page_size < 1 || options_.page_size > 100) {
    throw ValidationError("unibox: page_size must be between 1 and 100 (the API's limit per call)");
  }
  if (options_.rate_limit_backoff <= std::chrono::milliseconds::zero() ||
      options_.max_rate_limit_wait <= std::chrono::milliseconds::zero()) {
    throw ValidationError("unibox: rate_limit_backoff and max_rate_limit_wait must be positive");
  }
}

Paginator<Email> Unibox::emails(EmailFilter filter) const {
  std::optional<std::string> start = filter.starting_after;
  return Paginator<Email>(detail::PatientPageFetch(client_, options_, std::move(filter)), std::move(start));
}

std::vector<EmailThread> Unibox::threads(EmailFilter filter) const {
  std::vector<Email> all;
  for (const Email& email : emails(std::move(filter))) all.push_back(email);
  return group_into_threads(std::move(all));
}

std::int64_t Unibox::unread_count() const {
  const EmailCountUnreadResult result = client_.emails().count_unread({.stop = options_.stop});
  return result.count ? static_cast<std::int64_t>(std::llround(*result.count)) : 0;
}

bool Unibox::mark_thread_read(std::string_view thread_id) const {
  if (thread_id.empty()) throw ValidationError("unibox: mark_thread_read needs a thread id");
  return client_.emails().mark_thread_as_read(thread_id, {.stop = options_.stop}).success.value_or(true);
}

std::size_t Unibox::mark_read(const EmailThread& thread) const {
  if (thread.has_api_id) {
    mark_thread_read(thread.id);
    return 1;
  }
  // A derived thread has no id the API knows: mark its unread messages one by one.
  std::size_t calls = 0;
  for (const Email& message : thread.messages) {
    if (!message.is_unread.has_value() || *message.is_unread == 0) continue;
    EmailUpdateParams read;
    read.is_unread = 0.0;
    client_.emails().update(message.id, read, {.stop = options_.stop});
    ++calls;
  }
  return calls;
}

Email Unibox::reply(const Email& original, const ReplyOptions& reply) const {
  if (original.id.empty()) throw ValidationError("unibox: the email to reply to has no id");
  if (!has_text(reply.text) && !has_text(reply.html)) {
    throw ValidationError("unibox: a reply needs a body: set text, html or both");
  }
  EmailReplyToParams params;
  params.eaccount = reply.eaccount.value_or(original.eaccount);
  if (params.eaccount.empty()) {
    throw ValidationError("unibox: no account to send the reply from: the original names none; set eaccount");
  }
  params.reply_to_uuid = original.id;
  params.subject = reply.subject.value_or(reply_subject(original.subject));
  params.body.text = reply.text;
  params.body.html = reply.html;
  if (!reply.additional_recipients.empty()) params.additional_recipients = reply.additional_recipients;
  params.cc_address_email_list = reply.cc_address_email_list;
  params.bcc_address_email_list = reply.bcc_address_email_list;
  params.reminder_ts = reply.reminder_ts;
  params.assigned_to = reply.assigned_to;
  return client_.emails().reply_to(params, {.stop = options_.stop});
}

Email Unibox::reply(const EmailThread& thread, const ReplyOptions& reply) const {
  if (thread.messages.empty()) throw ValidationError("unibox: cannot reply to a thread without messages");
  const Email* target = thread.last_received();
  return this->reply(target ? *target : thread.last_message(), reply);
}

}  // namespace instantly::workflows
