// instantly::Json: typed access, member and element editing, and equality.
// Parsing and writing live in json_parse.cpp and json_write.cpp.
#include "instantly/error.hpp"
#include "instantly/json.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace instantly {
namespace {

using Kind = Json::Kind;

// With the article, so that messages read "expected an object, got a string".
const char* describe(Kind kind) {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Bool: return "a bool";
    case Kind::Int: return "an int";
    case Kind::Double: return "a double";
    case Kind::String: return "a string";
    case Kind::Array: return "an array";
    case Kind::Object: return "an object";
  }
  return "an unknown kind";
}

[[noreturn]] void throw_wrong_kind(const char* expected, Kind actual) {
  throw DecodeError(std::string("expected ") + expected + ", got " + describe(actual));
}

// Compares exactly: converting the integer to double instead would make
// 2^53 + 1 equal to 2^53.
bool int_equals_double(std::int64_t i, double d) {
  // Both bounds are powers of two, so they are exact as doubles; NaN fails both.
  constexpr double kMin = -9223372036854775808.0;  // -2^63
  constexpr double kEnd = 9223372036854775808.0;   //  2^63
  if (!(d >= kMin && d < kEnd) || std::trunc(d) != d) return false;
  return static_cast<std::int64_t>(d) == i;
}

bool same_member(const Json::Member& a, const Json::Member& b) {
  return a.first == b.first && a.second == b.second;
}

// Objects are equal when they hold the same members in any order. The common
// case (both read from the same source) has the keys in the same order, so
// walk the shared prefix first and only sort what is left.
//
// Objects built through `Json(Object)` may repeat a key; then the n-th
// occurrence on one side is paired with the n-th on the other. The stable
// sort keeps that pairing, and the prefix walk consumes the same number of
// occurrences on both sides, so its early exit agrees with the sort.
bool objects_equal(const Json::Object& a, const Json::Object& b) {
  if (a.size() != b.size()) return false;
  std::size_t common = 0;
  for (; common < a.size() && a[common].first == b[common].first; ++common) {
    if (a[common].second != b[common].second) return false;
  }
  if (common == a.size()) return true;

  auto sorted_rest = [common](const Json::Object& members) {
    std::vector<const Json::Member*> rest;
    rest.reserve(members.size() - common);
    for (std::size_t i = common; i < members.size(); ++i) rest.push_back(&members[i]);
    std::stable_sort(rest.begin(), rest.end(),
                     [](const Json::Member* x, const Json::Member* y) { return x->first < y->first; });
    return rest;
  };
  auto rest_a = sorted_rest(a);
  auto rest_b = sorted_rest(b);
  return std::equal(rest_a.begin(), rest_a.end(), rest_b.begin(),
                    [](const Json::Member* x, const Json::Member* y) { return same_member(*x, *y); });
}

template <class Object>
auto find_member(Object& members, std::string_view key) {
  return std::find_if(members.begin(), members.end(),
                      [key](const Json::Member& member) { return member.first == key; });
}

}  // namespace

Json Json::array(std::initializer_list<Json> items) { return Json(Array(items)); }

// Built through `set`, so a repeated key keeps its first position and last value,
// the same as `parse` does.
Json Json::object(std::initializer_list<Member> members) {
  Json result{Object{}};
  for (const auto& [key, value] : members) result.set(key, value);
  return result;
}

bool Json::as_bool() const {
  if (const auto* b = std::get_if<bool>(&value_)) return *b;
  throw_wrong_kind("a bool", kind());
}

std::int64_t Json::as_int() const {
  if (const auto* i = std::get_if<std::int64_t>(&value_)) return *i;
  throw_wrong_kind("an int", kind());
}

double Json::as_double() const {
  if (const auto* d = std::get_if<double>(&value_)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&value_)) return static_cast<double>(*i);
  throw_wrong_kind("a number", kind());
}

const std::string& Json::as_string() const {
  if (const auto* s = std::get_if<std::string>(&value_)) return *s;
  throw_wrong_kind("a string", kind());
}

const Json::Array& Json::as_array() const {
  if (const auto* a = std::get_if<Array>(&value_)) return *a;
  throw_wrong_kind("an array", kind());
}

Json::Array& Json::as_array() {
  if (auto* a = std::get_if<Array>(&value_)) return *a;
  throw_wrong_kind("an array", kind());
}

const Json::Object& Json::as_object() const {
  if (const auto* o = std::get_if<Object>(&value_)) return *o;
  throw_wrong_kind("an object", kind());
}

Json::Object& Json::as_object() {
  if (auto* o = std::get_if<Object>(&value_)) return *o;
  throw_wrong_kind("an object", kind());
}

const Json* Json::find(std::string_view key) const noexcept {
  const auto* members = std::get_if<Object>(&value_);
  if (members == nullptr) return nullptr;
  auto it = find_member(*members, key);
  return it == members->end() ? nullptr : &it->second;
}

Json* Json::find(std::string_view key) noexcept {
  return const_cast<Json*>(std::as_const(*this).find(key));
}

const Json& Json::at(std::string_view key) const {
  const auto& members = as_object();
  auto it = find_member(members, key);
  if (it == members.end()) throw DecodeError("missing member \"" + std::string(key) + "\"");
  return it->second;
}

const Json& Json::at(std::size_t index) const {
  const auto& items = as_array();
  if (index >= items.size()) {
    throw DecodeError("index " + std::to_string(index) + " is out of range for an array of " +
                      std::to_string(items.size()) + " elements");
  }
  return items[index];
}

Json& Json::operator[](std::string_view key) {
  if (is_null()) value_ = Object{};
  auto& members = as_object();
  auto it = find_member(members, key);
  if (it != members.end()) return it->second;
  return members.emplace_back(std::string(key), Json()).second;
}

// Like `operator[]`, a null becomes an object; replacing keeps the member's
// position so that edited objects serialize in their original order.
Json& Json::set(std::string key, Json value) {
  if (is_null()) value_ = Object{};
  auto& members = as_object();
  auto it = find_member(members, key);
  if (it != members.end()) {
    it->second = std::move(value);
    return it->second;
  }
  return members.emplace_back(std::move(key), std::move(value)).second;
}

bool Json::erase(std::string_view key) {
  auto* members = std::get_if<Object>(&value_);
  if (members == nullptr) return false;
  auto it = find_member(*members, key);
  if (it == members->end()) return false;
  members->erase(it);
  return true;
}

void Json::push_back(Json value) {
  if (is_null()) value_ = Array{};
  as_array().push_back(std::move(value));
}

std::size_t Json::size() const noexcept {
  if (const auto* items = std::get_if<Array>(&value_)) return items->size();
  if (const auto* members = std::get_if<Object>(&value_)) return members->size();
  return 0;
}

bool operator==(const Json& a, const Json& b) {
  if (a.is_int() && b.is_double()) return int_equals_double(a.as_int(), b.as_double());
  if (a.is_double() && b.is_int()) return int_equals_double(b.as_int(), a.as_double());
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) return objects_equal(a.as_object(), b.as_object());
  return a.value_ == b.value_;
}

}  // namespace instantly
