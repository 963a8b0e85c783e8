#include "page_fetcher.hpp"

#include <functional>

#include "interruptible.hpp"

namespace instantly_python {

std::pair<std::string, std::optional<std::string>> PageFetcher::fetch(
    std::optional<std::string> cursor) const {
  using Page = std::pair<std::string, std::optional<std::string>>;
  return call_interruptibly<Page>(
      [fetch = fetch_, cursor = std::move(cursor)] { return (*fetch)(cursor); });
}

}  // namespace instantly_python
