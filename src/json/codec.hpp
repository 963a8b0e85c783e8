// The runtime behind the generated model codecs: JSON text straight into C++
// structs (simdjson On Demand) and back out (RapidJSON's Writer).
//
// Every type that crosses the wire has a `Codec<T>` with
//
//   static void read(ondemand::value json, T& out, DecodeContext& ctx);
//   static void write(JsonWriter& writer, const T& value);
//
// This header covers the vocabulary types (strings, numbers, bools, Json,
// vectors, optionals, Nullable, open enums, Page). Generated code adds an
// explicit specialization per model and builds it from the helpers at the
// end of this file. docs/adr/0005-codecs.md says why it is shaped like this.
//
// Private: nothing from simdjson or RapidJSON may reach include/.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/nullable.hpp"
#include "instantly/open_enum.hpp"
#include "instantly/page.hpp"

namespace instantly::detail {

namespace ondemand = simdjson::ondemand;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// ---------------------------------------------------------------------------
// Where we are in the document, for error messages.

/// Tracks the JSON path being decoded (`$.items[3].status`) and turns
/// failures into `DecodeError`s that carry it. Keys are kept as views (into
/// the parser's string buffer, which outlives the decode): the path is only
/// turned into text when something fails.
class DecodeContext {
 public:
  /// Deeper documents are refused: the recursive readers would exhaust the
  /// stack, and On Demand does not check depth itself (only its debug builds
  /// assert it stays under the parser's 1024). Kept below that, since our
  /// array wrapper and the document root add levels of their own.
  static constexpr std::size_t kMaxDepth = 1000;

  /// Leaves the member or element it entered when it goes out of scope.
  class [[nodiscard]] Scope {
   public:
    explicit Scope(DecodeContext& ctx) noexcept : ctx_(ctx) {}
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { ctx_.segments_.pop_back(); }

   private:
    DecodeContext& ctx_;
  };

  Scope enter(std::string_view key) { return push(Segment{key, 0, false}); }
  Scope enter(std::size_t index) { return push(Segment{{}, index, true}); }

  /// `$` for the root; names that are not plain identifiers are quoted (`$["a.b"]`).
  std::string path() const {
    std::string out = "$";
    for (const Segment& segment : segments_) {
      if (segment.is_index) {
        out += '[';
        out += std::to_string(segment.index);
        out += ']';
      } else if (is_plain_name(segment.key)) {
        out += '.';
        out += segment.key;
      } else {
        out += "[\"";
        for (char c : segment.key) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += "\"]";
      }
    }
    return out;
  }

  /// Throws `expected <expected>, got <got>` at the current path.
  [[noreturn]] void fail(std::string_view expected, std::string_view got) const {
    fail_with("expected " + std::string(expected) + ", got " + std::string(got));
  }
  /// Throws `malformed JSON: <detail>` at the current path.
  [[noreturn]] void fail_malformed(std::string_view detail) const {
    fail_with("malformed JSON: " + std::string(detail));
  }
  [[noreturn]] void fail_malformed(simdjson::error_code error) const {
    // simdjson reports a bad literal (`tru`, `nul`) as a type mismatch.
    fail_malformed(error == simdjson::INCORRECT_TYPE ? "invalid literal" : simdjson::error_message(error));
  }
  [[noreturn]] void fail_with(const std::string& message) const { throw DecodeError(message, path()); }

 private:
  struct Segment {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };

  Scope push(Segment segment) {
    if (segments_.size() >= kMaxDepth) {
      fail_with("JSON nested more than " + std::to_string(kMaxDepth) + " levels deep");
    }
    segments_.push_back(segment);
    return Scope(*this);
  }

  static bool is_plain_name(std::string_view key) {
    auto plain = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    return !key.empty() && std::all_of(key.begin(), key.end(), plain);
  }

  std::vector<Segment> segments_;
};

// ---------------------------------------------------------------------------
// Reading scalars.

/// With the article, matching Json's own messages ("expected an object, got a string").
inline const char* describe(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array: return "an array";
    case ondemand::json_type::object: return "an object";
    case ondemand::json_type::number: return "a number";
    case ondemand::json_type::string: return "a string";
    case ondemand::json_type::boolean: return "a bool";
    case ondemand::json_type::null: return "null";
  }
  return "an unknown value";
}

