// How error messages name the type of a JSON value they did not expect.
#pragma once

#include "instantly/json.hpp"

namespace instantly::detail {

/// "null", "a boolean", "a number", "a string", "an array", "an object":
/// reads naturally after "got" or "is".
inline const char* kind_with_article(const Json& value) noexcept {
  switch (value.kind()) {
    case Json::Kind::Null: return "null";
    case Json::Kind::Bool: return "a boolean";
    case Json::Kind::Int:
    case Json::Kind::Double: return "a number";
    case Json::Kind::String: return "a string";
    case Json::Kind::Array: return "an array";
    case Json::Kind::Object: return "an object";
  }
  return "a value";
}

}  // namespace instantly::detail
