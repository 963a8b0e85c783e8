// A byte-at-a-time validator with an eight-byte ASCII fast path; webhook
// bodies are small and mostly ASCII. Ranges follow RFC 3629, table 3-7 of
// the Unicode standard (well-formed byte sequences).
#include "webhooks/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace instantly::webhooks::detail {

std::size_t first_invalid_utf8(std::string_view text) noexcept {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    if (i + 8 <= size) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, bytes + i, sizeof chunk);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;   // allowed range of the second byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // no overlong
      if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // no overlong
      if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;  // continuation byte, C0/C1, or F5..FF
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace instantly::webhooks::detail
