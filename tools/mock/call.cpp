#include "call.hpp"

namespace instantly::mock {

const std::string& Call::param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return kEmpty;
}

std::optional<std::string> Call::query_value(std::string_view key) const {
  for (const auto& [k, v] : query) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Call::query_values(std::string_view key) const {
  std::vector<std::string> values;
  for (const auto& [k, v] : query) {
    if (k == key) values.push_back(v);
  }
  return values;
}

const Json& Call::body_or_empty() const {
  static const Json kEmpty = Json::object();
  return body ? *body : kEmpty;
}

const Json* Call::field(std::string_view key) const { return body ? body->find(key) : nullptr; }

}  // namespace instantly::mock