/// Turns a failed `get_*` into the right message: a type mismatch names what
/// the value really is; anything else (bad escape, bad literal) is malformed JSON.
[[noreturn]] inline void fail_read(ondemand::value& json, simdjson::error_code error,
                                   ondemand::json_type wanted, std::string_view expected,
                                   const DecodeContext& ctx) {
  ondemand::json_type actual{};
  if (error == simdjson::INCORRECT_TYPE && !json.type().get(actual) && actual != wanted) {
    ctx.fail(expected, describe(actual));
  }
  ctx.fail_malformed(error);
}

/// The unescaped string; the view lives as long as the document.
inline std::string_view read_string(ondemand::value json, const DecodeContext& ctx) {
  std::string_view text;
  if (auto error = json.get_string().get(text)) {
    fail_read(json, error, ondemand::json_type::string, "a string", ctx);
  }
  return text;
}

inline bool read_bool(ondemand::value json, const DecodeContext& ctx) {
  bool flag = false;
  if (auto error = json.get_bool().get(flag)) {
    fail_read(json, error, ondemand::json_type::boolean, "a bool", ctx);
  }
  return flag;
}

/// True (and consumed) for JSON null; false, untouched, for anything else.
inline bool read_null(ondemand::value& json, const DecodeContext& ctx) {
  bool null = false;
  if (auto error = json.is_null().get(null)) ctx.fail_malformed(error);
  return null;
}

// Numbers never go through simdjson's number parser: On Demand in 3.0.1
// misreads some doubles (see json_parse.cpp). We take the raw token, check
// it against JSON's grammar (std::from_chars alone would also take "01",
// "1." and "inf") and convert it with std::from_chars.

enum class NumberSyntax { Invalid, Integer, Real };  // Real: has a fraction or an exponent

inline NumberSyntax classify_number(std::string_view token) {
  std::size_t i = 0;
  auto digit_at = [&token](std::size_t at) {
    return at < token.size() && token[at] >= '0' && token[at] <= '9';
  };
  auto skip_digits = [&] {
    while (digit_at(i)) ++i;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (!digit_at(i)) return NumberSyntax::Invalid;
  if (token[i] == '0') {
    ++i;  // no leading zeros
  } else {
    skip_digits();
  }
  bool real = false;
  if (i < token.size() && token[i] == '.') {
    if (!digit_at(++i)) return NumberSyntax::Invalid;
    skip_digits();
    real = true;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digit_at(i)) return NumberSyntax::Invalid;
    skip_digits();
    real = true;
  }
  if (i != token.size()) return NumberSyntax::Invalid;
  return real ? NumberSyntax::Real : NumberSyntax::Integer;
}

/// For a valid number std::from_chars found out of range: whether it was too
/// large (|x| >= 1) rather than too small. Only the decimal exponent of the
/// leading significant digit matters, so huge exponents saturate.
inline bool magnitude_at_least_one(std::string_view token) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = token[0] == '-' ? 1 : 0;
  // The value is 0.d... x 10^scale, d the first significant digit.
  long long scale = 0;
  if (token[i] != '0') {
    for (; i < token.size() && is_digit(token[i]); ++i) ++scale;
  } else if (++i < token.size() && token[i] == '.') {
    for (++i; i < token.size() && token[i] == '0'; ++i) --scale;
  }
  std::size_t e = token.find_first_of("eE");
  if (e == std::string_view::npos) return scale > 0;
  long long written = 0;
  for (std::size_t k = e + 1; k < token.size(); ++k) {
    if (is_digit(token[k])) written = std::min(written * 10 + (token[k] - '0'), 1'000'000'000LL);
  }
  return scale + (token[e + 1] == '-' ? -written : written) > 0;
}

