// The request schemas of the API as plain static data, one `Schema` node per
// JSON-Schema object, for the interpreter in validate.hpp.
//
// The code generator emits ~2000 of these nodes. They are aggregates built
// from pointers, spans over static arrays, optionals and string literals, so
// every node is constant-initialised (no start-up code, no static-init-order
// issues between files) and compiles as fast as any table of structs. Nothing
// here owns memory; all pointers refer to other static data.
//
// Only the keywords the spec's request bodies and parameters use are modelled.
// `default`, `description`, `example(s)`, `deprecated`, `title` and vendor
// `x-` keys are dropped by the generator, and so is every format other than
// the three below. `if`/`then`/`else`, `not`, `contains` and `uniqueItems`
// are kept: the spec states its either-or rules with them.
//
// ---------------------------------------------------------------------------
// How the generator emits a schema
// ---------------------------------------------------------------------------
// * One `const Schema` per JSON-Schema object, inside an unnamed namespace,
//   children before parents (the spec's request schemas are inlined trees, so
//   a post-order walk always works and no forward declarations are needed).
// * Designated initialisers, fields in the order `Schema` declares them
//   (C++20 requires that order); leave out every field that is at its default.
// * `type: "string"` -> `.types = kString`; `type: ["string", "null"]` ->
//   `.types = kString | kNull`; no `type` -> leave `.types` out (any type).
// * `properties` -> an array of `Property{name, &child}`; `required` -> an array
//   of names. Each array is a named `const` array next to its node.
// * `additionalProperties: false` -> `&kNever`; a schema -> `&child`;
//   `true` or absent -> leave it out.
// * `{}` or `true` as a child schema -> `&kAnyValue`.
// * `enum` -> the JSON text of the value list (`json.dumps(values)`), as a
//   C++ string literal (escaped, or raw with a delimiter absent from the text).
// * `format` -> `Format::Email`, `Format::Date` or `Format::DateTime`; any
//   other format is left out.
// * `pattern` -> the pattern as a C++ string literal (escape backslashes).
// * Numbers as C++ literals (`100`, `0.5`); counts as plain integers.
// * `anyOf` / `oneOf` / `allOf` -> an array of `const Schema*`.
// * `readOnly: true` -> `.read_only = true`.
// * `contains`, `not`, `if`, `then`, `else` -> `&child` in `.contains`,
//   `.not_schema`, `.if_schema`, `.then_schema`, `.else_schema`;
//   `uniqueItems: true` -> `.unique_items = true`.
//
// Complete example. This JSON Schema
//
//   {"type": "object",
//    "required": ["handle", "days"],
//    "additionalProperties": false,
//    "properties": {
//      "handle": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
//      "days":   {"type": "array", "maxItems": 3,
//                 "items": {"type": "string", "enum": ["mon", "tue", "wed"]}},
//      "window": {"type": "object",
//                 "properties": {"from": {"type": "string", "format": "date"},
//                                "hours": {"type": ["integer", "null"],
//                                          "minimum": 1, "maximum": 24}}}}}
//
// is emitted as
//
//   #include "validation/schema.hpp"
//
//   namespace instantly::detail::validation::generated {
//   namespace {
//
//   const Schema s0{.types = kString, .pattern = "^[a-z][a-z0-9_]*$"};
//   const Schema s1{.types = kString, .enum_json = R"json(["mon","tue","wed"])json"};
//   const Schema s2{.types = kArray, .items = &s1, .max_items = 3};
//   const Schema s3{.types = kString, .format = Format::Date};
//   const Schema s4{.types = kInteger | kNull, .minimum = 1, .maximum = 24};
//   const Property s5_properties[] = {{"from", &s3}, {"hours", &s4}};
//   const Schema s5{.types = kObject, .properties = s5_properties};
//   const Property s6_properties[] = {{"handle", &s0}, {"days", &s2}, {"window", &s5}};
//   const char* const s6_required[] = {"handle", "days"};
//
//   }  // namespace
//
//   // Exported roots need `extern`: a namespace-scope const is otherwise
//   // internal. The matching `extern const Schema create_widget_body;` goes
//   // in the generated header.
//   extern const Schema create_widget_body;
//   const Schema create_widget_body{.types = kObject,
//                                   .properties = s6_properties,
//                                   .required = s6_required,
//                                   .additional_properties = &kNever};
//
//   }  // namespace instantly::detail::validation::generated
//
// Query parameter tables are emitted next to it; see `QueryParam` in
// validate.hpp for that form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace instantly::detail::validation {

