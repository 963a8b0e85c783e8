// Which leads a request is about: the filter members that /leads/list,
// /leads/move and /leads/bulk-assign share (campaign, list_id, search, ids,
// excluded_ids, contacts, in_campaign, in_list, filter).
#pragma once

#include <optional>
#include <string>
#include <unordered_set>

#include "instantly/json.hpp"

namespace instantly::mock::leads {

class LeadSelection {
 public:
  /// Reads the filter members of a request body. `campaign_ids` is not one
  /// of them: the API ignores it, so a client relying on it sees every lead.
  static LeadSelection from_body(const Json& body);

  bool matches(const Json& lead) const;

 private:
  std::optional<std::string> campaign_;
  std::optional<std::string> list_id_;
  std::string search_;  // lower-case
  std::optional<std::unordered_set<std::string>> ids_;
  std::unordered_set<std::string> excluded_ids_;
  std::optional<std::unordered_set<std::string>> contacts_;  // lower-case emails
  std::optional<bool> in_campaign_;
  std::optional<bool> in_list_;
  std::string filter_;
};

}  // namespace instantly::mock::leads
