#include "workflows/unibox_listing.hpp"

#include <algorithm>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/resources/emails.hpp"

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
  const std::shared_ptr<Clock>& configured = client_.options().clock;
  clock_ = configured ? configured : system_clock();
}

bool PatientPageFetch::wait(const UniboxWait& wait) const {
  if (options_.stop.stop_requested()) return false;
  if (options_.on_wait) options_.on_wait(wait);
  if (options_.sleep) {
    options_.sleep(wait.delay, options_.stop);
    return !options_.stop.stop_requested();
  }
  return clock_->wait_until(clock_->now() + wait.delay, options_.stop);
}

Page<Email> PatientPageFetch::operator()(const std::optional<std::string>& cursor) const {
  const EmailListParams params = list_params(filter_, options_.page_size, cursor);
  // The core retries 5xx, 408, connection failures and 429s as ClientOptions::retry says, every
  // wait of it stoppable. What it gives up on is thrown, except a 429 (another process spent the
  // budget): that one is waited out here, as often as it takes.
  const RequestOptions request{.stop = options_.stop};
  int rate_limited = 0;  // 429s in a row without Retry-After
  for (int attempt = 1;; ++attempt) {
    UniboxWait next{.status = 429, .attempt = attempt};
    try {
      return client_.emails().list(params, request).first_page();
    } catch (const CancelledError&) {
      return {};  // stopped: an empty page ends the listing
    } catch (const RateLimitError& e) {
      if (e.retry_after()) {
        next.delay = std::min(*e.retry_after(), options_.max_rate_limit_wait);
        next.from_retry_after = true;
      } else {
        next.delay = rate_limit_backoff(options_, ++rate_limited);
      }
    }
    if (!wait(next)) return {};
  }
}

}  // namespace instantly::workflows::detail
