// The unibox: reading replies, grouping them into threads, answering in-thread.
//
//   instantly::workflows::Unibox unibox(client);
//   for (const instantly::Email& email : unibox.emails({.campaign_id = id, .is_unread = true})) { ... }
//   for (const auto& thread : unibox.threads({.campaign_id = id})) {
//     if (thread.unread) unibox.reply(thread, {.text = "Thanks! Does Tuesday work?"});
//     unibox.mark_read(thread);
//   }
//   std::int64_t unread = unibox.unread_count();
//
// Rate limit. `GET /api/v2/emails` allows 20 calls per minute per workspace.
// Listing pages with `limit` = page_size (100, the most the API gives) and:
//   1. the client's own limiter (ClientOptions::rate_limit, on by default)
//      spaces the calls so that the 21st call in a minute waits instead of
//      being sent; and
//   2. when the server still answers 429 (another process spent the budget)
//      after the client's own retries (ClientOptions::retry), the listing
//      waits — the server's Retry-After when it sent one, else
//      `rate_limit_backoff` doubling up to `max_rate_limit_wait` — and asks
//      again, as often as it takes. A 429 never escapes the listing.
// Other transient failures (5xx, 408, connection errors) are retried by the
// client as ClientOptions::retry says, and then thrown. `stop` reaches every
// wait — the limiter's, the client's backoff, the listing's own — and a page
// request in flight: a stopped listing ends at once.
//
// Threads are grouped by the API's `thread_id`. An email without one (other
// sources, older data) is grouped by its normalised subject — lower case,
// whitespace collapsed, leading "Re:", "Fwd:", "Fw:", "Aw:", "Sv:" prefixes
// removed — together with its lead (the `lead` field, else the other party's
// address); such a thread's `id` is "subject:<subject>|lead:<lead>" and
// `has_api_id` is false, and `mark_read` then marks its messages one by one.
//
// Thread-safety: a Unibox is immutable after construction; any number of
// threads may call it at once. Each Paginator it returns belongs to one thread.
//
// Errors: ValidationError for bad options (constructor) or a reply without a
// body, an email without id or an account to send from; otherwise the client's
// ApiError subclasses, ApiConnectionError and DecodeError — never
// RateLimitError from `emails` or `threads`.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/models/email.hpp"
#include "instantly/page.hpp"

