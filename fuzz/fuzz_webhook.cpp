// A webhook delivery as a receiver gets it: untrusted headers and body.
//
// Input, one value per line, then the body:
//   line 1  value of the secret header (X-Webhook-Secret)
//   line 2  webhook-id
//   line 3  webhook-timestamp
//   line 4  webhook-signature; the word SIGN stands for the correct signature of
//           this id, timestamp and body (so the accepting path is reached too)
//   line 5  a Standard Webhooks secret to construct a second verifier from
//   rest    the body, for parse_event and the signature
//
// Invariants: verify() throws exactly when is_valid() is false; a delivery
// signed by the verifier and timestamped within the tolerance verifies; an
// event that parses survives parse_event(to_json().dump()) unchanged.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "instantly/transport.hpp"
#include "instantly/webhooks/event.hpp"
#include "instantly/webhooks/verify.hpp"

namespace {

using instantly::fuzz::require;
namespace webhooks = instantly::webhooks;

// Fixed test values, not real secrets: the fuzzer only needs something to compare against.
const webhooks::SecretHeaderVerifier& secret_verifier() {
  static const webhooks::SecretHeaderVerifier verifier("X-Webhook-Secret", {"fuzz-secret-one", "fuzz-secret-two"});
  return verifier;
}

const webhooks::StandardWebhooksVerifier& signature_verifier() {
  // base64 of the made-up key "fuzz-signing-key-0123456789abcdef".
  static const webhooks::StandardWebhooksVerifier verifier({"whsec_ZnV6ei1zaWduaW5nLWtleS0wMTIzNDU2Nzg5YWJjZGVm"});
  return verifier;
}

// The fuzzer's "now": seeds use timestamps around it.
constexpr std::int64_t kNowSeconds = 1'700'000'000;

bool verifies(const webhooks::StandardWebhooksVerifier& verifier, const instantly::HttpHeaders& headers,
              std::string_view body, std::chrono::system_clock::time_point now) {
  bool threw = false;
  try {
    verifier.verify(headers, body, now);
  } catch (const instantly::WebhookVerificationError&) {
    threw = true;
  }
  require(threw != verifier.is_valid(headers, body, now), "verify() and is_valid() disagree");
  return !threw;
}

void check_secret_header(std::string_view value) {
  instantly::HttpHeaders headers{{"x-webhook-secret", std::string(value)}};
  bool threw = false;
  try {
    secret_verifier().verify(headers);
  } catch (const instantly::WebhookVerificationError&) {
    threw = true;
  }
  require(threw != secret_verifier().is_valid(headers), "SecretHeaderVerifier: verify() and is_valid() disagree");
}

void check_signature(std::string_view id, std::string_view timestamp, std::string_view signature,
                     std::string_view body) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(kNowSeconds));
  const bool wants_real_signature = signature == "SIGN";
  std::string signature_value(signature);
  std::int64_t ts = 0;
  // Signed text uses the header as sent, sign() the number: only canonical numbers match.
  const bool plain_ts = !timestamp.empty() && timestamp.size() <= 12 && (timestamp[0] != '0' || timestamp == "0") &&
                        timestamp.find_first_not_of("0123456789") == std::string_view::npos;
  if (plain_ts) ts = std::stoll(std::string(timestamp));
  if (wants_real_signature && plain_ts) signature_value = signature_verifier().sign(id, ts, body);

  instantly::HttpHeaders headers{{"webhook-id", std::string(id)},
                                 {"webhook-timestamp", std::string(timestamp)},
                                 {"webhook-signature", signature_value}};
  const bool ok = verifies(signature_verifier(), headers, body, now);
  const bool id_usable = id.find_first_not_of(" \t") != std::string_view::npos &&
                         id.find_first_of(" \t") == std::string_view::npos;
  if (wants_real_signature && plain_ts && id_usable && ts >= kNowSeconds - 300 && ts <= kNowSeconds + 300) {
    require(ok, "a delivery signed by the verifier within the tolerance was refused");
  }
}

void check_secret_construction(std::string_view secret, std::string_view body) {
  instantly::fuzz::expect_only_library_errors([&] {
    const webhooks::StandardWebhooksVerifier verifier({std::string(secret)});
    const std::string signature = verifier.sign("msg_1", kNowSeconds, body);
    instantly::HttpHeaders headers{{"webhook-id", "msg_1"},
                                   {"webhook-timestamp", std::to_string(kNowSeconds)},
                                   {"webhook-signature", signature}};
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(kNowSeconds));
    require(verifies(verifier, headers, body, now), "a verifier refused its own signature");
  });
}

void check_parse_event(std::string_view body) {
  instantly::fuzz::expect_only_library_errors([&] {
    const webhooks::Event event = webhooks::parse_event(body);
    const std::string text = event.to_json().dump();
    const webhooks::Event again = [&] {
      try {
        return webhooks::parse_event(text);
      } catch (const instantly::Error&) {
        instantly::fuzz::fail("parse_event refused Event::to_json()");
      }
    }();
    require(again.to_json() == event.to_json(), "parse_event(to_json().dump()) changed the event");
    require(again.dedupe_key() == event.dedupe_key(), "the dedupe key changed across a round trip");
    (void)event.time();
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  instantly::fuzz::LineReader reader{instantly::fuzz::as_text(data, size)};
  const std::string_view secret_value = reader.next_line();
  const std::string_view id = reader.next_line();
  const std::string_view timestamp = reader.next_line();
  const std::string_view signature = reader.next_line();
  const std::string_view signing_secret = reader.next_line();
  const std::string_view body = reader.rest;

  check_secret_header(secret_value);
  check_signature(id, timestamp, signature, body);
  check_secret_construction(signing_secret, body);
  check_parse_event(body);
  return 0;
}
