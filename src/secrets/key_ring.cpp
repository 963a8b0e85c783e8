// KeyRing: the keys in order, read from a spec like "k2:<material>,k1:<material>".
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/secrets.hpp"
#include "secrets/key_access.hpp"
#include "text/ascii.hpp"

namespace instantly::secrets {
namespace {

constexpr std::string_view kKeysVariable = "INSTANTLY_SEALING_KEYS";
constexpr std::string_view kKeyVariable = "INSTANTLY_SEALING_KEY";
constexpr std::string_view kDefaultId = "default";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

[[noreturn]] void bad(std::string_view source, const std::string& what) {
  throw SealError(SealFailure::BadKeyMaterial, std::string(source) + ": " + what);
}

// A SealError from Key names the key but not where it came from.
Key key_from(std::string_view source, std::size_t entry, std::string id, std::string_view material) {
  if (!detail::is_key_id(id)) {
    bad(source, "entry " + std::to_string(entry) + ": a key id must be 1 to 64 of A-Z a-z 0-9 _ -");
  }
  try {
    return Key(std::move(id), material);
  } catch (const SealError& e) {
    bad(source, "entry " + std::to_string(entry) + ": " + e.what());
  }
}

const char* variable(std::string_view name) { return std::getenv(std::string(name).c_str()); }

}  // namespace

KeyRing::KeyRing(std::vector<Key> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw SealError(SealFailure::BadKeyMaterial, "a key ring needs at least one key");
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (keys_[i].id() == keys_[j].id()) {
        throw SealError(SealFailure::BadKeyMaterial, "key id '" + keys_[i].id() + "' appears twice in the key ring");
      }
    }
  }
}

KeyRing::KeyRing(Key key) : KeyRing(std::vector<Key>{std::move(key)}) {}

KeyRing KeyRing::parse(std::string_view spec, std::string_view source) {
  spec = ascii::trim_space(spec);
  if (spec.empty()) bad(source, "no key given");
  const std::vector<std::string_view> entries = split(spec, ',');
  std::vector<Key> keys;
  keys.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string_view entry = ascii::trim_space(entries[i]);
    const std::size_t colon = entry.find(':');
    if (entry.empty()) bad(source, "entry " + std::to_string(i + 1) + " is empty");
    if (colon == std::string_view::npos) {
      // A bare key only makes sense alone: with several, which is which?
      if (entries.size() > 1) bad(source, "entry " + std::to_string(i + 1) + " has no '<id>:' before its key");
      keys.push_back(key_from(source, i + 1, std::string(kDefaultId), entry));
    } else {
      keys.push_back(key_from(source, i + 1, std::string(ascii::trim_space(entry.substr(0, colon))),
                              ascii::trim_space(entry.substr(colon + 1))));
    }
  }
  return KeyRing(std::move(keys));
}

KeyRing KeyRing::from_env() {
  const char* many = variable(kKeysVariable);
  const char* one = variable(kKeyVariable);
  const bool have_many = many != nullptr && *many != '\0';
  const bool have_one = one != nullptr && *one != '\0';
  if (have_many && have_one) {
    throw SealError(SealFailure::BadKeyMaterial, "both " + std::string(kKeysVariable) + " and " +
                                                     std::string(kKeyVariable) + " are set; set one of them");
  }
  if (have_many) return parse(many, kKeysVariable);
  if (have_one) return parse(one, kKeyVariable);
  throw SealError(SealFailure::BadKeyMaterial, "no sealing key: set " + std::string(kKeyVariable) + " (or " +
                                                   std::string(kKeysVariable) + " for rotation)");
}

const Key* KeyRing::find(std::string_view id) const noexcept {
  for (const Key& key : keys_) {
    if (key.id() == id) return &key;
  }
  return nullptr;
}

std::vector<std::string> KeyRing::ids() const {
  std::vector<std::string> ids;
  ids.reserve(keys_.size());
  for (const Key& key : keys_) ids.push_back(key.id());
  return ids;
}

}  // namespace instantly::secrets
