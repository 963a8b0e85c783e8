// Verifying that a webhook delivery came from Instantly (or a signing relay).
//
// Instantly does not sign deliveries and sends no event id (api-facts.md).
// Its only authentication is the `headers` map of the subscription, sent
// verbatim with every delivery: put a secret there (generate_secret()) and
// check it with SecretHeaderVerifier. Deliveries that come through a signing
// relay use the Standard Webhooks scheme: StandardWebhooksVerifier. To create
// a subscription with a fresh secret header, see instantly/webhooks/subscription.hpp.
//
//   instantly::webhooks::SecretHeaderVerifier verify("X-Webhook-Secret", {secret});
//   verify(request_headers);                      // throws WebhookVerificationError
//
// Thread-safety: verifiers are plain values; a const verifier may be shared by threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"

namespace instantly::webhooks {

/// A random secret for a subscription's header: 32 bytes from OpenSSL's
/// CSPRNG, URL-safe base64 without padding (43 characters of `A-Za-z0-9-_`,
/// safe in any header value). Throws instantly::Error if the CSPRNG fails.
std::string generate_secret();

/// The Instantly mechanism: one header whose value must equal one of the
/// accepted secrets (several during a rotation: accept old and new, switch the
/// subscription, then drop the old one). Header names match
/// case-insensitively (the first header of that name counts); surrounding
/// spaces and tabs of the value are ignored. With `allow_bearer_prefix`, a
/// value `Bearer <secret>` (scheme in any case) is accepted too, for
/// subscriptions that send `Authorization: Bearer <secret>`.
///
/// Comparison is constant-time and length-independent: the SHA-256 digests of
/// the received value and of every accepted secret are compared with
/// CRYPTO_memcmp, all of them, without stopping at the first match. Only the
/// digests are kept, not the secrets.
class SecretHeaderVerifier {
 public:
  /// Throws WebhookVerificationError(InvalidSecret) for an empty header name,
  /// no secrets, or an empty secret.
  SecretHeaderVerifier(std::string header_name, const std::vector<std::string>& secrets,
                       bool allow_bearer_prefix = true);

  /// Throws WebhookVerificationError (MissingHeader, BadSecret).
  void verify(const HttpHeaders& headers) const;
  void operator()(const HttpHeaders& headers) const { verify(headers); }
  /// The same check, without throwing.
  bool is_valid(const HttpHeaders& headers) const noexcept;

  const std::string& header_name() const noexcept { return header_name_; }
  bool allows_bearer_prefix() const noexcept { return allow_bearer_prefix_; }

 private:
  using Digest = std::array<unsigned char, 32>;
  bool matches(std::string_view value) const noexcept;

  std::string header_name_;
  std::vector<Digest> secret_digests_;  // SHA-256 of each accepted secret
  bool allow_bearer_prefix_;
};

/// Standard Webhooks (standardwebhooks.com): headers `webhook-id`,
/// `webhook-timestamp` (Unix seconds) and `webhook-signature` holding one or
/// more space-separated `v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
/// Secrets are `whsec_<base64 key>` (the prefix is optional; padding too); several may be
/// given for rotation. A timestamp further than `tolerance` from now, in either
/// direction, is refused.
///
/// Checks, in order: the three headers are present (MissingHeader; for the
/// timestamp MissingTimestamp, also when it is not a decimal number), the
/// timestamp is within the window (StaleTimestamp, FutureTimestamp), the
/// signature header holds at least one readable `v1,<base64 of 32 bytes>`
/// (MalformedSignature; other versions such as `v1a,` are skipped), and one of
/// them equals the HMAC of one of the keys (BadSignature). Signatures compare
/// with CRYPTO_memcmp.
class StandardWebhooksVerifier {
 public:
  using Clock = std::chrono::system_clock;

  /// Throws WebhookVerificationError(InvalidSecret) for no secrets or a secret
  /// that is not base64 (or decodes to nothing), and ValidationError for a
  /// negative tolerance.
  explicit StandardWebhooksVerifier(const std::vector<std::string>& secrets,
                                    std::chrono::seconds tolerance = std::chrono::minutes(5));

  /// Throws WebhookVerificationError (MissingHeader, MissingTimestamp,
  /// StaleTimestamp, FutureTimestamp, MalformedSignature, BadSignature).
  void verify(const HttpHeaders& headers, std::string_view body, Clock::time_point now = Clock::now()) const;
  bool is_valid(const HttpHeaders& headers, std::string_view body, Clock::time_point now = Clock::now()) const noexcept;

  /// The `webhook-signature` value for a delivery (`v1,<base64>`), signed with the first secret:
  /// for relays and tests.
  std::string sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;

  std::chrono::seconds tolerance() const noexcept { return tolerance_; }

 private:
  std::vector<std::string> keys_;  // decoded secret bytes
  std::chrono::seconds tolerance_;
};

}  // namespace instantly::webhooks
