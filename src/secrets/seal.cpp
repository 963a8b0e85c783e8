// seal / open / reseal over the sealed text format and AES-256-GCM.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/secrets.hpp"
#include "secrets/aes_gcm.hpp"
#include "secrets/key_access.hpp"
#include "secrets/sealed_text.hpp"
#include "secrets/wipe.hpp"

namespace instantly::secrets {
namespace {

std::string id_list(const KeyRing& ring) {
  std::string text;
  for (const std::string& id : ring.ids()) text += (text.empty() ? "" : ", ") + id;
  return text;
}

// The key that opens `parts`, or SealError naming why none does.
const Key& opening_key(const detail::SealedParts& parts, const KeyRing& ring) {
  const Key* key = ring.find(parts.key_id);
  if (key == nullptr) {
    throw SealError(SealFailure::UnknownKeyId, "sealed with key '" + parts.key_id +
                                                   "', which the key ring does not have (it has " +
                                                   id_list(ring) + ")");
  }
  if (key->check() != parts.check) {
    throw SealError(SealFailure::WrongKey, "the key ring's key '" + parts.key_id +
                                               "' is not the key this secret was sealed with");
  }
  return *key;
}

std::string open_parts(const detail::SealedParts& parts, const Key& key) {
  std::optional<std::string> plaintext =
      detail::gcm_decrypt(detail::KeyAccess::bytes(key), parts.nonce, detail::sealed_header(parts.key_id, parts.check),
                          parts.ciphertext, parts.tag);
  if (!plaintext) {
    throw SealError(SealFailure::Tampered, "the sealed secret was changed after sealing (authentication failed)");
  }
  const detail::WipeOnExit wipe_decrypted(*plaintext);
  std::string result(*plaintext);  // a copy: moving a short string would leave its bytes behind
  return result;
}

}  // namespace

std::string seal(std::string_view plaintext, const Key& key) {
  detail::SealedParts parts;
  parts.key_id = key.id();
  parts.check = key.check();
  parts.nonce = detail::random_bytes(detail::kNonceBytes);
  detail::GcmSealed sealed = detail::gcm_encrypt(detail::KeyAccess::bytes(key), parts.nonce,
                                                 detail::sealed_header(parts.key_id, parts.check), plaintext);
  parts.ciphertext = std::move(sealed.ciphertext);
  parts.tag = std::move(sealed.tag);
  return detail::format_sealed(parts);
}

std::string seal(std::string_view plaintext, const KeyRing& ring) { return seal(plaintext, ring.current()); }

std::string open(std::string_view sealed, const KeyRing& ring) {
  const detail::SealedParts parts = detail::parse_sealed(sealed);
  return open_parts(parts, opening_key(parts, ring));
}

std::string reseal(std::string_view sealed, const KeyRing& ring) {
  const detail::SealedParts parts = detail::parse_sealed(sealed);
  std::string plaintext = open_parts(parts, opening_key(parts, ring));
  const detail::WipeOnExit wipe_plaintext(plaintext);
  const Key& current = ring.current();
  if (parts.key_id == current.id() && parts.check == current.check()) return std::string(sealed);
  return seal(plaintext, current);
}

bool is_sealed(std::string_view text) noexcept { return text.substr(0, kSealedPrefix.size()) == kSealedPrefix; }

std::string sealed_key_id(std::string_view sealed) { return detail::parse_sealed(sealed).key_id; }

}  // namespace instantly::secrets
