// The library's own way to a Key's bytes; not part of the public API.
#pragma once

#include <array>
#include <string>

#include "instantly/secrets.hpp"

namespace instantly::secrets::detail {

struct KeyAccess {
  static const std::array<unsigned char, Key::kSize>& bytes(const Key& key) noexcept { return key.bytes_; }
  /// A key over bytes already checked; `id` must be valid.
  static Key make(std::string id, const std::array<unsigned char, Key::kSize>& bytes);
};

/// Throws SealError(BadKeyMaterial) unless `id` is 1-64 of A-Z a-z 0-9 _ -.
void require_key_id(std::string_view id);
/// Whether `id` is a valid key id.
bool is_key_id(std::string_view id) noexcept;

}  // namespace instantly::secrets::detail
