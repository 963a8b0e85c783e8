// Small text helpers shared by the verifiers.
#pragma once

#include <cstddef>
#include <string_view>

namespace instantly::webhooks::detail {

/// Without the spaces and horizontal tabs around it (HTTP's optional whitespace).
inline std::string_view trim_ows(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

inline char fold_ascii(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// `text` starts with `prefix`, ignoring ASCII case.
inline bool starts_with_nocase(std::string_view text, std::string_view prefix) noexcept {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (fold_ascii(text[i]) != fold_ascii(prefix[i])) return false;
  }
  return true;
}

}  // namespace instantly::webhooks::detail
