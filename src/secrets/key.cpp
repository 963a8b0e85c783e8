// Key: 32 bytes read from hex or base64, their key check, and wiping.
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/secrets.hpp"
#include "secrets/key_access.hpp"
#include "text/ascii.hpp"
#include "secrets/wipe.hpp"
#include "webhooks/base64.hpp"
#include "webhooks/digest.hpp"

namespace instantly::secrets {
namespace {

using Bytes = std::array<unsigned char, Key::kSize>;

// Fixed label for the key check: the check says which key it is, nothing about its bytes.
constexpr std::string_view kCheckLabel = "instantly sealing key check v1";
constexpr std::size_t kCheckBytes = 6;  // 8 base64url characters

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Bytes> from_hex(std::string_view text) {
  if (text.size() != 2 * Key::kSize) return std::nullopt;
  Bytes out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_digit(text[2 * i]);
    const int low = hex_digit(text[2 * i + 1]);
    if (high < 0 || low < 0) {
      OPENSSL_cleanse(out.data(), out.size());
      return std::nullopt;
    }
    out[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return out;
}

std::optional<Bytes> from_base64(std::string_view text) {
  std::optional<std::string> decoded = webhooks::detail::base64_decode(text);
  if (!decoded) return std::nullopt;
  const detail::WipeOnExit wipe_decoded(*decoded);
  if (decoded->size() != Key::kSize) return std::nullopt;
  Bytes out{};
  std::copy(decoded->begin(), decoded->end(), out.begin());
  return out;
}

}  // namespace

namespace detail {

bool is_key_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

void require_key_id(std::string_view id) {
  if (!is_key_id(id)) {
    throw SealError(SealFailure::BadKeyMaterial, "a key id must be 1 to 64 of A-Z a-z 0-9 _ -");
  }
}

Key KeyAccess::make(std::string id, const std::array<unsigned char, Key::kSize>& bytes) {
  Key key;
  key.id_ = std::move(id);
  key.bytes_ = bytes;
  key.derive_check();
  return key;
}

}  // namespace detail

Key::Key(std::string id, std::string_view material) : id_(std::move(id)) {
  detail::require_key_id(id_);
  material = ascii::trim_space(material);
  std::optional<Bytes> bytes = from_hex(material);
  if (!bytes) bytes = from_base64(material);
  if (!bytes) {
    throw SealError(SealFailure::BadKeyMaterial,
                    "key '" + id_ + "': not 32 bytes as 64 hex digits or base64");
  }
  bytes_ = *bytes;
  OPENSSL_cleanse(bytes->data(), bytes->size());
  derive_check();
}

Key Key::generate(std::string id) {
  detail::require_key_id(id);
  Bytes bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("OpenSSL's random generator failed; no key generated");
  }
  Key key = detail::KeyAccess::make(std::move(id), bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

Key::Key(const Key& other) : id_(other.id_), bytes_(other.bytes_), check_(other.check_) {}

Key& Key::operator=(const Key& other) {
  if (this != &other) {
    id_ = other.id_;
    bytes_ = other.bytes_;
    check_ = other.check_;
  }
  return *this;
}

Key::~Key() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

void Key::derive_check() {
  const std::string_view key(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  const webhooks::detail::Sha256 mac = webhooks::detail::hmac_sha256(key, {kCheckLabel});
  check_ = webhooks::detail::base64url_encode_unpadded(
      std::string_view(reinterpret_cast<const char*>(mac.data()), kCheckBytes));
}

std::string generate_key_material() {
  Bytes bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("OpenSSL's random generator failed; no key generated");
  }
  std::string text =
      webhooks::detail::base64_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return text;
}

}  // namespace instantly::secrets
