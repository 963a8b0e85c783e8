// Json::parse: JSON text to an owned Json tree, through simdjson's DOM API.
//
// Why DOM and not On Demand: the DOM parser validates the whole document
// (structure, UTF-8, numbers, trailing content, depth) before we copy anything
// out, and it runs in the shared library's runtime-selected SIMD kernels. The
// header-only On Demand code in simdjson 3.0.1 misreads floats with more than
// 19 significant digits (simdjson issue #2099; `get_double` also misreads some),
// which is not a risk worth a nicer error position. The cost is that errors
// carry simdjson's message but no byte offset or JSON path.
#include "instantly/error.hpp"
#include "instantly/json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace instantly {
namespace {

namespace dom = simdjson::dom;

[[noreturn]] void throw_malformed(simdjson::error_code error) {
  throw DecodeError(std::string("malformed JSON: ") + simdjson::error_message(error));
}

template <class T>
T take(simdjson::simdjson_result<T>&& result) {
  T value{};
  if (auto error = std::move(result).get(value)) throw_malformed(error);
  return value;
}

bool has_duplicate_keys(const Json::Object& members) {
  // Below this size a quadratic scan beats building a hash set.
  constexpr std::size_t kLinearScanLimit = 16;
  if (members.size() <= kLinearScanLimit) {
    for (auto it = members.begin(); it != members.end(); ++it) {
      for (auto other = members.begin(); other != it; ++other) {
        if (other->first == it->first) return true;
      }
    }
    return false;
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(members.size());
  return !std::all_of(members.begin(), members.end(),
                      [&seen](const Json::Member& member) { return seen.insert(member.first).second; });
}

// RFC 8259 leaves repeated names undefined. We keep the last value, as most
// parsers (and JavaScript) do, at the position where the name first appeared,
// which is also what `Json::set` does when a key is assigned twice.
void keep_last_of_duplicate_keys(Json::Object& members) {
  if (!has_duplicate_keys(members)) return;
  Json::Object merged;
  merged.reserve(members.size());
  // Views into `members`, whose keys are copied, never moved, so they stay valid.
  std::unordered_map<std::string_view, std::size_t> position;
  for (auto& [key, value] : members) {
    auto [it, inserted] = position.try_emplace(key, merged.size());
    if (inserted) {
      merged.emplace_back(key, std::move(value));
    } else {
      merged[it->second].second = std::move(value);
    }
  }
  members = std::move(merged);
}

// simdjson only reports UINT64 above INT64_MAX, where a double at least keeps
// the magnitude; the int branch is there so nothing rests on that.
Json unsigned_to_json(std::uint64_t value) {
  constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value <= kInt64Max) return Json(static_cast<std::int64_t>(value));
  return Json(static_cast<double>(value));
}

// Recursive, but the parser has already refused documents nested deeper than
// simdjson::DEFAULT_MAX_DEPTH (1024), so the depth here is bounded.
Json to_json(dom::element element) {
  switch (element.type()) {
    case dom::element_type::NULL_VALUE: return Json();
    case dom::element_type::BOOL: return Json(take(element.get_bool()));
    case dom::element_type::INT64: return Json(take(element.get_int64()));
    case dom::element_type::UINT64: return unsigned_to_json(take(element.get_uint64()));
    case dom::element_type::DOUBLE: return Json(take(element.get_double()));
    case dom::element_type::STRING: return Json(std::string(take(element.get_string())));
    case dom::element_type::ARRAY: {
      auto array = take(element.get_array());
      Json::Array items;
      items.reserve(array.size());
      for (dom::element item : array) items.push_back(to_json(item));
      return Json(std::move(items));
    }
    case dom::element_type::OBJECT: {
      auto object = take(element.get_object());
      Json::Object members;
      members.reserve(object.size());
      for (dom::key_value_pair member : object) {
        members.emplace_back(std::string(member.key), to_json(member.value));
      }
      keep_last_of_duplicate_keys(members);
      return Json(std::move(members));
    }
  }
  throw_malformed(simdjson::UNEXPECTED_ERROR);
}

}  // namespace

Json Json::parse(std::string_view text) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end, hence the copy.
  simdjson::padded_string padded(text);
  dom::parser parser;
  return to_json(take(parser.parse(padded)));
}

}  // namespace instantly
