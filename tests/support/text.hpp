// Text checks that read well in assertions: CHECK(contains(error.what(), "limit")).
#pragma once

#include <string_view>

namespace instantly::testing {

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace instantly::testing
