// API keys at rest: sealed with AES-256-GCM under a 32-byte key that lives in
// the environment, never next to the data.
//
//   auto ring = instantly::secrets::KeyRing::from_env();        // INSTANTLY_SEALING_KEY(S)
//   std::string sealed = instantly::secrets::seal(api_key, ring);  // "iks1.default.…"
//   std::string api_key = instantly::secrets::open(sealed, ring);
//   sealed = instantly::secrets::reseal(sealed, ring);          // under the current key after a rotation
//
// The sealed text is self-describing and safe to store anywhere text goes
// (JSON, a database column, an environment variable):
//
//   iks1.<key id>.<key check>.<nonce>.<ciphertext>.<tag>
//
// `iks1` is the format version; the key id says which key of the ring opens
// it (rotation); the key check (8 characters, a truncated HMAC of a fixed
// label under the key) tells a wrong key from tampering without revealing the
// key; the nonce is 12 random bytes (RAND_bytes) per seal; the tag is GCM's
// 16 bytes. Everything after the key id is unpadded base64url. The header
// `iks1.<key id>.<key check>` is authenticated (GCM associated data), so no
// part can be swapped or edited: any changed character fails with SealError.
//
// Key material (environment variables, Key's constructor): 32 bytes as 64 hex
// digits, or as base64 (standard or URL-safe alphabet, padding optional; what
// `openssl rand -base64 32` prints).
//   INSTANTLY_SEALING_KEY   one key: `<material>` (its id is "default") or `<id>:<material>`
//   INSTANTLY_SEALING_KEYS  several, for rotation: `<id>:<material>,<id>:<material>,...`;
//                           the first seals, all of them open
// Key ids are 1 to 64 of A-Z a-z 0-9 _ -.
//
// Secrecy: no message, what() or repr contains key material or plaintext.
// Key bytes are wiped (OPENSSL_cleanse) when a Key is destroyed, and the
// library wipes its own temporary plaintext buffers; the strings `open`
// returns are the caller's to wipe.
//
// Thread-safety: Key and KeyRing are immutable after construction and may be
// shared by any number of threads; the functions keep no state.
// TenantClients is internally synchronised.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/json.hpp"

namespace instantly::secrets {

/// Why sealing or opening failed.
enum class SealFailure {
  Malformed,       ///< not a sealed text of a known version, or a part that cannot be read
  UnknownKeyId,    ///< sealed under a key id the ring does not have
  WrongKey,        ///< the ring's key under that id is not the key it was sealed with
  Tampered,        ///< authentication failed: some part was changed after sealing
  BadKeyMaterial,  ///< a key (or the environment) is missing, unreadable or not 32 bytes
};

/// "malformed", "unknown_key_id", "wrong_key", "tampered", "bad_key_material".
const char* to_string(SealFailure reason) noexcept;

/// Sealing, opening or reading keys failed. The message names the reason,
/// key ids and variable names, never key material or plaintext.
class SealError : public Error {
 public:
  SealError(SealFailure reason, const std::string& message) : Error(message), reason_(reason) {}
  SealFailure reason() const noexcept { return reason_; }

 private:
  SealFailure reason_;
};

namespace detail {
struct KeyAccess;
}

/// One 32-byte sealing key and its id. Copies hold their own bytes; every
/// copy wipes them when destroyed.
class Key {
 public:
  static constexpr std::size_t kSize = 32;

  /// `material` as the header describes (hex or base64 of exactly 32 bytes).
  /// Throws SealError(BadKeyMaterial) for a bad id or material.
  Key(std::string id, std::string_view material);
  /// A fresh random key (RAND_bytes). Throws SealError(BadKeyMaterial) for a bad id.
  static Key generate(std::string id);

  Key(const Key& other);
  Key& operator=(const Key& other);
  ~Key();

  const std::string& id() const noexcept { return id_; }
  /// The 8-character key check stored in every text this key seals.
  const std::string& check() const noexcept { return check_; }

 private:
  friend struct detail::KeyAccess;
  Key() = default;
  void derive_check();

  std::string id_;
  std::array<unsigned char, kSize> bytes_{};
  std::string check_;
};

/// 32 random bytes as base64: a new value for INSTANTLY_SEALING_KEY(S).
std::string generate_key_material();

/// The keys that open sealed texts; the first (current) one seals.
class KeyRing {
 public:
  /// Throws SealError(BadKeyMaterial) for no keys or a repeated id.
  explicit KeyRing(std::vector<Key> keys);
  explicit KeyRing(Key key);

  /// `<material>`, `<id>:<material>` or `<id>:<material>,<id>:<material>,...`
  /// (spaces around entries ignored). `source` names the text in messages
  /// ("INSTANTLY_SEALING_KEYS"). Throws SealError(BadKeyMaterial).
  static KeyRing parse(std::string_view spec, std::string_view source = "key ring");
  /// INSTANTLY_SEALING_KEYS or INSTANTLY_SEALING_KEY. Throws
  /// SealError(BadKeyMaterial) when neither is set (or both are) or a key is bad.
  static KeyRing from_env();

  const Key& current() const noexcept { return keys_.front(); }
  /// The key with that id, or nullptr.
  const Key* find(std::string_view id) const noexcept;
  /// Every id, current first.
  std::vector<std::string> ids() const;

