// Base64 for webhooks, through OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace instantly::webhooks::detail {

/// Standard alphabet, padded (`v1,` signatures).
std::string base64_encode(std::string_view bytes);
/// URL-safe alphabet (`-_`), no padding (generated secrets).
std::string base64url_encode_unpadded(std::string_view bytes);
/// Standard or URL-safe alphabet, padding optional. Nothing when the text is
/// not base64 (a character outside the alphabet, `=` anywhere but the end,
/// an impossible length).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace instantly::webhooks::detail
