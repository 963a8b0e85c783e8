// EVP_DecodeBlock wants a multiple of four characters and counts padding as
// zero bytes; this wrapper validates the text first, restores the padding an
// unpadded secret leaves out, and drops the bytes the padding stood for.
#include "webhooks/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <string>
#include <string_view>

namespace instantly::webhooks::detail {
namespace {

bool is_base64_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX / 4 * 3)) return {};  // far beyond any use here
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + the NUL EVP_EncodeBlock writes
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string base64url_encode_unpadded(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (text.size() % 4 == 1 || text.size() > static_cast<std::size_t>(INT_MAX / 2)) return std::nullopt;
  // Padding, when present, must be exactly what the length calls for.
  const std::size_t missing = (4 - text.size() % 4) % 4;
  if (padding != 0 && padding != missing) return std::nullopt;

  std::string normalized(text);
  for (char& c : normalized) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (!is_base64_char(c)) return std::nullopt;
  }
  normalized.append(missing, '=');

  std::string out(normalized.size() / 4 * 3, '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(normalized.data()),
                                      static_cast<int>(normalized.size()));
  if (decoded < 0 || static_cast<std::size_t>(decoded) < missing) return std::nullopt;
  out.resize(static_cast<std::size_t>(decoded) - missing);
  return out;
}

}  // namespace instantly::webhooks::detail
