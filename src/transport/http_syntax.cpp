#include "transport/http_syntax.hpp"

#include <algorithm>
#include <string>

#include "instantly/error.hpp"

namespace instantly::detail {

bool is_http_token(std::string_view text) noexcept {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    return letter || digit || kSymbols.find(c) != std::string_view::npos;
  });
}

bool has_control_characters(std::string_view text, bool allow_tab) noexcept {
  return std::any_of(text.begin(), text.end(), [allow_tab](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f;
  });
}

void check_http_method(std::string_view method) {
  if (!is_http_token(method)) {
    throw ValidationError("the HTTP method is empty or not a token (letters, digits, !#$%&'*+-.^_`|~)");
  }
}

void check_http_header(std::string_view name, std::string_view value) {
  if (!is_http_token(name)) {
    throw ValidationError("an HTTP header name is empty or not a token (a ':', space or line break?)");
  }
  if (has_control_characters(value, /*allow_tab=*/true)) {
    throw ValidationError("HTTP header '" + std::string(name) +
                          "' has control characters in its value (a line break or NUL?)");
  }
}

}  // namespace instantly::detail