namespace instantly::workflows {

/// Which emails to list: the `GET /api/v2/emails` filters. Unset fields are not sent.
struct EmailFilter {
  /// Received (the leads' mail, the default), sent, manual, or every email (nullopt).
  std::optional<EmailListParamsEmailType> email_type = EmailListParamsEmailType::Received;
  std::optional<std::string> campaign_id;
  std::optional<std::string> list_id;
  /// The workspace accounts that sent or received the mail (comma-separated).
  std::optional<std::string> eaccount;
  /// The lead's email address.
  std::optional<std::string> lead;
  std::optional<std::string> company_domain;
  /// Free text, or "thread:<thread_id>" for one thread.
  std::optional<std::string> search;
  std::optional<bool> is_unread;
  /// The lead's interest status (1 interested, -1 not interested, 0 out of office, ...).
  std::optional<int> i_status;
  std::optional<EmailListParamsMode> mode;
  std::optional<std::string> assigned_to;
  std::optional<std::string> min_timestamp_created;  ///< ISO 8601
  std::optional<std::string> max_timestamp_created;  ///< ISO 8601
  /// Resume a listing after this cursor (an email id from a previous page).
  std::optional<std::string> starting_after;
};

/// A wait the listing is about to make after a 429 (see UniboxOptions::on_wait).
struct UniboxWait {
  std::chrono::milliseconds delay{0};
  /// 429: the listing waits only for the rate limit (the client retries the rest).
  int status = 429;
  /// 429s at this page so far (1 for the first wait).
  int attempt = 0;
  /// Whether the server's Retry-After decided the delay.
  bool from_retry_after = false;
};

struct UniboxOptions {
  /// Emails per `GET /api/v2/emails` call, 1..100.
  int page_size = 100;
  /// First wait after a 429 that came without a usable Retry-After; doubles per 429.
  std::chrono::milliseconds rate_limit_backoff{2'000};
  /// The longest wait after a 429 (a longer Retry-After is cut to this).
  std::chrono::milliseconds max_rate_limit_wait{60'000};
  /// The listing's own waits after a 429 (step 2 above): waits `delay`,
  /// returning early when `stop` is requested. Empty = the client's Clock
  /// (Clock::wait_until).
  std::function<void(std::chrono::milliseconds delay, std::stop_token stop)> sleep;
  /// Called before each of the listing's own waits after a 429 (logging,
  /// metrics); may be empty.
  std::function<void(const UniboxWait&)> on_wait;
  /// Ends a listing early: every wait returns at once, a page request in
  /// flight is abandoned and no further page is fetched. A stopped listing
  /// simply ends; check `stop.stop_requested()` to tell it from a complete one.
  /// The other calls (unread_count, mark_read, reply, ...) stop the same way
  /// and throw CancelledError.
  std::stop_token stop;
};

/// A conversation with one lead: its messages newest first.
struct EmailThread {
  /// The API's thread_id, or the derived key described in the file comment.
  std::string id;
  /// False when `id` was derived (no thread_id on the messages).
  bool has_api_id = true;
  /// The newest message's subject.
  std::string subject;
  /// The lead's email address; empty when no message names one.
  std::string lead;
  /// The campaign of the newest message that has one.
  std::optional<std::string> campaign_id;
  /// Whether any message is unread, and how many are.
  bool unread = false;
  std::size_t unread_count = 0;
  /// Never empty; newest first (by timestamp_email, then timestamp_created, then id).
  std::vector<Email> messages;

  const Email& last_message() const { return messages.front(); }
  /// The newest received message — the one to answer — or null when the
  /// thread holds only mail the workspace sent.
  const Email* last_received() const;
};

/// Groups `emails` into threads (see the file comment); threads newest first.
std::vector<EmailThread> group_into_threads(std::vector<Email> emails);

/// The subject as used for grouping: lower case, whitespace collapsed, reply
/// and forward prefixes removed ("RE: Fwd:  Quick  question" → "quick question").
std::string normalise_subject(std::string_view subject);

/// What to send with `Unibox::reply`. `text` or `html` (or both) is required.
struct ReplyOptions {
  std::optional<std::string> text;
  std::optional<std::string> html;
  /// Default: "Re: " + the original's subject (unless it already starts with "Re:").
  std::optional<std::string> subject;
  /// The account to send from. Default: the account that received the original.
  std::optional<std::string> eaccount;
  std::vector<std::string> additional_recipients;
  std::optional<std::string> cc_address_email_list;
  std::optional<std::string> bcc_address_email_list;
  std::optional<std::string> reminder_ts;  ///< ISO 8601
  std::optional<std::string> assigned_to;
};

/// "Re: <subject>", or the subject itself when it already is a reply.
std::string reply_subject(std::string_view original_subject);

class Unibox {
 public:
  /// Throws ValidationError for page_size outside 1..100 or waits that are not positive.
  explicit Unibox(Client client, UniboxOptions options = {});

  /// Every email matching `filter`, newest first, fetched a page at a time as
  /// you iterate, waiting out the rate limit as described in the file comment.
  Paginator<Email> emails(EmailFilter filter = {}) const;

  /// Every email matching `filter`, grouped into threads (see group_into_threads).
  /// Reads the whole listing first: narrow the filter for big workspaces.
  std::vector<EmailThread> threads(EmailFilter filter = {}) const;

  /// `GET /api/v2/emails/unread/count`: unread emails in the workspace.
  std::int64_t unread_count() const;

  /// `POST /api/v2/emails/threads/{thread_id}/mark-as-read`. Returns the API's
  /// `success` (true when it does not say). NotFoundError for an unknown thread.
  bool mark_thread_read(std::string_view thread_id) const;

  /// Marks a whole thread read: by its API id, or — for a derived thread —
  /// each unread message with `PATCH /api/v2/emails/{id}`. Returns the number
  /// of calls made.
  std::size_t mark_read(const EmailThread& thread) const;

  /// `POST /api/v2/emails/reply`: answers `original` in its thread
  /// (`reply_to_uuid` = original.id) and returns the sent email.
  Email reply(const Email& original, const ReplyOptions& reply) const;
  /// Answers the thread's newest received message (its newest message when it has none).
  Email reply(const EmailThread& thread, const ReplyOptions& reply) const;

  const UniboxOptions& options() const noexcept { return options_; }

 private:
  Client client_;
  UniboxOptions options_;
};

}  // namespace instantly::workflows