 private:
  std::vector<Key> keys_;
};

/// The version prefix of every sealed text.
inline constexpr std::string_view kSealedPrefix = "iks1.";

/// Seals `plaintext` under `key` (a fresh random nonce each time, so sealing
/// the same text twice gives two different texts). Throws instantly::Error
/// only if OpenSSL itself fails.
std::string seal(std::string_view plaintext, const Key& key);
/// seal(plaintext, ring.current()).
std::string seal(std::string_view plaintext, const KeyRing& ring);

/// The plaintext of a sealed text. Throws SealError: Malformed, UnknownKeyId,
/// WrongKey or Tampered.
std::string open(std::string_view sealed, const KeyRing& ring);

/// The same secret sealed under the ring's current key; a text already sealed
/// under it is checked (opened) and returned unchanged, so `reseal(s) == s`
/// tells that nothing needs rewriting. Throws as open() does.
std::string reseal(std::string_view sealed, const KeyRing& ring);

/// Whether `text` looks like a sealed text (starts with the version prefix);
/// says nothing about whether it opens.
bool is_sealed(std::string_view text) noexcept;

/// The id of the key a text was sealed with, without opening it. Throws SealError(Malformed).
std::string sealed_key_id(std::string_view sealed);

// ---------------------------------------------------------------- the old pipeline's .app-state.json

/// One API key found in an app state, now sealed.
struct AppStateKey {
  /// The organisation it belongs to; "" for a key at the top level.
  std::string organization;
  /// Where it is in the document, e.g. `$.organizations.acme.api_key`.
  std::string json_path;
  /// The sealed key (what the document now holds at json_path).
  std::string sealed;
  /// The organisation's workspace id (sent as `x-as-workspace`), when the state names one.
  std::optional<std::string> workspace;
};

/// An app state with every API key sealed under the ring's current key.
struct AppState {
  /// The document as read, with each API key replaced by its sealed text.
  Json document;
  /// Every key found, in document order.
  std::vector<AppStateKey> keys;
  /// Whether `document` differs from the input (a key was sealed or re-sealed).
  bool changed = false;
};

/// Finds the API keys in an app-state document and seals them. Accepted shapes
/// (any mix; other members are kept as they are):
///   {"instantly_api_key": "<base64>", ...}           also "api_key", "apiKey", "instantlyApiKey"
///   {"organizations": {"acme": {"api_key": "<base64>", "workspace_id": "..."},
///                      "beta": "<base64>"}}          also "orgs", "tenants"
///   {"organizations": [{"id": "acme", "api_key": "<base64>"}]}   id from "id", "org_id",
///                                                    "organization_id" or "name"
/// A workspace comes from "workspace", "workspace_id" or "x_as_workspace". A key
/// value may already be sealed (it is re-sealed under the current key, so
/// loading twice, or after a rotation, is safe); null or "" is skipped.
/// Throws SealError(Malformed) naming the JSON path (never the value) for a
/// key that is not base64 of a printable API key, or not a string, and
/// SealError from opening an already sealed key.
AppState reseal_app_state(const Json& document, const KeyRing& ring);

/// reseal_app_state on the file's JSON. Throws instantly::Error when the file
/// cannot be read, DecodeError when it is not JSON, SealError as above.
AppState load_app_state(const std::filesystem::path& path, const KeyRing& ring);

/// Writes `document` (pretty JSON) to `path` atomically: a temporary file in
/// the same folder, created with permissions 0600, flushed to disk, then
/// renamed over `path`. A crash leaves the old file or the new one, never half
/// of one. Throws instantly::Error naming the path when any step fails.
void write_app_state(const std::filesystem::path& path, const Json& document);

// ---------------------------------------------------------------- many organisations

/// One Client per organisation (or per workspace of an admin key), each built
/// from its sealed API key the first time it is asked for. Clients of
/// different keys, or of one key with different workspaces, have separate
/// rate-limit budgets, so one tenant's bulk work never slows another's.
/// Thread-safe: any number of threads may add and ask at once.
class TenantClients {
 public:
  /// `base`: the settings every tenant's client shares (base_url, timeouts,
  /// retry, rate limits, transport, clock); its api_key and workspace are ignored.
  explicit TenantClients(KeyRing ring, ClientOptions base = {});

  /// Registers an organisation, or replaces its key and workspace (its client
  /// is then rebuilt on next use). The key is only opened when first needed.
  /// Throws ValidationError for an empty organisation, SealError(Malformed)
  /// when `sealed_api_key` is not a sealed text.
  void add(std::string organization, std::string sealed_api_key, std::optional<std::string> workspace = {});
  /// Every key of a loaded app state; its top-level key (organization "") is
  /// registered as `top_level_organization`.
  void add(const AppState& state, std::string_view top_level_organization = "default");

  /// The organisation's client (copies share connections and limits). Throws
  /// ValidationError for an organisation never added, SealError when its key
  /// does not open, ValidationError from Client for a bad base URL.
  Client client(std::string_view organization) const;

  bool contains(std::string_view organization) const;
  /// Every organisation, sorted.
  std::vector<std::string> organizations() const;
  std::size_t size() const;

 private:
  struct Tenant {
    std::string sealed_api_key;
    std::optional<std::string> workspace;
    std::optional<Client> client;  // built on first use
  };

  KeyRing ring_;
  ClientOptions base_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Tenant, std::less<>> tenants_;
};

}  // namespace instantly::secrets
