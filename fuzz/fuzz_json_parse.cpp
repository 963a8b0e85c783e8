// Json::parse on arbitrary bytes: every body the client reads goes through it
// (raw requests, unknown fields, custom variables).
//
// Invariant: what parses prints back to text that parses to an equal value,
// compact and pretty alike, so a value read from the API survives a round trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "instantly/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using instantly::Json;
  instantly::fuzz::expect_only_library_errors([&] {
    const Json value = Json::parse(instantly::fuzz::as_text(data, size));
    const std::string compact = value.dump();
    instantly::fuzz::require(Json::parse(compact) == value, "Json::parse(dump()) differs from the value");
    instantly::fuzz::require(Json::parse(value.dump_pretty()) == value,
                             "Json::parse(dump_pretty()) differs from the value");
    // Reading members and elements back must stay within the documented errors.
    if (value.is_object()) {
      for (const auto& [key, member] : value.as_object()) {
        instantly::fuzz::require(value.find(key) != nullptr, "an object member cannot be found by its key");
        (void)member.size();
      }
    } else if (value.is_array() && !value.empty()) {
      (void)value.at(value.size() - 1);
    }
  });
  return 0;
}
