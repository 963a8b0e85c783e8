// `_core.PageFetcher`: what a list operation returns. Python's SyncPage calls `fetch(cursor)`
// for each page it needs; the fetch runs with the GIL released, stopped by Ctrl-C.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "operation.hpp"

namespace instantly_python {

class PageFetcher {
 public:
  explicit PageFetcher(PageFetch fetch) : fetch_(std::make_shared<const PageFetch>(std::move(fetch))) {}

  /// The page after `cursor` (none: the first page) as (JSON array of items, next cursor).
  std::pair<std::string, std::optional<std::string>> fetch(std::optional<std::string> cursor) const;

  /// The fetch itself, for a caller that runs it elsewhere (asyncio's start_fetch).
  std::shared_ptr<const PageFetch> function() const { return fetch_; }

 private:
  // Shared with the worker running a fetch, which may outlive this object.
  std::shared_ptr<const PageFetch> fetch_;
};

}  // namespace instantly_python
