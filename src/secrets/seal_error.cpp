#include "instantly/secrets.hpp"

namespace instantly::secrets {

const char* to_string(SealFailure reason) noexcept {
  switch (reason) {
    case SealFailure::Malformed: return "malformed";
    case SealFailure::UnknownKeyId: return "unknown_key_id";
    case SealFailure::WrongKey: return "wrong_key";
    case SealFailure::Tampered: return "tampered";
    case SealFailure::BadKeyMaterial: return "bad_key_material";
  }
  return "unknown";
}

}  // namespace instantly::secrets