/// Like std::strtod for a valid JSON number, except that overflow is an
/// error (JSON has no infinity) instead of HUGE_VAL. Underflow gives zero.
inline std::optional<double> parse_double(std::string_view token) {
  double number = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), number);
  if (error == std::errc() && end == token.data() + token.size()) return number;
  if (error == std::errc::result_out_of_range && !magnitude_at_least_one(token)) {
    return token[0] == '-' ? -0.0 : 0.0;
  }
  return std::nullopt;
}

inline std::optional<std::int64_t> parse_int64(std::string_view token) {
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), number);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return number;
}

/// A double that is a whole number in int64 range, as an int64.
inline std::optional<std::int64_t> exact_int64(double number) {
  constexpr double kMin = -9223372036854775808.0;  // -2^63, exact
  constexpr double kEnd = 9223372036854775808.0;   //  2^63, exact
  if (!(number >= kMin && number < kEnd) || std::trunc(number) != number) return std::nullopt;
  return static_cast<std::int64_t>(number);
}

struct NumberToken {
  std::string_view text;
  NumberSyntax syntax;
};

/// Long enough to recognise, short enough for an exception message.
inline std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 40;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

/// The number's raw text, checked against JSON's grammar. Does not consume
/// the value; the enclosing object or array skips it afterwards.
inline NumberToken read_number_token(ondemand::value json, std::string_view expected,
                                     const DecodeContext& ctx) {
  std::string_view text = json.raw_json_token();
  text = text.substr(0, text.find_last_not_of(" \t\n\r") + 1);  // the token runs up to the next one
  NumberSyntax syntax = classify_number(text);
  if (syntax == NumberSyntax::Invalid) {
    ondemand::json_type actual{};
    if (auto error = json.type().get(actual)) ctx.fail_malformed(error);
    if (actual != ondemand::json_type::number) ctx.fail(expected, describe(actual));
    ctx.fail_malformed("invalid number " + excerpt(text));
  }
  return {text, syntax};
}

/// An integer; a whole number written as a real (5.0, 1e2) counts, 5.5 does not.
inline std::int64_t read_int64(ondemand::value json, std::string_view expected, const DecodeContext& ctx) {
  NumberToken token = read_number_token(json, expected, ctx);
  std::optional<std::int64_t> number;
  if (token.syntax == NumberSyntax::Integer) {
    number = parse_int64(token.text);
  } else if (std::optional<double> real = parse_double(token.text)) {
    number = exact_int64(*real);
  }
  if (!number) ctx.fail(expected, excerpt(token.text));
  return *number;
}

inline double read_double(ondemand::value json, const DecodeContext& ctx) {
  NumberToken token = read_number_token(json, "a number", ctx);
  std::optional<double> number = parse_double(token.text);
  if (!number) ctx.fail("a number within double range", excerpt(token.text));
  return *number;
}

// ---------------------------------------------------------------------------
// Walking objects and arrays.

/// Calls `on_field(std::string_view key, ondemand::value value)` for each
/// member, in document order, with the member's key entered in `ctx`.
/// Escaped keys arrive unescaped (`"na\u006De"` is "name").
template <class OnField>
void for_each_field(ondemand::value json, DecodeContext& ctx, OnField&& on_field) {
  ondemand::object object;
  if (auto error = json.get_object().get(object)) {
    fail_read(json, error, ondemand::json_type::object, "an object", ctx);
  }
  for (auto member : object) {
    ondemand::field field;
    if (auto error = std::move(member).get(field)) ctx.fail_malformed(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) ctx.fail_malformed(error);
    auto scope = ctx.enter(key);
    on_field(key, field.value());
  }
}

/// Calls `on_element(ondemand::value value)` for each element, with its index entered in `ctx`.
template <class OnElement>
void for_each_element(ondemand::value json, DecodeContext& ctx, OnElement&& on_element) {
  ondemand::array array;
  if (auto error = json.get_array().get(array)) {
    fail_read(json, error, ondemand::json_type::array, "an array", ctx);
  }
  std::size_t index = 0;
  for (auto element : array) {
    ondemand::value item;
    if (auto error = std::move(element).get(item)) ctx.fail_malformed(error);
    auto scope = ctx.enter(index++);
    on_element(item);
  }
}

// ---------------------------------------------------------------------------
// Writing.

