// The text form of a sealed secret:
//   iks1.<key id>.<key check>.<nonce>.<ciphertext>.<tag>
// Reading is strict: every binary part must be canonical unpadded base64url of
// the right length, so no two texts decode to the same bytes and any changed
// character is caught (here, or by GCM's tag).
#pragma once

#include <string>
#include <string_view>

namespace instantly::secrets::detail {

inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;

struct SealedParts {
  std::string key_id;
  std::string check;       // as written (8 characters)
  std::string nonce;       // kNonceBytes
  std::string ciphertext;  // as long as the plaintext
  std::string tag;         // kTagBytes
};

/// "iks1.<key id>.<key check>": the associated data GCM authenticates.
std::string sealed_header(std::string_view key_id, std::string_view check);

std::string format_sealed(const SealedParts& parts);

/// Throws SealError(Malformed); the message never quotes the input, except a
/// key id that is well-formed.
SealedParts parse_sealed(std::string_view text);

}  // namespace instantly::secrets::detail
