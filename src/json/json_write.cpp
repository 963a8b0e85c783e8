// Json::dump and Json::dump_pretty: an owned Json tree to text, through RapidJSON.
//
// RapidJSON escapes control characters and writes the shortest digits that
// read back as the same double, which is what a value sent to the API needs.
// Strings are written byte for byte: Json::parse only produces valid UTF-8,
// and text a caller put in a Json is the caller's to keep valid.
#include "instantly/json.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace instantly {
namespace {

// RapidJSON measures strings in 32 bits.
rapidjson::SizeType rapidjson_length(const std::string& text) {
  if (text.size() > std::numeric_limits<rapidjson::SizeType>::max()) {
    throw std::length_error("instantly::Json: a string of 4 GiB or more cannot be written as JSON");
  }
  return static_cast<rapidjson::SizeType>(text.size());
}

template <class Writer>
void write(Writer& writer, const Json& value) {
  switch (value.kind()) {
    case Json::Kind::Null:
      writer.Null();
      return;
    case Json::Kind::Bool:
      writer.Bool(value.as_bool());
      return;
    case Json::Kind::Int:
      writer.Int64(value.as_int());
      return;
    case Json::Kind::Double:
      // JSON has no NaN or infinity; null is what JavaScript's JSON.stringify writes.
      if (std::isfinite(value.as_double())) {
        writer.Double(value.as_double());
      } else {
        writer.Null();
      }
      return;
    case Json::Kind::String: {
      const auto& text = value.as_string();
      writer.String(text.data(), rapidjson_length(text));
      return;
    }
    case Json::Kind::Array:
      writer.StartArray();
      for (const auto& item : value.as_array()) write(writer, item);
      writer.EndArray();
      return;
    case Json::Kind::Object:
      writer.StartObject();
      for (const auto& [key, member] : value.as_object()) {
        writer.Key(key.data(), rapidjson_length(key));
        write(writer, member);
      }
      writer.EndObject();
      return;
  }
}

std::string contents(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string Json::dump() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  write(writer, *this);
  return contents(buffer);
}

std::string Json::dump_pretty(int indent) const {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', static_cast<unsigned>(std::max(indent, 0)));
  write(writer, *this);
  return contents(buffer);
}

}  // namespace instantly
