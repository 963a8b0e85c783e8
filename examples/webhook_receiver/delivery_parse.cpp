#include "delivery_parse.hpp"

#include <instantly/error.hpp>
#include <instantly/webhooks/event.hpp>

#include <openssl/evp.h>

#include <stdexcept>

namespace webhook_receiver {

std::variant<NewEvent, UnparsedDelivery> parse_delivery(std::string_view body, std::string_view received_at) {
  try {
    const instantly::webhooks::Event event = instantly::webhooks::parse_event(body);
    return NewEvent{event.dedupe_key(), std::string(event.event_type.value()), event.campaign_id,
                    event.lead_email,   event.timestamp,                      std::string(body)};
  } catch (const instantly::DecodeError& e) {
    return UnparsedDelivery{sha256_hex(body), std::string(body), std::string(received_at), e.what()};
  }
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 0x0F];
  }
  return hex;
}

}  // namespace webhook_receiver
