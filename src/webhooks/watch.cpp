// watch_subscriptions(): disabled subscriptions found, resumed, and the gap
// each one left; enabled ones whose URL stopped answering, reported.
#include "instantly/webhooks/watch.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/utc_timestamp.hpp"
#include "instantly/error.hpp"
#include "instantly/options.hpp"
#include "instantly/resources/webhook_events.hpp"
#include "instantly/resources/webhooks.hpp"
#include "instantly/webhooks/subscription.hpp"
#include "webhooks/timestamp.hpp"

namespace instantly::webhooks {
namespace {

using Moment = detail::Micros;

// The largest page both list endpoints allow: fewer requests for the same items.
constexpr std::int64_t kWatchPageSize = 100;

Moment watch_now(const Client& client) {
  // The client's clock, so that a test's injected clock decides what "now" is here too.
  const std::shared_ptr<Clock>& clock = client.options().clock;
  return std::chrono::time_point_cast<std::chrono::microseconds>((clock ? clock : system_clock())->wall_now());
}

std::string watch_iso(Moment moment) {
  return instantly::detail::utc_timestamp_millis(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(moment));
}

/// "YYYY-MM-DD" (UTC), the form the delivery log's from/to filters take.
std::string watch_day(Moment moment) { return watch_iso(moment).substr(0, 10); }

/// One delivery attempt from the log, as far as the watch needs it.
struct LoggedAttempt {
  Moment at;
  bool made_good = false;  ///< a later retry of the same delivery succeeded
  std::optional<int> status_code;
  std::string error;
};

/// A span of time, both ends included.
struct Window {
  Moment first;
  Moment last;
  bool contains(Moment t) const { return first <= t && t <= last; }
};

/// The attempts to exactly `url` with this outcome inside `window`, oldest first.
std::vector<LoggedAttempt> read_delivery_log(const Client& client, const std::string& url, bool success,
                                             Window window, const RequestOptions& request) {
  WebhookEventListParams params;
  params.limit = kWatchPageSize;
  params.success = success;
  params.search = url;
  // The filters take whole days: a day more on each side in case the API counts days in
  // another time zone than UTC. The exact window is applied below.
  params.from = watch_day(window.first - std::chrono::hours(24));
  params.to = watch_day(window.last + std::chrono::hours(24));
  std::vector<LoggedAttempt> attempts;
  for (const WebhookEvent& event : client.webhook_events().list(std::move(params), request)) {
    // `search` also matches lead emails (and, on some servers, parts of URLs).
    if (event.webhook_url != url || event.success != success) continue;
    // An attempt whose time cannot be read cannot be placed in a streak; it is left out.
    const std::optional<Moment> at = detail::parse_iso8601(event.timestamp_created);
    if (!at || !window.contains(*at)) continue;
    LoggedAttempt attempt{
        .at = *at, .made_good = event.retry_successful.value_or(false), .status_code = {}, .error = {}};
    if (event.status_code.has_value()) attempt.status_code = static_cast<int>(*event.status_code);
    if (event.error_message.has_value()) attempt.error = *event.error_message;
    attempts.push_back(std::move(attempt));
  }
  std::sort(attempts.begin(), attempts.end(),
            [](const LoggedAttempt& a, const LoggedAttempt& b) { return a.at < b.at; });
  return attempts;
}

/// What the log says about one URL; `error` set when it could not be read (the lists then
/// hold what was read before, which the callers do not trust).
struct UrlHistory {
  std::vector<LoggedAttempt> unrecovered;  ///< failed, and no retry made it good
  std::vector<LoggedAttempt> successes;    ///< read only when `unrecovered` is not empty
  std::optional<std::string> error;
};

std::string watch_error_message(const std::string& what, const Error& e) { return what + ": " + e.what(); }

/// The watch's view of one subscription.
struct Watched {
  const Webhook* webhook;
  bool disabled;
  Window window;  ///< the part of the log that concerns it
  Moment disabled_at;
  std::optional<Moment> resumed_at;
};

UrlHistory read_url_history(const Client& client, const std::string& url, const std::vector<const Watched*>& subs,
                            const RequestOptions& request) {
  Window hull = subs.front()->window;
  for (const Watched* w : subs) {
    hull.first = std::min(hull.first, w->window.first);
    hull.last = std::max(hull.last, w->window.last);
  }
  UrlHistory history;
  try {
    for (LoggedAttempt& failure : read_delivery_log(client, url, false, hull, request)) {
      if (!failure.made_good) history.unrecovered.push_back(std::move(failure));
    }
    // Only failures after a success count, and only successes after the first unrecovered
    // failure can rule any out: a healthy URL costs one small request, not its whole traffic.
    if (!history.unrecovered.empty()) {
      history.successes =
          read_delivery_log(client, url, true, Window{history.unrecovered.front().at, hull.last}, request);
    }
  } catch (const CancelledError&) {
    throw;
  } catch (const Error& e) {
    history.error = watch_error_message("reading the delivery log of " + url, e);
  }
  return history;
}

/// The latest success in `window`, if any.
std::optional<Moment> last_success_in(const UrlHistory& history, Window window) {
  std::optional<Moment> last;
  for (const LoggedAttempt& s : history.successes) {
    if (window.contains(s.at)) last = s.at;  // oldest first: the last one kept is the latest
  }
  return last;
}

/// The unrecovered failures in `window` from `after` on (all of them when none). A failure
/// logged in the same millisecond as the success counts: which came first is unknown, and a
/// gap a little too wide costs a few reads where one too narrow loses events.
std::vector<const LoggedAttempt*> failures_after(const UrlHistory& history, Window window,
                                                 std::optional<Moment> after) {
  std::vector<const LoggedAttempt*> run;
  for (const LoggedAttempt& f : history.unrecovered) {
    if (window.contains(f.at) && (!after || f.at >= *after)) run.push_back(&f);
  }
  return run;
}

SubscriptionGap gap_of(const Watched& w, const UrlHistory& history, Moment found_at) {
  const Webhook& webhook = *w.webhook;
  SubscriptionGap gap;
  gap.webhook_id = webhook.id;
  gap.target_url = webhook.target_hook_url;
  // A null event type means every event, as Instantly treats it.
  gap.event_type = webhook.event_type.has_value() ? webhook.event_type->value() : WebhookEventType::AllEvents.value();
  if (webhook.campaign.has_value() && !webhook.campaign->empty()) gap.campaign = *webhook.campaign;
  Moment from = w.disabled_at;
  if (history.error) {
    // Unknown where the streak began: the widest window the log would have been read for,
    // since reconciling too much costs a few calls and too little loses events.
    from = w.window.first;
  } else {
    const std::vector<const LoggedAttempt*> streak =
        failures_after(history, w.window, last_success_in(history, w.window));
    if (!streak.empty()) from = std::min(from, streak.front()->at);
  }
  gap.from = watch_iso(from);
  gap.resumed = w.resumed_at.has_value();
  gap.to = watch_iso(w.resumed_at.value_or(found_at));
  return gap;
}

std::optional<FailingSubscription> failing_of(const Watched& w, const UrlHistory& history) {
  const std::vector<const LoggedAttempt*> run =
      failures_after(history, w.window, last_success_in(history, w.window));
  if (run.empty()) return std::nullopt;
  const LoggedAttempt& last = *run.back();
  return FailingSubscription{.webhook = *w.webhook,
                             .since = watch_iso(run.front()->at),
                             .last_attempt = watch_iso(last.at),
                             .last_status_code = last.status_code,
                             .last_error = last.error,
                             .failed_attempts = static_cast<int>(run.size())};
}

}  // namespace

WatchReport watch_subscriptions(const Client& client, const WatchOptions& options) {
  if (options.failing_lookback < std::chrono::seconds(0)) {
    throw ValidationError("failing_lookback must not be negative");
  }
  WatchReport report;
  // No server-side filter by URL exists: every page is read, the URL compared here.
  WebhookListParams list_params;
  list_params.limit = kWatchPageSize;
  for (const Webhook& webhook : client.webhooks().list(std::move(list_params), options.request)) {
    if (!options.target_url.empty() && webhook.target_hook_url != options.target_url) continue;
    report.watched.push_back(webhook);
  }
  const Moment found_at = watch_now(client);
  const auto lookback = std::chrono::microseconds(options.failing_lookback);

  std::vector<Watched> subs;
  subs.reserve(report.watched.size());
  for (const Webhook& webhook : report.watched) {
    Watched w{.webhook = &webhook, .disabled = is_disabled(webhook), .window = {}, .disabled_at = found_at,
              .resumed_at = std::nullopt};
    if (w.disabled) {
      // Without a readable timestamp_error, "now" is the latest it can have happened.
      if (webhook.timestamp_error.has_value()) {
        w.disabled_at = detail::parse_iso8601(*webhook.timestamp_error).value_or(found_at);
      }
      w.window = Window{w.disabled_at - lookback, w.disabled_at};
    } else {
      w.window = Window{found_at - lookback, found_at};
    }
    subs.push_back(w);
  }

  // Resumes first: every moment before a resume is one more event to reconcile, and reading
  // the log does not need the subscription disabled.
  if (options.resume_disabled) {
    for (Watched& w : subs) {
      if (!w.disabled) continue;
      try {
        client.webhooks().resume(w.webhook->id, options.request);
        w.resumed_at = watch_now(client);
      } catch (const CancelledError&) {
        throw;
      } catch (const Error& e) {
        report.errors.push_back({w.webhook->id, watch_error_message("resuming the subscription", e)});
      }
    }
  }

  // The log is per URL, so one read serves every subscription delivering there.
  std::map<std::string, std::vector<const Watched*>> by_url;
  for (const Watched& w : subs) by_url[w.webhook->target_hook_url].push_back(&w);
  std::map<std::string, UrlHistory> histories;
  for (const auto& [url, at_url] : by_url) {
    UrlHistory history = read_url_history(client, url, at_url, options.request);
    if (history.error) {
      for (const Watched* w : at_url) report.errors.push_back({w->webhook->id, *history.error});
    }
    histories.emplace(url, std::move(history));
  }

  for (const Watched& w : subs) {
    const UrlHistory& history = histories.at(w.webhook->target_hook_url);
    if (w.disabled) {
      report.gaps.push_back(gap_of(w, history, found_at));
    } else if (!history.error) {
      if (std::optional<FailingSubscription> failing = failing_of(w, history)) {
        report.failing.push_back(std::move(*failing));
      }
    }
  }
  return report;
}

}  // namespace instantly::webhooks