/// RapidJSON measures strings in 32 bits.
inline rapidjson::SizeType json_length(std::string_view text) {
  if (text.size() > std::numeric_limits<rapidjson::SizeType>::max()) {
    throw std::length_error("instantly: a string of 4 GiB or more cannot be written as JSON");
  }
  return static_cast<rapidjson::SizeType>(text.size());
}

inline void write_string(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), json_length(text));
}

inline void write_key(JsonWriter& writer, std::string_view key) { writer.Key(key.data(), json_length(key)); }

// ---------------------------------------------------------------------------
// The codecs.

/// Specialized for every type that crosses the wire; an unspecialized use is
/// a compile error (usually: the generated codec header was not included).
template <class T, class = void>
struct Codec;

template <>
struct Codec<std::string> {
  static void read(ondemand::value json, std::string& out, DecodeContext& ctx) {
    out.assign(read_string(json, ctx));
  }
  static void write(JsonWriter& writer, const std::string& value) { write_string(writer, value); }
};

template <>
struct Codec<bool> {
  static void read(ondemand::value json, bool& out, DecodeContext& ctx) { out = read_bool(json, ctx); }
  static void write(JsonWriter& writer, bool value) { writer.Bool(value); }
};

template <>
struct Codec<std::int64_t> {
  static void read(ondemand::value json, std::int64_t& out, DecodeContext& ctx) {
    out = read_int64(json, "a 64-bit integer", ctx);
  }
  static void write(JsonWriter& writer, std::int64_t value) { writer.Int64(value); }
};

template <>
struct Codec<int> {
  static_assert(sizeof(int) == 4, "the messages below say 32-bit");
  static void read(ondemand::value json, int& out, DecodeContext& ctx) {
    std::int64_t number = read_int64(json, "a 32-bit integer", ctx);
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
      ctx.fail("a 32-bit integer", std::to_string(number));
    }
    out = static_cast<int>(number);
  }
  static void write(JsonWriter& writer, int value) { writer.Int(value); }
};

template <>
struct Codec<double> {
  static void read(ondemand::value json, double& out, DecodeContext& ctx) { out = read_double(json, ctx); }
  // JSON has no NaN or infinity; null is what Json::dump (and JavaScript) write.
  static void write(JsonWriter& writer, double value) {
    if (std::isfinite(value)) {
      writer.Double(value);
    } else {
      writer.Null();
    }
  }
};

/// Duplicate names are undefined in RFC 8259; like Json::parse we keep the
/// last value, at the position where the name first appeared.
inline void keep_last_of_duplicate_keys(Json::Object& members) {
  constexpr std::size_t kLinearScanLimit = 16;  // below this a quadratic scan beats hashing
  bool duplicates = false;
  if (members.size() <= kLinearScanLimit) {
    for (std::size_t i = 1; i < members.size() && !duplicates; ++i) {
      for (std::size_t j = 0; j < i && !duplicates; ++j) duplicates = members[i].first == members[j].first;
    }
  } else {
    std::unordered_set<std::string_view> seen;
    seen.reserve(members.size());
    for (const auto& member : members) duplicates = duplicates || !seen.insert(member.first).second;
  }
  if (!duplicates) return;
  Json::Object merged;
  merged.reserve(members.size());  // never reallocates below, so the views stay valid
  std::unordered_map<std::string_view, std::size_t> position;
  for (auto& [key, value] : members) {
    if (auto found = position.find(key); found != position.end()) {
      merged[found->second].second = std::move(value);
    } else {
      merged.emplace_back(std::move(key), std::move(value));
      position.emplace(merged.back().first, merged.size() - 1);
    }
  }
  members = std::move(merged);
}

