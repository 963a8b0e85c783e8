// Records of one kind (campaigns, leads, ...) kept as JSON objects by id.
//
// Ids from State::new_id() sort in creation order, so a std::map keyed by id
// iterates oldest first and a cursor is simply "the last id you saw": the next
// page starts at upper_bound(cursor). Accounts are keyed by email instead and
// page alphabetically, as their real cursor is not a UUID either.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/json.hpp"

namespace instantly::mock {

/// What one `limit` + `starting_after` page request asks for.
struct PageRequest {
  std::size_t limit = 10;
  std::optional<std::string> starting_after;
};

class Collection {
 public:
  using Records = std::map<std::string, Json, std::less<>>;

  Json* find(std::string_view id);
  const Json* find(std::string_view id) const;
  /// Inserts or replaces the record under `id`; returns the stored value.
  Json& put(std::string id, Json record);
  bool erase(std::string_view id);
  std::size_t size() const noexcept { return records_.size(); }
  void clear() { records_.clear(); }

  Records& records() noexcept { return records_; }
  const Records& records() const noexcept { return records_; }

  /// One page of the records `keep` accepts (all when `keep` is empty):
  /// {"items": [...], "next_starting_after": "<last id>"}. A full page carries
  /// a cursor even when nothing follows (the next call then gets `items: []`),
  /// as the real API does; a short page carries none.
  Json page(const PageRequest& request, const std::function<bool(const Json&)>& keep = {}) const;

  /// [record, ...] in id order, and back.
  Json to_json() const;
  void load(const Json& array, std::string_view key_field = "id");

 private:
  Records records_;
};

/// `limit` and `starting_after` from a query or a body, checked against the
/// API's bounds (1..100) — the validators catch most, this catches the rest.
PageRequest page_request(std::optional<std::string> limit, std::optional<std::string> starting_after);
PageRequest page_request_from_body(const Json& body);

}  // namespace instantly::mock
