// The unibox listing's page fetch: one `GET /api/v2/emails` page through the
// client's stoppable retries, plus the patience to wait out 429s as long as it
// takes. See unibox.hpp for the rules.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "instantly/client.hpp"
#include "instantly/models/email.hpp"
#include "instantly/page.hpp"
#include "instantly/workflows/unibox.hpp"

namespace instantly::workflows::detail {

/// The list call's parameters for the page after `cursor` (none: the filter's own start).
EmailListParams list_params(const EmailFilter& filter, int page_size, const std::optional<std::string>& cursor);

/// Fetches pages for Paginator<Email>. Copyable; copies share nothing mutable.
class PatientPageFetch {
 public:
  PatientPageFetch(Client client, UniboxOptions options, EmailFilter filter);

  /// The page after `cursor`; an empty page once `stop` is requested.
  Page<Email> operator()(const std::optional<std::string>& cursor) const;

 private:
  /// Tells on_wait, then sleeps; false when the listing should end (stop requested).
  bool wait(const UniboxWait& wait) const;

  Client client_;
  UniboxOptions options_;
  EmailFilter filter_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace instantly::workflows::detail