/// Any JSON value. Numbers follow Json::parse: an int when the literal is an
/// integer that fits int64, a double otherwise.
template <>
struct Codec<Json> {
  static void read(ondemand::value json, Json& out, DecodeContext& ctx) {
    ondemand::json_type type{};
    if (auto error = json.type().get(type)) ctx.fail_malformed(error);
    switch (type) {
      case ondemand::json_type::object: {
        Json::Object members;
        for_each_field(json, ctx, [&](std::string_view key, ondemand::value member) {
          members.emplace_back(std::string(key), Json());
          read(member, members.back().second, ctx);
        });
        keep_last_of_duplicate_keys(members);
        out = Json(std::move(members));
        return;
      }
      case ondemand::json_type::array: {
        Json::Array items;
        for_each_element(json, ctx, [&](ondemand::value item) { read(item, items.emplace_back(), ctx); });
        out = Json(std::move(items));
        return;
      }
      case ondemand::json_type::number: out = read_number(json, ctx); return;
      case ondemand::json_type::string: out = Json(read_string(json, ctx)); return;
      case ondemand::json_type::boolean: out = Json(read_bool(json, ctx)); return;
      case ondemand::json_type::null:
        if (!read_null(json, ctx)) ctx.fail_malformed("invalid literal");
        out = Json();
        return;
    }
    ctx.fail_malformed("unknown value type");
  }

  static void write(JsonWriter& writer, const Json& value) {
    switch (value.kind()) {
      case Json::Kind::Null: writer.Null(); return;
      case Json::Kind::Bool: writer.Bool(value.as_bool()); return;
      case Json::Kind::Int: writer.Int64(value.as_int()); return;
      case Json::Kind::Double: Codec<double>::write(writer, value.as_double()); return;
      case Json::Kind::String: write_string(writer, value.as_string()); return;
      case Json::Kind::Array:
        writer.StartArray();
        for (const Json& item : value.as_array()) write(writer, item);
        writer.EndArray();
        return;
      case Json::Kind::Object:
        writer.StartObject();
        for (const auto& [key, member] : value.as_object()) {
          write_key(writer, key);
          write(writer, member);
        }
        writer.EndObject();
        return;
    }
  }

 private:
  static Json read_number(ondemand::value json, const DecodeContext& ctx) {
    NumberToken token = read_number_token(json, "a number", ctx);
    if (token.syntax == NumberSyntax::Integer) {
      if (std::optional<std::int64_t> integer = parse_int64(token.text)) return Json(*integer);
    }
    std::optional<double> real = parse_double(token.text);
    if (!real) ctx.fail("a number within double range", excerpt(token.text));
    return Json(*real);
  }
};

template <class T>
struct Codec<std::vector<T>> {
  static void read(ondemand::value json, std::vector<T>& out, DecodeContext& ctx) {
    out.clear();
    for_each_element(json, ctx, [&](ondemand::value item) {
      if constexpr (std::is_same_v<T, bool>) {  // vector<bool> has no T& to read into
        out.push_back(read_bool(item, ctx));
      } else {
        Codec<T>::read(item, out.emplace_back(), ctx);
      }
    });
  }
  static void write(JsonWriter& writer, const std::vector<T>& values) {
    writer.StartArray();
    for (const auto& item : values) Codec<T>::write(writer, item);
    writer.EndArray();
  }
};

/// An optional field. A null where the schema does not allow one reads as
/// absent: servers send nulls their specs do not mention, and failing the
/// whole response over it would help nobody.
template <class T>
struct Codec<std::optional<T>> {
  static void read(ondemand::value json, std::optional<T>& out, DecodeContext& ctx) {
    if (read_null(json, ctx)) {
      out.reset();
      return;
    }
    Codec<T>::read(json, out.emplace(), ctx);
  }
  /// Callers write only present optionals (write_field skips absent ones).
  static void write(JsonWriter& writer, const std::optional<T>& value) {
    if (!value) throw std::logic_error("instantly: an absent optional has no JSON form; skip the field");
    Codec<T>::write(writer, *value);
  }
};

template <class T>
struct Codec<Nullable<T>> {
  static void read(ondemand::value json, Nullable<T>& out, DecodeContext& ctx) {
    if (read_null(json, ctx)) {
      out.set_null();
      return;
    }
    Codec<T>::read(json, out.emplace(), ctx);
  }
  /// Callers write only present Nullables (write_field skips absent ones).
  static void write(JsonWriter& writer, const Nullable<T>& value) {
    if (value.is_null()) {
      writer.Null();
    } else if (value.has_value()) {
      Codec<T>::write(writer, *value);
    } else {
      throw std::logic_error("instantly: an absent Nullable has no JSON form; skip the field");
    }
  }
};

