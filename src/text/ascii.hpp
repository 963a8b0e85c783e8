// Byte-wise ASCII text helpers shared by the workflows and the secrets
// (emails, subjects, reply text, key material). No locale: bytes of 0x80 and
// above, UTF-8 included, pass unchanged.
#pragma once

#include <string>
#include <string_view>

namespace instantly::ascii {

/// Space, tab, CR, LF, form feed, vertical tab: what std::isspace means in the C locale.
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

inline std::string_view trim_space(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

/// Empty or only spaces.
inline bool is_blank(std::string_view text) { return trim_space(text).empty(); }

inline std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace instantly::ascii
