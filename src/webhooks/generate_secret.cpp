// generate_secret(): 32 bytes from OpenSSL's CSPRNG as URL-safe base64 without padding.
#include <openssl/rand.h>

#include <array>
#include <string>
#include <string_view>

#include "instantly/error.hpp"
#include "instantly/webhooks/verify.hpp"
#include "webhooks/base64.hpp"

namespace instantly::webhooks {

std::string generate_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw Error("OpenSSL's random generator failed; no webhook secret generated");
  }
  return detail::base64url_encode_unpadded(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace instantly::webhooks
