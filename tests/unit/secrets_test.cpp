// Sealed API keys (instantly/secrets.hpp): the round trip, every way opening
// must fail, rotation, the key sources, and the old pipeline's app state.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "instantly/workflows.hpp"
#include "support/env_var.hpp"

namespace {

namespace secrets = instantly::secrets;
using secrets::KeyRing;
using secrets::SealFailure;

// Fixed test keys: 32 bytes as hex and as base64.
constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kBase64Key = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";  // bytes 0x20..0x3f
constexpr const char* kApiKey = "sk_live_0123456789abcdefABCDEF";

KeyRing ring_of(const char* spec) { return KeyRing::parse(spec); }

/// The reason a call fails with, or nothing when it does not throw SealError.
template <class F>
std::optional<SealFailure> seal_failure_of(F&& call) {
  try {
    call();
  } catch (const secrets::SealError& e) {
    return e.reason();
  }
  return std::nullopt;
}

std::vector<std::string> split_dots(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

std::string join_dots(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ".") + part;
  return out;
}

// Another character of the base64url alphabet, so the text stays well-formed where possible.
char other_char(char c) { return c == 'A' ? 'B' : 'A'; }

using instantly::testing::EnvVar;

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "instantly-secrets-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::string base64(const std::string& text) {
  // Small local encoder so the test does not trust the code under test.
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8) |
                       static_cast<unsigned char>(text[i + 2]);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], kAlphabet[n & 63]};
  }
  if (i + 1 == text.size()) {
    const unsigned n = static_cast<unsigned char>(text[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == text.size()) {
    const unsigned n = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

}  // namespace

TEST_CASE("secrets: seal then open gives the plaintext back, in a self-describing text") {
  const KeyRing ring = ring_of(kHexKey);
  const std::string sealed = secrets::seal(kApiKey, ring);
  CHECK(secrets::open(sealed, ring) == kApiKey);

  const std::vector<std::string> parts = split_dots(sealed);
  REQUIRE(parts.size() == 6);
  CHECK(parts[0] == "iks1");
  CHECK(parts[1] == "default");
  CHECK(parts[2].size() == 8);   // key check
  CHECK(parts[3].size() == 16);  // 12-byte nonce
  CHECK(parts[5].size() == 22);  // 16-byte tag
  CHECK(sealed.find(kApiKey) == std::string::npos);
  CHECK(secrets::is_sealed(sealed));
  CHECK_FALSE(secrets::is_sealed(kApiKey));
  CHECK(secrets::sealed_key_id(sealed) == "default");
}

TEST_CASE("secrets: every seal uses a fresh nonce") {
  const KeyRing ring = ring_of(kHexKey);
  std::set<std::string> texts;
  for (int i = 0; i < 20; ++i) texts.insert(secrets::seal(kApiKey, ring));
  CHECK(texts.size() == 20);
}

TEST_CASE("secrets: empty and long plaintexts round-trip") {
  const KeyRing ring = ring_of(kHexKey);
  CHECK(secrets::open(secrets::seal("", ring), ring).empty());
  const std::string long_text(10'000, 'x');
  CHECK(secrets::open(secrets::seal(long_text, ring), ring) == long_text);
}

TEST_CASE("secrets: hex and base64 key material of the same bytes are the same key") {
  const std::string base64_of_hex_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  const KeyRing hex = ring_of(kHexKey);
  const KeyRing b64 = ring_of(base64_of_hex_key.c_str());
  const KeyRing b64url_unpadded = ring_of("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
  CHECK(hex.current().check() == b64.current().check());
  CHECK(secrets::open(secrets::seal(kApiKey, hex), b64url_unpadded) == kApiKey);
}

TEST_CASE("secrets: a different key under the same id is wrong_key, not tampering") {
  const std::string sealed = secrets::seal(kApiKey, ring_of(kHexKey));
  const KeyRing other = ring_of(kBase64Key);
  CHECK(seal_failure_of([&] { secrets::open(sealed, other); }) == SealFailure::WrongKey);
}

TEST_CASE("secrets: a key id the ring does not have is unknown_key_id") {
  const std::string sealed = secrets::seal(kApiKey, ring_of((std::string("old:") + kHexKey).c_str()));
  const KeyRing ring = ring_of((std::string("new:") + kBase64Key).c_str());
  try {
    secrets::open(sealed, ring);
    FAIL("opened with an unknown key id");
  } catch (const secrets::SealError& e) {
    CHECK(e.reason() == SealFailure::UnknownKeyId);
    const std::string message = e.what();
    CHECK(message.find("'old'") != std::string::npos);
    CHECK(message.find("new") != std::string::npos);
  }
}

TEST_CASE("secrets: any changed character of any part fails with a typed error") {
  const KeyRing ring = KeyRing(std::vector<secrets::Key>{secrets::Key("k1", kHexKey), secrets::Key("k2", kBase64Key)});
  const std::string sealed = secrets::seal(kApiKey, ring);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    if (sealed[i] == '.') continue;
    std::string changed = sealed;
    changed[i] = other_char(changed[i]);
    CAPTURE(i);
    const std::optional<SealFailure> failure = seal_failure_of([&] { secrets::open(changed, ring); });
    REQUIRE(failure.has_value());
  }
}

TEST_CASE("secrets: each binary part changed gives the reason users can act on") {
  const KeyRing ring = ring_of(kHexKey);
  const std::vector<std::string> parts = split_dots(secrets::seal(kApiKey, ring));
  const auto with_part = [&](std::size_t index, std::string value) {
    std::vector<std::string> changed = parts;
    changed[index] = std::move(value);
    return join_dots(changed);
  };
  const auto flip_first = [&](std::size_t index) {
    std::string part = parts[index];
    part[0] = other_char(part[0]);
    return with_part(index, part);
  };
  CHECK(seal_failure_of([&] { secrets::open(with_part(0, "iks2"), ring); }) == SealFailure::Malformed);
  CHECK(seal_failure_of([&] { secrets::open(with_part(1, "other"), ring); }) == SealFailure::UnknownKeyId);
  CHECK(seal_failure_of([&] { secrets::open(flip_first(2), ring); }) == SealFailure::WrongKey);
  CHECK(seal_failure_of([&] { secrets::open(flip_first(3), ring); }) == SealFailure::Tampered);
  CHECK(seal_failure_of([&] { secrets::open(flip_first(4), ring); }) == SealFailure::Tampered);
  CHECK(seal_failure_of([&] { secrets::open(flip_first(5), ring); }) == SealFailure::Tampered);
  // Ciphertext and tag from another sealing of the same secret do not fit this header and nonce.
  const std::vector<std::string> second = split_dots(secrets::seal(kApiKey, ring));
  CHECK(seal_failure_of([&] { secrets::open(with_part(3, second[3]), ring); }) == SealFailure::Tampered);
  CHECK(seal_failure_of([&] { secrets::open(with_part(5, second[5]), ring); }) == SealFailure::Tampered);
}

TEST_CASE("secrets: the header is authenticated, so a key id cannot be swapped") {
  // Two keys with the same bytes under different ids: moving the text to the
  // other id passes the key check but not GCM's associated data.
  const KeyRing ring(std::vector<secrets::Key>{secrets::Key("a", kHexKey), secrets::Key("b", kHexKey)});
  std::vector<std::string> parts = split_dots(secrets::seal(kApiKey, ring));
  parts[1] = "b";
  CHECK(seal_failure_of([&] { secrets::open(join_dots(parts), ring); }) == SealFailure::Tampered);
}

TEST_CASE("secrets: malformed texts are refused without quoting them") {
  const KeyRing ring = ring_of(kHexKey);
  const std::string good = secrets::seal(kApiKey, ring);
  const std::vector<std::string> parts = split_dots(good);
  const std::vector<std::string> bad = {
      "",
      kApiKey,
      "iks1.",
      "iks1.default",
      good + ".extra",
      good.substr(0, good.rfind('.')),
      join_dots({parts[0], "bad id!", parts[2], parts[3], parts[4], parts[5]}),
      join_dots({parts[0], parts[1], parts[2] + "A", parts[3], parts[4], parts[5]}),
      join_dots({parts[0], parts[1], parts[2], parts[3].substr(0, 12), parts[4], parts[5]}),
      join_dots({parts[0], parts[1], parts[2], parts[3], parts[4] + "=", parts[5]}),
      join_dots({parts[0], parts[1], parts[2], parts[3], parts[4], parts[5].substr(1)}),
      join_dots({parts[0], parts[1], parts[2], parts[3], parts[4], parts[5].substr(0, 21) + "B"}),  // non-canonical
      join_dots({parts[0], parts[1], parts[2], parts[3], "a+b/", parts[5]}),
  };
  for (const std::string& text : bad) {
    CAPTURE(text);
    try {
      secrets::open(text, ring);
      FAIL("opened a malformed text");
    } catch (const secrets::SealError& e) {
      CHECK(e.reason() == SealFailure::Malformed);
      CHECK(std::string(e.what()).find(kApiKey) == std::string::npos);
    }
  }
}

TEST_CASE("secrets: rotation opens old texts and reseals them under the current key") {
  const std::string old_spec = std::string("k2024:") + kHexKey;
  const std::string sealed_before = secrets::seal(kApiKey, ring_of(old_spec.c_str()));

  const std::string rotated_spec = std::string("k2025:") + kBase64Key + ", " + old_spec;
  const KeyRing rotated = ring_of(rotated_spec.c_str());
  CHECK(rotated.current().id() == "k2025");
  CHECK(rotated.ids() == std::vector<std::string>{"k2025", "k2024"});
  CHECK(secrets::open(sealed_before, rotated) == kApiKey);

  const std::string resealed = secrets::reseal(sealed_before, rotated);
  CHECK(secrets::sealed_key_id(resealed) == "k2025");
  CHECK(secrets::reseal(resealed, rotated) == resealed);  // already current: unchanged

  // Once every text is resealed, the old key can go.
  const KeyRing only_new = ring_of((std::string("k2025:") + kBase64Key).c_str());
  CHECK(secrets::open(resealed, only_new) == kApiKey);
  CHECK(seal_failure_of([&] { secrets::open(sealed_before, only_new); }) == SealFailure::UnknownKeyId);
  // reseal checks integrity even when nothing needs re-encrypting.
  std::string tampered = resealed;
  tampered[tampered.size() - 3] = other_char(tampered[tampered.size() - 3]);
  CHECK(seal_failure_of([&] { secrets::reseal(tampered, rotated); }) == SealFailure::Tampered);
}

TEST_CASE("secrets: bad key material and key rings are bad_key_material, and never echo the key") {
  const std::vector<std::string> bad_specs = {
      "",
      "   ",
      "tooshort",
      std::string(kHexKey).substr(2),            // 31 bytes
      std::string(kHexKey) + "00",               // 33 bytes
      std::string("k1:") + kHexKey + "," + kBase64Key,  // a bare key among several
      std::string("bad id:") + kHexKey,
      std::string("k1:") + kHexKey + ",k1:" + kBase64Key,  // repeated id
      std::string("k1:") + kHexKey + ",,k2:" + kBase64Key,
  };
  for (const std::string& spec : bad_specs) {
    CAPTURE(spec);
    try {
      KeyRing::parse(spec, "TEST_VARIABLE");
      FAIL("accepted a bad key ring");
    } catch (const secrets::SealError& e) {
      CHECK(e.reason() == SealFailure::BadKeyMaterial);
      const std::string message = e.what();
      CHECK(message.find(kHexKey) == std::string::npos);
      CHECK(message.find(std::string(kHexKey).substr(2)) == std::string::npos);
    }
  }
  CHECK(seal_failure_of([] { secrets::Key("", kHexKey); }) == SealFailure::BadKeyMaterial);
  CHECK(seal_failure_of([] { KeyRing(std::vector<secrets::Key>{}); }) == SealFailure::BadKeyMaterial);
}

TEST_CASE("secrets: KeyRing::from_env reads INSTANTLY_SEALING_KEY or INSTANTLY_SEALING_KEYS") {
  {
    EnvVar one("INSTANTLY_SEALING_KEY", kBase64Key);
    EnvVar many("INSTANTLY_SEALING_KEYS", nullptr);
    CHECK(KeyRing::from_env().ids() == std::vector<std::string>{"default"});
  }
  {
    EnvVar one("INSTANTLY_SEALING_KEY", (std::string("prod:") + kHexKey).c_str());
    EnvVar many("INSTANTLY_SEALING_KEYS", nullptr);
    CHECK(KeyRing::from_env().current().id() == "prod");
  }
  {
    EnvVar one("INSTANTLY_SEALING_KEY", nullptr);
    EnvVar many("INSTANTLY_SEALING_KEYS", (std::string("b:") + kBase64Key + ",a:" + kHexKey).c_str());
    CHECK(KeyRing::from_env().ids() == std::vector<std::string>{"b", "a"});
  }
  {
    EnvVar one("INSTANTLY_SEALING_KEY", kBase64Key);
    EnvVar many("INSTANTLY_SEALING_KEYS", (std::string("a:") + kHexKey).c_str());
    CHECK(seal_failure_of([] { KeyRing::from_env(); }) == SealFailure::BadKeyMaterial);
  }
  {
    EnvVar one("INSTANTLY_SEALING_KEY", nullptr);
    EnvVar many("INSTANTLY_SEALING_KEYS", nullptr);
    CHECK(seal_failure_of([] { KeyRing::from_env(); }) == SealFailure::BadKeyMaterial);
  }
  {
    EnvVar one("INSTANTLY_SEALING_KEY", "not-a-key");
    EnvVar many("INSTANTLY_SEALING_KEYS", nullptr);
    try {
      KeyRing::from_env();
      FAIL("accepted a bad key");
    } catch (const secrets::SealError& e) {
      CHECK(std::string(e.what()).find("INSTANTLY_SEALING_KEY") != std::string::npos);
      CHECK(std::string(e.what()).find("not-a-key") == std::string::npos);
    }
  }
}

TEST_CASE("secrets: generated keys are random 32-byte keys that work") {
  const std::string material = secrets::generate_key_material();
  CHECK(material != secrets::generate_key_material());
  const KeyRing ring = ring_of(material.c_str());
  CHECK(secrets::open(secrets::seal(kApiKey, ring), ring) == kApiKey);
  const KeyRing generated(secrets::Key::generate("fresh"));
  CHECK(secrets::open(secrets::seal(kApiKey, generated), generated) == kApiKey);
}

TEST_CASE("app state: base64 keys at the top level and per organisation are found and sealed") {
  const KeyRing ring = ring_of(kHexKey);
  const instantly::Json document = instantly::Json::parse(R"({
    "instantly_api_key": ")" + base64("top-level-key") + R"(",
    "last_run": "2025-01-01",
    "organizations": {
      "acme": {"api_key": ")" + base64("acme-key") + R"(", "workspace_id": "ws-acme", "plan": "pro"},
      "beta": ")" + base64("beta-key\n") + R"(",
      "gone": {"api_key": null}
    }
  })");
  const secrets::AppState state = secrets::reseal_app_state(document, ring);
  CHECK(state.changed);
  REQUIRE(state.keys.size() == 3);
  CHECK(state.keys[0].organization.empty());
  CHECK(state.keys[0].json_path == "$.instantly_api_key");
  CHECK(secrets::open(state.keys[0].sealed, ring) == "top-level-key");
  CHECK(state.keys[1].organization == "acme");
  CHECK(state.keys[1].json_path == "$.organizations.acme.api_key");
  CHECK(state.keys[1].workspace == std::optional<std::string>("ws-acme"));
  CHECK(secrets::open(state.keys[1].sealed, ring) == "acme-key");
  CHECK(state.keys[2].organization == "beta");
  CHECK(secrets::open(state.keys[2].sealed, ring) == "beta-key");  // the trailing newline dropped

  // The document holds the sealed texts where the base64 was; nothing else changed.
  CHECK(state.document.at("instantly_api_key").as_string() == state.keys[0].sealed);
  CHECK(state.document.at("organizations").at("acme").at("api_key").as_string() == state.keys[1].sealed);
  CHECK(state.document.at("organizations").at("acme").at("plan").as_string() == "pro");
  CHECK(state.document.at("organizations").at("gone").at("api_key").is_null());
  CHECK(state.document.at("last_run").as_string() == "2025-01-01");

  // Loading the sealed state again changes nothing; after a rotation it reseals.
  const secrets::AppState again = secrets::reseal_app_state(state.document, ring);
  CHECK_FALSE(again.changed);
  CHECK(again.document == state.document);
  const KeyRing rotated = ring_of((std::string("next:") + kBase64Key + ",default:" + kHexKey).c_str());
  const secrets::AppState after_rotation = secrets::reseal_app_state(state.document, rotated);
  CHECK(after_rotation.changed);
  for (const secrets::AppStateKey& key : after_rotation.keys) CHECK(secrets::sealed_key_id(key.sealed) == "next");
}

TEST_CASE("app state: an array of organisations, with ids from several member names") {
  const KeyRing ring = ring_of(kHexKey);
  const secrets::AppState state = secrets::reseal_app_state(instantly::Json::parse(R"({"orgs": [
      {"org_id": "one", "apiKey": ")" + base64("key-one") + R"(", "workspace": "ws-1"},
      {"name": "two", "instantly_api_key": ")" + base64("key-two") + R"("}]})"), ring);
  REQUIRE(state.keys.size() == 2);
  CHECK(state.keys[0].organization == "one");
  CHECK(state.keys[0].json_path == "$.orgs[0].apiKey");
  CHECK(state.keys[0].workspace == std::optional<std::string>("ws-1"));
  CHECK(state.keys[1].organization == "two");
  CHECK(secrets::open(state.keys[1].sealed, ring) == "key-two");
}

TEST_CASE("app state: unreadable keys name their path, never their value") {
  const KeyRing ring = ring_of(kHexKey);
  const std::vector<std::string> bad = {
      R"({"api_key": "not base64 at all!"})",
      R"({"api_key": 12345})",
      R"({"organizations": {"acme": {"api_key": ")" + base64(std::string("\x01\x02\x03", 3)) + R"("}}})",
      R"({"organizations": [{"api_key": ")" + base64("no-id") + R"("}]})",
      R"(["not", "an", "object"])",
  };
  for (const std::string& text : bad) {
    CAPTURE(text);
    try {
      secrets::reseal_app_state(instantly::Json::parse(text), ring);
      FAIL("accepted a bad app state");
    } catch (const secrets::SealError& e) {
      CHECK(e.reason() == SealFailure::Malformed);
      CHECK(std::string(e.what()).find("$") != std::string::npos);
      CHECK(std::string(e.what()).find("not base64 at all!") == std::string::npos);
    }
  }
}

TEST_CASE("app state: load, write back atomically with 0600, load again") {
  const TempDir dir;
  const std::filesystem::path path = dir.path / ".app-state.json";
  {
    std::ofstream out(path);
    out << R"({"instantly_api_key": ")" << base64(kApiKey) << R"(", "counter": 3})";
  }
  ::chmod(path.c_str(), 0644);
  const KeyRing ring = ring_of(kHexKey);
  const secrets::AppState state = secrets::load_app_state(path, ring);
  REQUIRE(state.keys.size() == 1);
  secrets::write_app_state(path, state.document);

  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  std::ifstream in(path);
  std::stringstream written;
  written << in.rdbuf();
  CHECK(written.str().find(base64(kApiKey)) == std::string::npos);
  CHECK(written.str().find(kApiKey) == std::string::npos);
  // No temporary file left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path)) ++files;
  CHECK(files == 1);

  const secrets::AppState reloaded = secrets::load_app_state(path, ring);
  CHECK_FALSE(reloaded.changed);
  CHECK(secrets::open(reloaded.keys.at(0).sealed, ring) == kApiKey);
  CHECK(reloaded.document.at("counter").as_int() == 3);
}

TEST_CASE("app state: a missing file or a folder that cannot be written is an Error naming the path") {
  const TempDir dir;
  const KeyRing ring = ring_of(kHexKey);
  CHECK_THROWS_AS(secrets::load_app_state(dir.path / "absent.json", ring), instantly::Error);
  CHECK_THROWS_AS(secrets::write_app_state(dir.path / "no-such-folder" / "state.json", instantly::Json::object()),
                  instantly::Error);
}

TEST_CASE("TenantClients: one client per organisation, built once, from its sealed key") {
  const KeyRing ring = ring_of(kHexKey);
  secrets::TenantClients tenants(ring, {.base_url = "http://127.0.0.1:4010"});
  tenants.add("acme", secrets::seal("acme-key", ring), "ws-acme");
  tenants.add("beta", secrets::seal("beta-key", ring));
  CHECK(tenants.size() == 2);
  CHECK(tenants.contains("acme"));
  CHECK(tenants.organizations() == std::vector<std::string>{"acme", "beta"});

  const instantly::Client acme = tenants.client("acme");
  CHECK(acme.workspace() == std::optional<std::string>("ws-acme"));
  CHECK(acme.options().api_key == "acme-key");
  CHECK(&tenants.client("acme").options() == &acme.options());  // built once, shared after
  CHECK(tenants.client("beta").options().api_key == "beta-key");
  CHECK_FALSE(tenants.client("beta").workspace().has_value());

  CHECK_THROWS_AS(tenants.client("nobody"), instantly::ValidationError);
  CHECK(seal_failure_of([&] { tenants.add("bad", "plain-api-key"); }) == SealFailure::Malformed);
  const KeyRing other = ring_of(kBase64Key);
  tenants.add("foreign", secrets::seal("x", other));
  CHECK(seal_failure_of([&] { tenants.client("foreign"); }) == SealFailure::WrongKey);
}
