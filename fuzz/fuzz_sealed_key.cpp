// Sealed API keys (instantly/secrets.hpp) read from untrusted text: a
// database column, an environment variable, an old .app-state.json.
//
// The first byte picks what the rest is:
//   0  a sealed text: open, sealed_key_id, reseal; the strict reader must give
//      back exactly the text it read (format(parse(t)) == t)
//   1  a plaintext: open(seal(p)) == p
//   2  an app-state document: reseal_app_state, then every key it sealed opens,
//      and a second pass finds the same keys and changes nothing
// Bad input must end in SealError / DecodeError (instantly::Error), never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "instantly/json.hpp"
#include "instantly/secrets.hpp"
#include "secrets/sealed_text.hpp"

namespace {

using instantly::fuzz::require;
namespace secrets = instantly::secrets;

// Fixed test keys (not secrets): key material any test could make up.
const secrets::KeyRing& ring() {
  static const secrets::KeyRing keys(std::vector<secrets::Key>{
      secrets::Key("current", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
      secrets::Key("old", "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0")});
  return keys;
}

void open_untrusted(std::string_view text) {
  instantly::fuzz::expect_only_library_errors([&] {
    const auto parts = secrets::detail::parse_sealed(text);
    require(secrets::detail::format_sealed(parts) == text, "two sealed texts read as the same parts");
  });
  instantly::fuzz::expect_only_library_errors([&] { (void)secrets::sealed_key_id(text); });
  instantly::fuzz::expect_only_library_errors([&] {
    const std::string plaintext = secrets::open(text, ring());
    require(secrets::is_sealed(text), "a text without the version prefix opened");
    const std::string resealed = secrets::reseal(text, ring());
    require(secrets::open(resealed, ring()) == plaintext, "reseal changed the secret");
    if (secrets::sealed_key_id(text) == ring().current().id()) require(resealed == text, "reseal rewrote a current text");
  });
}

void seal_and_open(std::string_view plaintext) {
  instantly::fuzz::expect_only_library_errors([&] {
    const std::string sealed = secrets::seal(plaintext, ring());
    require(secrets::is_sealed(sealed), "seal wrote a text without the version prefix");
    require(secrets::sealed_key_id(sealed) == ring().current().id(), "seal used another key than the current one");
    require(secrets::open(sealed, ring()) == plaintext, "open(seal(p)) != p");
  });
}

void reseal_app_state(std::string_view text) {
  instantly::fuzz::expect_only_library_errors([&] {
    const secrets::AppState state = secrets::reseal_app_state(instantly::Json::parse(text), ring());
    for (const secrets::AppStateKey& key : state.keys) (void)secrets::open(key.sealed, ring());
    const secrets::AppState again = secrets::reseal_app_state(state.document, ring());
    require(again.keys.size() == state.keys.size(), "a second pass found other keys");
    require(!again.changed, "a second pass over a resealed app state changed it");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text = instantly::fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: open_untrusted(text); break;
    case 1: seal_and_open(text); break;
    default: reseal_app_state(text); break;
  }
  return 0;
}
