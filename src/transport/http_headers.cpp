// HttpHeaders: an ordered multimap whose names match case-insensitively.
//
// Folding is ASCII-only on purpose: header names are tokens (RFC 9110 §5.1),
// so locale-aware comparison could only ever produce surprises.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/transport.hpp"

namespace instantly {
namespace {

char fold_ascii(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](char x, char y) { return fold_ascii(x) == fold_ascii(y); });
}

}  // namespace

void HttpHeaders::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::set(std::string name, std::string value) {
  auto first = std::find_if(entries_.begin(), entries_.end(),
                            [&](const Entry& e) { return same_name(e.first, name); });
  if (first == entries_.end()) {
    entries_.emplace_back(std::move(name), std::move(value));
    return;
  }
  // Keep the position of the first occurrence so the order callers see stays stable.
  auto rest = std::remove_if(std::next(first), entries_.end(),
                             [&](const Entry& e) { return same_name(e.first, name); });
  entries_.erase(rest, entries_.end());
  first->first = std::move(name);
  first->second = std::move(value);
}

void HttpHeaders::remove(std::string_view name) {
  std::erase_if(entries_, [&](const Entry& e) { return same_name(e.first, name); });
}

std::optional<std::string> HttpHeaders::get(std::string_view name) const {
  for (const auto& [entry_name, value] : entries_) {
    if (same_name(entry_name, name)) return value;
  }
  return std::nullopt;
}

}  // namespace instantly
