// The writing half of the codec runtime that does not depend on a model
// type: strings, numbers, Json values and unknown members through RapidJSON's
// Writer. Compiled once; json/codec.hpp declares it.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "json/codec.hpp"

namespace instantly::detail {
namespace {

/// RapidJSON measures strings in 32 bits.
rapidjson::SizeType json_length(std::string_view text) {
  if (text.size() > std::numeric_limits<rapidjson::SizeType>::max()) {
    throw std::length_error("instantly: a string of 4 GiB or more cannot be written as JSON");
  }
  return static_cast<rapidjson::SizeType>(text.size());
}

}  // namespace

void write_string(JsonWriter& writer, std::string_view text) { writer.String(text.data(), json_length(text)); }

void write_key(JsonWriter& writer, std::string_view key) { writer.Key(key.data(), json_length(key)); }

void write_int64(JsonWriter& writer, std::int64_t value) { writer.Int64(value); }

void write_null(JsonWriter& writer) { writer.Null(); }

void Codec<std::string>::write(JsonWriter& writer, const std::string& value) { write_string(writer, value); }

void Codec<bool>::write(JsonWriter& writer, bool value) { writer.Bool(value); }

void Codec<std::int64_t>::write(JsonWriter& writer, std::int64_t value) { writer.Int64(value); }

void Codec<int>::write(JsonWriter& writer, int value) { writer.Int(value); }

void Codec<double>::write(JsonWriter& writer, double value) {
  if (std::isfinite(value)) {
    writer.Double(value);
  } else {
    writer.Null();
  }
}

void Codec<Json>::write(JsonWriter& writer, const Json& value) {
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

void write_page_cursor(JsonWriter& writer, const std::optional<std::string>& cursor) {
  write_key(writer, "next_starting_after");
  if (cursor) {
    write_string(writer, *cursor);
  } else {
    writer.Null();
  }
}

void write_extra_fields(JsonWriter& writer, const Json& extra_fields) {
  if (extra_fields.is_null()) return;
  if (!extra_fields.is_object()) {
    throw ValidationError("extra_fields must be a JSON object (or null for none)");
  }
  for (const auto& [key, value] : extra_fields.as_object()) write_field(writer, key, value);
}

}  // namespace instantly::detail
