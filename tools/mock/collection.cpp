#include "collection.hpp"

#include <charconv>

#include "http_error.hpp"

namespace instantly::mock {

Json* Collection::find(std::string_view id) {
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

const Json* Collection::find(std::string_view id) const {
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

Json& Collection::put(std::string id, Json record) {
  auto [it, inserted] = records_.insert_or_assign(std::move(id), std::move(record));
  return it->second;
}

bool Collection::erase(std::string_view id) {
  auto it = records_.find(id);
  if (it == records_.end()) return false;
  records_.erase(it);
  return true;
}

Json Collection::page(const PageRequest& request, const std::function<bool(const Json&)>& keep) const {
  auto it = request.starting_after ? records_.upper_bound(*request.starting_after) : records_.begin();
  Json items = Json::array();
  std::string last;
  for (; it != records_.end() && items.size() < request.limit; ++it) {
    if (keep && !keep(it->second)) continue;
    items.push_back(it->second);
    last = it->first;
  }
  Json page = Json::object({{"items", std::move(items)}});
  if (page.at("items").size() == request.limit) page.set("next_starting_after", last);
  return page;
}

Json Collection::to_json() const {
  Json array = Json::array();
  for (const auto& [id, record] : records_) array.push_back(record);
  return array;
}

void Collection::load(const Json& array, std::string_view key_field) {
  records_.clear();
  if (!array.is_array()) return;
  for (const auto& record : array.as_array()) {
    const Json* key = record.find(key_field);
    if (key && key->is_string()) records_.insert_or_assign(key->as_string(), record);
  }
}

namespace {

std::size_t parse_limit(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) bad_request("limit must be an integer");
  if (value < 1 || value > 100) bad_request("limit must be between 1 and 100 (got " + text + ")");
  return static_cast<std::size_t>(value);
}

}  // namespace

PageRequest page_request(std::optional<std::string> limit, std::optional<std::string> starting_after) {
  PageRequest request;
  if (limit) request.limit = parse_limit(*limit);
  if (starting_after && !starting_after->empty()) request.starting_after = std::move(starting_after);
  return request;
}

PageRequest page_request_from_body(const Json& body) {
  std::optional<std::string> limit;
  std::optional<std::string> after;
  if (const Json* l = body.find("limit"); l && l->is_number()) {
    limit = std::to_string(static_cast<long long>(l->as_double()));
  }
  if (const Json* a = body.find("starting_after"); a && a->is_string()) after = a->as_string();
  return page_request(std::move(limit), std::move(after));
}

}  // namespace instantly::mock
