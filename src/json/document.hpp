// JSON text to typed values and back, as callers outside the codecs see it:
// two function templates, declared without the JSON libraries.
//
// The definitions live in json/codec.hpp, which only codec sources include.
// Each generated family's `<family>_wire.hpp` declares (extern template) the
// instantiations its operations answer with, and the family's codec source
// instantiates them; the Json-shaped ones are below. A resource source thus
// compiles against plain declarations and never parses simdjson or RapidJSON,
// which is most of what a translation unit that includes them costs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/page.hpp"

namespace instantly::detail {

/// JSON text to T. Throws DecodeError (with the JSON path when it is known).
template <class T>
T decode_document(std::string_view text);

/// T to compact JSON text.
template <class T>
std::string encode_document(const T& value);

// Instantiated in json/json_documents.cpp.
extern template Page<Json> decode_document<Page<Json>>(std::string_view);
extern template std::vector<Json> decode_document<std::vector<Json>>(std::string_view);

}  // namespace instantly::detail