/// The JSON types a node accepts, one bit each so that a type list such as
/// `["string", "null"]` is a single value. Empty means "any type".
struct TypeSet {
  std::uint8_t bits = 0;

  constexpr bool any() const noexcept { return bits == 0; }
  constexpr bool has(TypeSet other) const noexcept { return (bits & other.bits) != 0; }
  friend constexpr TypeSet operator|(TypeSet a, TypeSet b) noexcept {
    return TypeSet{static_cast<std::uint8_t>(a.bits | b.bits)};
  }
  friend constexpr bool operator==(TypeSet a, TypeSet b) noexcept = default;
};

inline constexpr TypeSet kNull{1};
inline constexpr TypeSet kBoolean{2};
inline constexpr TypeSet kInteger{4};  ///< a number with no fractional part (1 and 1.0)
inline constexpr TypeSet kNumber{8};   ///< any number, integers included
inline constexpr TypeSet kString{16};
inline constexpr TypeSet kArray{32};
inline constexpr TypeSet kObject{64};

/// The `format` values worth checking. Anything else is not checked.
enum class Format : std::uint8_t {
  None,
  Email,     ///< one '@', something before it, a dotted domain after it
  Date,      ///< YYYY-MM-DD
  DateTime,  ///< YYYY-MM-DDTHH:MM[:SS[.frac]][Z|+HH:MM]
};

struct Schema;

/// One entry of `properties`.
struct Property {
  const char* name;
  const Schema* schema;
};

/// One JSON-Schema object. Every field defaults to "no constraint".
/// Keep the field order: generated code relies on it (designated initialisers).
struct Schema {
  TypeSet types;  ///< `type`; empty = any

  // Objects.
  std::span<const Property> properties;  ///< `properties`
  std::span<const char* const> required;  ///< `required`
  /// `additionalProperties`: nullptr allows any extra member, `&kNever`
  /// rejects them, anything else validates each extra member.
  const Schema* additional_properties = nullptr;
  std::optional<std::size_t> min_properties;

  // Arrays.
  const Schema* items = nullptr;  ///< nullptr: items are not checked
  std::optional<std::size_t> min_items;
  std::optional<std::size_t> max_items;
  /// `contains`: at least one item must match it.
  const Schema* contains = nullptr;
  /// `uniqueItems`: no two items may be equal (Json equality, so 1 == 1.0).
  bool unique_items = false;

  // Strings. Lengths count Unicode code points, as JSON Schema does.
  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;
  /// ECMAScript regex, searched (not anchored) like JSON Schema's `pattern`.
  const char* pattern = nullptr;
  Format format = Format::None;

  // Numbers.
  std::optional<double> minimum;
  std::optional<double> maximum;

  // Any type.
  /// `enum` as JSON array text, e.g. `["active","paused"]`; parsed once, on
  /// first use. Values compare with `Json` equality (1 == 1.0).
  const char* enum_json = nullptr;
  std::span<const Schema* const> all_of;  ///< every branch must match
  /// `anyOf` and `oneOf`: at least one branch must match. `oneOf` is NOT
  /// checked for "exactly one": the spec's oneOf branches overlap (e.g. a
  /// string enum next to a plain string), so a strict check would reject
  /// requests the API accepts.
  std::span<const Schema* const> any_of;
  std::span<const Schema* const> one_of;
  /// `not`: the value must NOT match it. The spec says "not both a and b" as
  /// `not: {required: [a, b]}`.
  const Schema* not_schema = nullptr;
  /// `if` / `then` / `else`: a value that matches `if_schema` must match
  /// `then_schema`, any other must match `else_schema` (either may be absent).
  const Schema* if_schema = nullptr;
  const Schema* then_schema = nullptr;
  const Schema* else_schema = nullptr;
  /// `readOnly`: the member may appear in responses only; sending it is an
  /// error, and it is never required in a request.
  bool read_only = false;
  /// The `false` schema: nothing matches. Use `kNever` rather than setting it.
  bool never = false;
};

/// The empty schema `{}` (or `true`): every value matches.
inline constexpr Schema kAnyValue{};
/// The schema `false`: no value matches. As `additional_properties` it means
/// "unknown members are rejected".
inline constexpr Schema kNever{.never = true};

}  // namespace instantly::detail::validation
