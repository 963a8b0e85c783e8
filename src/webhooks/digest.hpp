// SHA-256, HMAC-SHA256 and constant-time comparison, through OpenSSL.
#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>

namespace instantly::webhooks::detail {

using Sha256 = std::array<unsigned char, 32>;

/// SHA-256 of the concatenated parts (EVP_Digest*). Throws instantly::Error if OpenSSL fails.
Sha256 sha256(std::initializer_list<std::string_view> parts);
/// HMAC-SHA256 of the concatenated parts under `key` (EVP_MAC). Throws instantly::Error if OpenSSL fails.
Sha256 hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);
/// CRYPTO_memcmp: the time taken does not depend on where the digests differ.
bool digests_equal(const Sha256& a, const Sha256& b) noexcept;
/// Lower-case hex, 64 characters.
std::string to_hex(const Sha256& digest);

}  // namespace instantly::webhooks::detail