/// Open integer enums (`enum class X : std::int64_t`): any integer is kept.
template <class E>
struct Codec<E, std::enable_if_t<std::is_enum_v<E>>> {
  static_assert(std::is_same_v<std::underlying_type_t<E>, std::int64_t>,
                "wire enums are open: declare them as enum class X : std::int64_t");
  static void read(ondemand::value json, E& out, DecodeContext& ctx) {
    out = static_cast<E>(read_int64(json, "an integer", ctx));
  }
  static void write(JsonWriter& writer, E value) { writer.Int64(static_cast<std::int64_t>(value)); }
};

/// Open string enums (classes deriving from StringEnum): any string is kept.
template <class E>
struct Codec<E, std::enable_if_t<std::is_base_of_v<StringEnum<E>, E>>> {
  static void read(ondemand::value json, E& out, DecodeContext& ctx) {
    out = E(std::string(read_string(json, ctx)));
  }
  static void write(JsonWriter& writer, const E& value) { write_string(writer, value.value()); }
};

/// `{"items": [...], "next_starting_after": "..."}`:
/// a bare array is one page without a cursor, a null or empty cursor means
/// there is no next page, missing items mean none, other members are ignored.
template <class T>
struct Codec<Page<T>> {
  static void read(ondemand::value json, Page<T>& out, DecodeContext& ctx) {
    ondemand::json_type type{};
    if (!json.type().get(type) && type == ondemand::json_type::array) {
      Codec<std::vector<T>>::read(json, out.items, ctx);
      return;
    }
    for_each_field(json, ctx, [&](std::string_view key, ondemand::value member) {
      if (key == "items") {
        Codec<std::vector<T>>::read(member, out.items, ctx);
      } else if (key == "next_starting_after") {
        Codec<std::optional<std::string>>::read(member, out.next_starting_after, ctx);
        if (out.next_starting_after && out.next_starting_after->empty()) out.next_starting_after.reset();
      }
    });
  }
  static void write(JsonWriter& writer, const Page<T>& page) {
    writer.StartObject();
    write_key(writer, "items");
    Codec<std::vector<T>>::write(writer, page.items);
    write_key(writer, "next_starting_after");
    if (page.next_starting_after) {
      write_string(writer, *page.next_starting_after);
    } else {
      writer.Null();
    }
    writer.EndObject();
  }
};

// ---------------------------------------------------------------------------
// Helpers for generated model codecs.

/// `Codec<T>::read` with T deduced from the destination field.
template <class T>
void read_value(ondemand::value json, T& out, DecodeContext& ctx) {
  Codec<T>::read(json, out, ctx);
}

/// Keeps a member the model does not know, in document order. A repeated
/// name keeps its first position and its last value, as Json::parse does.
/// The lookup is linear in the unknown members kept so far, which are few:
/// the schema lists what the API sends.
inline void read_extra_field(std::string_view key, ondemand::value json, Json& extra_fields,
                             DecodeContext& ctx) {
  Json value;
  Codec<Json>::read(json, value, ctx);
  if (!extra_fields.is_object()) extra_fields = Json::object();
  if (Json* existing = extra_fields.find(key)) {
    *existing = std::move(value);
  } else {
    extra_fields.as_object().emplace_back(std::string(key), std::move(value));
  }
}

/// Call after the object's fields when a required key never came.
[[noreturn]] inline void missing_required(std::string_view field, const DecodeContext& ctx) {
  ctx.fail_with("missing required field \"" + std::string(field) + "\"");
}

/// Writes `"key": value`.
template <class T>
void write_field(JsonWriter& writer, std::string_view key, const T& value) {
  write_key(writer, key);
  Codec<T>::write(writer, value);
}

/// Writes nothing for an absent optional.
template <class T>
void write_field(JsonWriter& writer, std::string_view key, const std::optional<T>& value) {
  if (value) write_field(writer, key, *value);
}

