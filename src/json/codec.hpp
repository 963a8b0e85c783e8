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
// Only templates stay inline here. Everything that does not depend on a
// model type (scalars, Json, numbers, error paths, the document wrapper) is
// compiled once, in codec_read.cpp, codec_write.cpp and codec_document.cpp:
// inlined into every field of ~300 models it made each codec source several
// times larger to optimise, for no measurable gain in decoding speed.
//
// Private: nothing from simdjson or RapidJSON may reach include/. Code that
// only needs `decode_document` / `encode_document` includes json/document.hpp.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/nullable.hpp"
#include "instantly/open_enum.hpp"
#include "instantly/page.hpp"
#include "json/document.hpp"

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
  std::string path() const;

  /// Throws `expected <expected>, got <got>` at the current path.
  [[noreturn]] void fail(std::string_view expected, std::string_view got) const;
  /// Throws `malformed JSON: <detail>` at the current path.
  [[noreturn]] void fail_malformed(std::string_view detail) const;
  [[noreturn]] void fail_malformed(simdjson::error_code error) const;
  [[noreturn]] void fail_with(const std::string& message) const;

 private:
  struct Segment {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };

  Scope push(Segment segment) {
    if (segments_.size() >= kMaxDepth) fail_too_deep();
    segments_.push_back(segment);
    return Scope(*this);
  }
  [[noreturn]] void fail_too_deep() const;

  std::vector<Segment> segments_;
};

// ---------------------------------------------------------------------------
// Reading scalars (codec_read.cpp).

/// With the article, matching Json's own messages ("expected an object, got a string").
const char* describe(ondemand::json_type type);

/// Turns a failed `get_*` into the right message: a type mismatch names what
/// the value really is; anything else (bad escape, bad literal) is malformed JSON.
[[noreturn]] void fail_read(ondemand::value& json, simdjson::error_code error, ondemand::json_type wanted,
                            std::string_view expected, const DecodeContext& ctx);

/// The unescaped string; the view lives as long as the document.
std::string_view read_string(ondemand::value json, const DecodeContext& ctx);
bool read_bool(ondemand::value json, const DecodeContext& ctx);
/// True (and consumed) for JSON null; false, untouched, for anything else.
bool read_null(ondemand::value& json, const DecodeContext& ctx);
/// An integer; a whole number written as a real (5.0, 1e2) counts, 5.5 does
/// not. `expected` names the wanted type in the error ("a 64-bit integer").
std::int64_t read_int64(ondemand::value json, std::string_view expected, const DecodeContext& ctx);
double read_double(ondemand::value json, const DecodeContext& ctx);

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
// Writing scalars (codec_write.cpp).

void write_string(JsonWriter& writer, std::string_view text);
void write_key(JsonWriter& writer, std::string_view key);
void write_int64(JsonWriter& writer, std::int64_t value);
void write_null(JsonWriter& writer);

// ---------------------------------------------------------------------------
// The codecs.

/// Specialized for every type that crosses the wire; an unspecialized use is
/// a compile error (usually: the generated codec header was not included).
template <class T, class = void>
struct Codec;

template <>
struct Codec<std::string> {
  static void read(ondemand::value json, std::string& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, const std::string& value);
};

template <>
struct Codec<bool> {
  static void read(ondemand::value json, bool& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, bool value);
};

template <>
struct Codec<std::int64_t> {
  static void read(ondemand::value json, std::int64_t& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, std::int64_t value);
};

template <>
struct Codec<int> {
  static void read(ondemand::value json, int& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, int value);
};

template <>
struct Codec<double> {
  static void read(ondemand::value json, double& out, DecodeContext& ctx);
  /// JSON has no NaN or infinity; null is what Json::dump (and JavaScript) write.
  static void write(JsonWriter& writer, double value);
};

/// Any JSON value. Numbers follow Json::parse: an int when the literal is an
/// integer that fits int64, a double otherwise. Duplicate member names keep
/// the last value, at the position where the name first appeared.
template <>
struct Codec<Json> {
  static void read(ondemand::value json, Json& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, const Json& value);
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
      write_null(writer);
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
  static void write(JsonWriter& writer, E value) { write_int64(writer, static_cast<std::int64_t>(value)); }
};

/// Open string enums (classes deriving from StringEnum): any string is kept.
template <class E>
struct Codec<E, std::enable_if_t<std::is_base_of_v<StringEnum<E>, E>>> {
  static void read(ondemand::value json, E& out, DecodeContext& ctx) {
    out = E(std::string(read_string(json, ctx)));
  }
  static void write(JsonWriter& writer, const E& value) { write_string(writer, value.value()); }
};

/// The cursor of a page: a null or empty one means there is no next page.
void read_page_cursor(ondemand::value json, std::optional<std::string>& out, DecodeContext& ctx);
void write_page_cursor(JsonWriter& writer, const std::optional<std::string>& cursor);

/// `{"items": [...], "next_starting_after": "..."}`: a bare array is one page without a
/// cursor, other members are ignored. An object without `items` is not a page, and not an
/// empty one either: a DecodeError, so that "nothing there" and "not a listing" stay apart.
template <class T>
struct Codec<Page<T>> {
  static void read(ondemand::value json, Page<T>& out, DecodeContext& ctx) {
    ondemand::json_type type{};
    if (!json.type().get(type) && type == ondemand::json_type::array) {
      Codec<std::vector<T>>::read(json, out.items, ctx);
      return;
    }
    bool has_items = false;
    for_each_field(json, ctx, [&](std::string_view key, ondemand::value member) {
      if (key == "items") {
        has_items = true;
        Codec<std::vector<T>>::read(member, out.items, ctx);
      } else if (key == "next_starting_after") {
        read_page_cursor(member, out.next_starting_after, ctx);
      }
    });
    if (!has_items) ctx.fail_with("a list answer without `items`: not a page");
  }
  static void write(JsonWriter& writer, const Page<T>& page) {
    writer.StartObject();
    write_key(writer, "items");
    Codec<std::vector<T>>::write(writer, page.items);
    write_page_cursor(writer, page.next_starting_after);
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
void read_extra_field(std::string_view key, ondemand::value json, Json& extra_fields, DecodeContext& ctx);

/// Call after the object's fields when a required key never came.
[[noreturn]] void missing_required(std::string_view field, const DecodeContext& ctx);

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
/// Throws ValidationError when `extra_fields` is neither null nor an object.
void write_extra_fields(JsonWriter& writer, const Json& extra_fields);

// ---------------------------------------------------------------------------
// Whole documents (codec_document.cpp).

/// Reads the root of a parsed document into the object behind `out`.
using ReadRoot = void (*)(ondemand::value root, DecodeContext& ctx, void* out);

/// Parses `text` and calls `read_root(root, ctx, out)`; then insists that
/// nothing but whitespace follows the root value. Not a template, so the
/// parser plumbing is compiled once instead of once per decoded type.
void read_document(std::string_view text, ReadRoot read_root, void* out);

template <class T>
T decode_document(std::string_view text) {
  T out{};
  read_document(
      text,
      [](ondemand::value root, DecodeContext& ctx, void* target) {
        Codec<T>::read(root, *static_cast<T*>(target), ctx);
      },
      &out);
  return out;
}

/// The compact JSON text of what `write(writer)` writes.
template <class Write>
std::string write_document(Write&& write) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  write(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

template <class T>
std::string encode_document(const T& value) {
  return write_document([&value](JsonWriter& writer) { Codec<T>::write(writer, value); });
}

}  // namespace instantly::detail
