#include "secrets/sealed_text.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/secrets.hpp"
#include "secrets/key_access.hpp"
#include "webhooks/base64.hpp"

namespace instantly::secrets::detail {
namespace {

constexpr std::size_t kParts = 6;
constexpr std::size_t kCheckChars = 8;
// Far beyond any API key; keeps a hostile input from costing much.
constexpr std::size_t kLongestText = 1 << 20;

[[noreturn]] void malformed(const std::string& why) {
  throw SealError(SealFailure::Malformed, "not a readable sealed secret: " + why);
}

std::string encode(std::string_view bytes) { return webhooks::detail::base64url_encode_unpadded(bytes); }

// Canonical unpadded base64url only: decoding and encoding again must give the text back.
std::string decode(std::string_view text, std::string_view part) {
  std::optional<std::string> bytes = webhooks::detail::base64_decode(text);
  if (!bytes || encode(*bytes) != text) malformed("the " + std::string(part) + " is not base64url");
  return *bytes;
}

std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t dot = text.find('.');
    parts.push_back(text.substr(0, dot));
    if (dot == std::string_view::npos || parts.size() > kParts) return parts;
    text.remove_prefix(dot + 1);
  }
}

}  // namespace

std::string sealed_header(std::string_view key_id, std::string_view check) {
  std::string header(kSealedPrefix);
  header.append(key_id).append(".").append(check);
  return header;
}

std::string format_sealed(const SealedParts& parts) {
  std::string text = sealed_header(parts.key_id, parts.check);
  text.append(".").append(encode(parts.nonce));
  text.append(".").append(encode(parts.ciphertext));
  text.append(".").append(encode(parts.tag));
  return text;
}

SealedParts parse_sealed(std::string_view text) {
  if (text.substr(0, kSealedPrefix.size()) != kSealedPrefix) {
    malformed("expected " + std::string(kSealedPrefix) + "<key id>.<key check>.<nonce>.<ciphertext>.<tag>");
  }
  if (text.size() > kLongestText) malformed("longer than any sealed secret");
  const std::vector<std::string_view> parts = split_dots(text);
  if (parts.size() != kParts) malformed("it has " + std::to_string(parts.size()) + " parts instead of 6");
  SealedParts out;
  if (!is_key_id(parts[1])) malformed("the key id is not 1 to 64 of A-Z a-z 0-9 _ -");
  out.key_id = std::string(parts[1]);
  if (parts[2].size() != kCheckChars) malformed("the key check is not 8 characters");
  decode(parts[2], "key check");
  out.check = std::string(parts[2]);
  out.nonce = decode(parts[3], "nonce");
  if (out.nonce.size() != kNonceBytes) malformed("the nonce is not 12 bytes");
  out.ciphertext = decode(parts[4], "ciphertext");
  out.tag = decode(parts[5], "tag");
  if (out.tag.size() != kTagBytes) malformed("the tag is not 16 bytes");
  return out;
}

}  // namespace instantly::secrets::detail