/// Writes nothing when absent, `"key": null` when null.
template <class T>
void write_field(JsonWriter& writer, std::string_view key, const Nullable<T>& value) {
  if (!value.is_present()) return;
  write_key(writer, key);
  Codec<Nullable<T>>::write(writer, value);
}

/// The members kept by read_extra_field (or added by the caller), after the known ones.
inline void write_extra_fields(JsonWriter& writer, const Json& extra_fields) {
  if (extra_fields.is_null()) return;
  if (!extra_fields.is_object()) {
    throw ValidationError("extra_fields must be a JSON object (or null for none)");
  }
  for (const auto& [key, value] : extra_fields.as_object()) write_field(writer, key, value);
}

// ---------------------------------------------------------------------------
// Whole documents.

/// The text wrapped as `[text]`, padded as simdjson requires. The wrapper
/// makes every root a container: simdjson 3.0.1 cannot hand out a scalar
/// root as a value, and the closing bracket marks where the text must end.
inline simdjson::padded_string wrap_in_array(std::string_view text) {
  simdjson::padded_string padded(text.size() + 2);
  char* data = padded.data();
  if (data == nullptr) throw std::bad_alloc();
  data[0] = '[';
  if (!text.empty()) std::memcpy(data + 1, text.data(), text.size());
  data[text.size() + 1] = ']';
  return padded;
}

[[noreturn]] inline void throw_malformed_document(std::string_view detail) {
  throw DecodeError("malformed JSON: " + std::string(detail));
}

/// This thread's parser. It keeps its buffers between documents; `busy`
/// marks it taken. (Not inside the template below: each instantiation of a
/// function template would get a thread_local of its own.)
struct ReusableParser {
  ondemand::parser parser;
  bool busy = false;
};
inline ReusableParser& thread_parser() {
  static thread_local ReusableParser reusable;
  return reusable;
}

/// Runs `use(parser)`, with this thread's parser when it can. Large documents
/// and decodes nested in a decode get a parser of their own, so a thread
/// never holds on to a huge buffer nor reuses one that is still in use.
template <class Use>
void with_parser(std::size_t size, Use&& use) {
  constexpr std::size_t kReusableUpTo = std::size_t{1} << 20;
  ReusableParser& reusable = thread_parser();
  if (reusable.busy || size > kReusableUpTo) {
    ondemand::parser own;
    use(own);
    return;
  }
  struct Release {
    bool& busy;
    ~Release() { busy = false; }
  };
  reusable.busy = true;
  Release release{reusable.busy};
  use(reusable.parser);
}

/// Parses `text` and calls `read_root(ondemand::value root, DecodeContext& ctx)`;
/// then insists that nothing but whitespace follows the root value.
template <class ReadRoot>
void read_document(std::string_view text, ReadRoot&& read_root) {
  simdjson::padded_string padded = wrap_in_array(text);
  with_parser(padded.size(), [&](ondemand::parser& parser) {
    ondemand::document document;
    if (auto error = parser.iterate(padded).get(document)) {
      throw_malformed_document(simdjson::error_message(error));
    }
    ondemand::array wrapper;
    if (auto error = document.get_array().get(wrapper)) {
      throw_malformed_document(simdjson::error_message(error));
    }
    DecodeContext ctx;
    bool have_root = false;
    for (auto element : wrapper) {
      ondemand::value root;
      auto error = std::move(element).get(root);
      if (have_root) throw_malformed_document("unexpected content after the JSON value");
      if (error) ctx.fail_malformed(error);
      read_root(root, ctx);
      have_root = true;
    }
    if (!have_root) throw_malformed_document("no JSON value in the text");
    const char* rest = nullptr;
    if (document.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      throw_malformed_document("unexpected content after the JSON value");
    }
  });
}

/// JSON text to T. Throws DecodeError (with the JSON path when it is known).
template <class T>
T decode_document(std::string_view text) {
  T out{};
  read_document(text, [&out](ondemand::value root, DecodeContext& ctx) { Codec<T>::read(root, out, ctx); });
  return out;
}

/// T to compact JSON text.
template <class T>
std::string encode_document(const T& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  Codec<T>::write(writer, value);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace instantly::detail
