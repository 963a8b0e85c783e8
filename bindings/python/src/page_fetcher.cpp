#include "page_fetcher.hpp"

#include <functional>

#include "interruptible.hpp"

namespace instantly_python {

std::pair<std::string, std::optional<std::string>> PageFetcher::fetch(
    std::optional<std::string> cursor) const {
  using Page = std::pair<std::string, std::optional<std::string>>;
  return call_stoppably<Page>(
      [fetch = fetch_, cursor = std::move(cursor)](std::stop_token stop) { return (*fetch)(cursor, std::move(stop)); });
}

}  // namespace instantly_python
