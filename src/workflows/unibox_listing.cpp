#include "workflows/unibox_listing.hpp"

#include <algorithm>
#include <random>
#include <utility>

#include "core/client_core.hpp"
#include "core/retry_policy.hpp"
#include "instantly/error.hpp"
#include "instantly/resources/emails.hpp"
#include "workflows/stoppable_sleep.hpp"

namespace instantly::workflows::detail {

namespace {

using std::chrono::milliseconds;

// The wait after the `count`-th 429 in a row without Retry-After: doubling, capped.
milliseconds rate_limit_backoff(const UniboxOptions& options, int count) {
  milliseconds delay = options.rate_limit_backoff;
  for (int i = 1; i < count && delay < options.max_rate_limit_wait; ++i) delay *= 2;
  return std::min(delay, options.max_rate_limit_wait);
}

}  // namespace

EmailListParams list_params(const EmailFilter& filter, int page_size, const std::optional<std::string>& cursor) {
  EmailListParams params;
  params.limit = page_size;
  params.starting_after = cursor ? cursor : filter.starting_after;
  params.email_type = filter.email_type;
  params.campaign_id = filter.campaign_id;
  params.list_id = filter.list_id;
  params.eaccount = filter.eaccount;
  params.lead = filter.lead;
  params.company_domain = filter.company_domain;
  params.search = filter.search;
  params.is_unread = filter.is_unread;
  if (filter.i_status) params.i_status = static_cast<double>(*filter.i_status);
  params.mode = filter.mode;
  params.assigned_to = filter.assigned_to;
  params.min_timestamp_created = filter.min_timestamp_created;
  params.max_timestamp_created = filter.max_timestamp_created;
  return params;
}

PatientPageFetch::PatientPageFetch(Client client, UniboxOptions options, EmailFilter filter)
    : client_(std::move(client)), options_(std::move(options)), filter_(std::move(filter)) {
  const std::shared_ptr<Clock>& configured = client_.core()->options().clock;
  clock_ = configured ? configured : system_clock();
}

double PatientPageFetch::next_jitter() const {
  const RetryPolicy& policy = client_.core()->options().retry;
  if (policy.jitter) return policy.jitter();
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

bool PatientPageFetch::wait(const UniboxWait& wait) const {
  if (options_.stop.stop_requested()) return false;
  if (options_.on_wait) options_.on_wait(wait);
  if (options_.sleep) {
    options_.sleep(wait.delay, options_.stop);
  } else {
    sleep_unless_stopped(*clock_, clock_->now() + wait.delay, options_.stop);
  }
  return !options_.stop.stop_requested();
}

Page<Email> PatientPageFetch::operator()(const std::optional<std::string>& cursor) const {
  const EmailListParams params = list_params(filter_, options_.page_size, cursor);
  const RetryPolicy& policy = client_.core()->options().retry;
  // The core's retries are off for these calls: its waits could not be
  // interrupted. The same rules run here, with a sleep that can.
  RequestOptions once;
  once.max_retries = 0;

  int attempt = 0;       // failed attempts at this page
  int rate_limited = 0;  // 429s in a row without Retry-After
  int failures = 0;      // other retryable failures, limited by the client's retry budget
  while (!options_.stop.stop_requested()) {
    UniboxWait next;
    try {
      return client_.emails().list(params, once).first_page();
    } catch (const RateLimitError& e) {
      next.status = 429;
      if (e.retry_after()) {
        next.delay = std::min(*e.retry_after(), options_.max_rate_limit_wait);
        next.from_retry_after = true;
      } else {
        next.delay = rate_limit_backoff(options_, ++rate_limited);
      }
    } catch (const ApiError& e) {
      const instantly::detail::AttemptOutcome outcome{.status = e.status(), .idempotent = true};
      if (instantly::detail::decide_retry(outcome, ++failures, policy.max_retries) !=
          instantly::detail::RetryVerdict::Retry) {
        throw;
      }
      next.status = e.status();
      next.delay = instantly::detail::backoff_delay(policy, failures, next_jitter());
    } catch (const ApiConnectionError&) {
      const instantly::detail::AttemptOutcome outcome{.idempotent = true};
      if (instantly::detail::decide_retry(outcome, ++failures, policy.max_retries) !=
          instantly::detail::RetryVerdict::Retry) {
        throw;
      }
      next.delay = instantly::detail::backoff_delay(policy, failures, next_jitter());
    }
    next.attempt = ++attempt;
    if (!wait(next)) break;
  }
  return {};  // stopped: an empty page ends the listing
}

}  // namespace instantly::workflows::detail
