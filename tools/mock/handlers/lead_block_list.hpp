// The workspace block list as /leads/add consults it: an email is blocked
// when the address itself or its domain is an entry.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "state.hpp"

namespace instantly::mock::leads {

/// `bl_value` as stored (trimmed, lower-case), or nullopt when it is neither
/// an email address nor a domain.
std::optional<std::string> normalize_block_value(std::string_view value);

/// A snapshot for one request: built once in O(entries), then O(1) per email.
/// Holds views into the stored entries, so the block list must not change
/// while it is in use (it cannot: the state lock is held for the request).
class BlockListIndex {
 public:
  explicit BlockListIndex(State& state);
  /// `email` in lower case.
  bool blocks(std::string_view email) const;

 private:
  std::unordered_set<std::string_view> values_;
};

}  // namespace instantly::mock::leads
