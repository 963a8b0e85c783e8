// AES-256-GCM through OpenSSL's EVP interface: 12-byte nonce, 16-byte tag,
// associated data authenticated but not encrypted.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/secrets.hpp"

namespace instantly::secrets::detail {

using KeyBytes = std::array<unsigned char, Key::kSize>;

struct GcmSealed {
  std::string ciphertext;
  std::string tag;
};

/// Throws instantly::Error when OpenSSL fails.
GcmSealed gcm_encrypt(const KeyBytes& key, std::string_view nonce, std::string_view associated,
                      std::string_view plaintext);

/// The plaintext, or nothing when authentication fails (wrong key, or any
/// changed byte). Throws instantly::Error when OpenSSL itself fails.
std::optional<std::string> gcm_decrypt(const KeyBytes& key, std::string_view nonce, std::string_view associated,
                                       std::string_view ciphertext, std::string_view tag);

/// `n` bytes from OpenSSL's CSPRNG. Throws instantly::Error when it fails.
std::string random_bytes(std::size_t n);

}  // namespace instantly::secrets::detail
