// Watching a workspace's webhook subscriptions: the disabled ones found,
// resumed, and the window of events each one missed; the ones still enabled
// whose receiver no longer answers, reported.
//
// Instantly retries a failed delivery about three times within 30 s, then
// disables the subscription (`status == -1`, `timestamp_error` set) and sends
// nothing more until `POST /webhooks/{id}/resume`; events of the meantime are
// never delivered. Run watch_subscriptions() on a schedule (every few minutes)
// next to the receiver; hand each gap to the reconcile, which reads what the
// window held from the API (docs/nothing-lost.md).
//
//   namespace wh = instantly::webhooks;
//   auto report = wh::watch_subscriptions(client, {.target_url = "https://hooks.example.com/webhook/instantly"});
//   for (const auto& gap : report.gaps) reconcile(gap.from, gap.to);   // resumed or not
//   for (const auto& f : report.failing) alert(f.webhook.id, f.last_error);
//   for (const auto& e : report.errors) log(e.webhook_id, e.message);
//
// What a gap spans. `from` is the first failed delivery to the subscription's
// URL that no retry made good, in the failing streak that ended with the
// disabling: after the last successful delivery to that URL before
// `timestamp_error` and no more than `failing_lookback` before it (from the
// API's delivery log, GET /webhook-events); `timestamp_error` itself when the
// log shows no such failure. `to` is when the subscription was resumed, or,
// when it was not, when it was found disabled: the window is still open then,
// and the next watch that resumes it reports it again with a later `to`.
// The delivery log names the URL, not the subscription: subscriptions that
// deliver to one URL share its history.
//
// Requests: one paginated GET /webhooks, then per watched URL one
// GET /webhook-events with `success=false` over the days the windows touch,
// one with `success=true` only when unrecovered failures were found, and one
// resume per disabled subscription. Nothing is changed but the resumes.
//
// Thread-safety: a free function over a Client, which is thread-safe; two
// watchers at once may both resume a subscription (harmless: resume is
// idempotent) and both report its gap.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/models/webhook.hpp"

namespace instantly::webhooks {

struct WatchOptions {
  /// Only subscriptions delivering exactly here are watched; every subscription when empty.
  std::string target_url;
  /// Resume the disabled ones; when false they are only reported (their gap with resumed = false).
  bool resume_disabled = true;
  /// How far back the delivery log counts: the attempts that make an enabled subscription
  /// `failing`, and how far before its disabling a disabled one's failing streak is followed.
  std::chrono::seconds failing_lookback{std::chrono::hours(1)};
  /// Per-call options for every request made (timeout, retries, headers). `request.stop`
  /// stops the whole watch: the call in flight throws CancelledError, which is not collected
  /// into `errors` but thrown, and nothing more is sent.
  RequestOptions request;
};

/// A window in which a subscription delivered nothing: reconcile [from, to] from the API.
struct SubscriptionGap {
  std::string webhook_id;
  std::string target_url;
  std::string event_type;               ///< the subscription's ("all_events", ...)
  std::optional<std::string> campaign;  ///< when it covers one campaign only
  /// The first unrecovered failed delivery of the streak that disabled it (see above):
  /// ISO 8601 UTC with milliseconds ("2026-01-05T10:00:00.123Z").
  std::string from;
  /// When it was resumed, or found (when not resumed): ISO 8601 UTC with milliseconds.
  std::string to;
  /// Resumed by this watch. False with resume_disabled = false, or when the resume failed
  /// (then `errors` says why).
  bool resumed = false;
};

/// An enabled subscription whose latest delivery attempts, within failing_lookback, all failed
/// with no success since: its URL no longer answers (or answers an error). Nothing is changed;
/// Instantly disables it when a delivery's retries run out.
struct FailingSubscription {
  Webhook webhook;
  /// The first failed attempt after the URL's last success (within failing_lookback):
  /// ISO 8601 UTC with milliseconds.
  std::string since;
  /// The latest failed attempt: ISO 8601 UTC with milliseconds.
  std::string last_attempt;
  /// The HTTP status the latest attempt got; none when no answer came (refused, timed out).
  std::optional<int> last_status_code;
  /// The latest attempt's error message as the log gives it ("" when it gives none).
  std::string last_error;
  /// Failed attempts since `since`, retries included.
  int failed_attempts = 0;
};

/// A subscription the watch could not finish: its resume or the delivery-log lookup failed.
struct WatchError {
  std::string webhook_id;
  std::string message;  ///< the exception's message (an ApiError's carries status and path)
};

struct WatchReport {
  /// Every subscription looked at, as listed (before any resume).
  std::vector<Webhook> watched;
  /// One per disabled subscription, resumed or not, in list order.
  std::vector<SubscriptionGap> gaps;
  /// Enabled subscriptions whose URL stopped answering, in list order.
  std::vector<FailingSubscription> failing;
  /// Per-subscription failures; the other subscriptions were still watched.
  std::vector<WatchError> errors;
};

/// Lists the subscriptions (those delivering to options.target_url, or all), resumes the
/// disabled ones through `client.webhooks().resume(id)` (unless resume_disabled is false) and
/// reports each one's gap, and reports the enabled ones that are failing.
///
/// Errors: ValidationError for a negative failing_lookback (nothing is sent). What listing the
/// subscriptions throws (ApiError, ApiConnectionError, ...) ends the watch; CancelledError
/// (options.request.stop) too. A failure that concerns one subscription (its resume, its URL's
/// delivery log) goes into `errors` and the others are still watched: a gap whose log could
/// not be read starts `failing_lookback` before its `timestamp_error` (wider rather than
/// short), and is still resumed.
WatchReport watch_subscriptions(const Client& client, const WatchOptions& options = {});

}  // namespace instantly::webhooks
