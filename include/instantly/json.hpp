// instantly::Json — an owned JSON value.
//
// Used where the API's data has no fixed shape: unknown fields kept by models,
// `custom_variables`, free-form objects, and the raw escape hatch
// `Client::request`. Objects keep their members in insertion order so a value
// read from the API and written back comes out in the order it came in.
//
// Thread-safety: a `Json` is a plain value; concurrent reads are safe,
// concurrent writes to the same value are not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace instantly {

class Json {
 public:
  enum class Kind { Null, Bool, Int, Double, String, Array, Object };

  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool value) : value_(value) {}
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  Json(I value) : value_(static_cast<std::int64_t>(value)) {}
  Json(double value) : value_(value) {}
  Json(std::string value) : value_(std::move(value)) {}
  Json(std::string_view value) : value_(std::string(value)) {}
  Json(const char* value) : value_(std::string(value)) {}
  Json(Array value) : value_(std::move(value)) {}
  Json(Object value) : value_(std::move(value)) {}

  /// An empty array / object (a default `Json` is null).
  static Json array(std::initializer_list<Json> items = {});
  static Json object(std::initializer_list<Member> members = {});

  /// Parses JSON text (simdjson). Throws `DecodeError` on malformed input.
  static Json parse(std::string_view text);

  /// Compact JSON text (RapidJSON). Doubles that are not finite become null.
  std::string dump() const;
  /// Indented JSON text, for humans.
  std::string dump_pretty(int indent = 2) const;

  Kind kind() const noexcept { return static_cast<Kind>(value_.index()); }
  bool is_null() const noexcept { return kind() == Kind::Null; }
  bool is_bool() const noexcept { return kind() == Kind::Bool; }
  bool is_int() const noexcept { return kind() == Kind::Int; }
  bool is_double() const noexcept { return kind() == Kind::Double; }
  bool is_number() const noexcept { return is_int() || is_double(); }
  bool is_string() const noexcept { return kind() == Kind::String; }
  bool is_array() const noexcept { return kind() == Kind::Array; }
  bool is_object() const noexcept { return kind() == Kind::Object; }

  // Typed access. Each throws `DecodeError` when the value has another kind;
  // `as_double` also accepts integers.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;
  const std::string& as_string() const;
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();

  /// Object member lookup; nullptr when absent or when this is not an object.
  const Json* find(std::string_view key) const noexcept;
  Json* find(std::string_view key) noexcept;
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
  /// Object member; throws `DecodeError` when absent or not an object.
  const Json& at(std::string_view key) const;
  /// Array element; throws `DecodeError` when out of range or not an array.
  const Json& at(std::size_t index) const;
  /// Member for writing: turns a null into an object, appends the key if missing.
  Json& operator[](std::string_view key);

  /// Sets (replacing in place or appending) an object member.
  Json& set(std::string key, Json value);
  /// Removes an object member; returns whether it was there.
  bool erase(std::string_view key);
  /// Appends to an array (turns a null into an array).
  void push_back(Json value);
  /// Number of array elements or object members; 0 for scalars.
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  friend bool operator==(const Json& a, const Json& b);

 private:
  // Order matches `Kind`.
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> value_;
};

}  // namespace instantly
