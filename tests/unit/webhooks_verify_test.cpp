// Webhook verification: the secret-header check Instantly's subscriptions use,
// and the Standard Webhooks scheme of signing relays (with its published test vector).
#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"
#include "instantly/webhooks.hpp"

using instantly::HttpHeaders;
using instantly::WebhookFailure;
using instantly::WebhookVerificationError;
using instantly::webhooks::SecretHeaderVerifier;
using instantly::webhooks::StandardWebhooksVerifier;

namespace {

// The reason of the WebhookVerificationError `f` throws; fails the test when it throws nothing.
template <class F>
std::optional<WebhookFailure> failure_of(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const WebhookVerificationError& e) {
    if (message != nullptr) *message = e.what();
    return e.reason();
  }
  return std::nullopt;
}

constexpr const char* kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kVectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kVectorTimestamp = 1614265330;
constexpr const char* kVectorBody = R"({"test": 2432232314})";
constexpr const char* kVectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

StandardWebhooksVerifier::Clock::time_point at(std::int64_t unix_seconds) {
  return StandardWebhooksVerifier::Clock::time_point(std::chrono::seconds(unix_seconds));
}

HttpHeaders vector_headers(std::string signature = kVectorSignature,
                           std::string timestamp = std::to_string(kVectorTimestamp)) {
  return HttpHeaders{{"webhook-id", kVectorId}, {"webhook-timestamp", timestamp}, {"webhook-signature", signature}};
}

}  // namespace

TEST_SUITE("webhooks: generate_secret") {
  TEST_CASE("43 URL-safe characters, different every time") {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
      const std::string secret = instantly::webhooks::generate_secret();
      CHECK(secret.size() == 43);
      for (char c : secret) {
        const bool url_safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                              c == '_';
        CHECK(url_safe);
      }
      seen.insert(secret);
    }
    CHECK(seen.size() == 50);
  }

  TEST_CASE("a generated secret works with SecretHeaderVerifier") {
    const std::string secret = instantly::webhooks::generate_secret();
    const SecretHeaderVerifier verify("X-Webhook-Secret", {secret});
    CHECK(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", secret}}));
  }
}

TEST_SUITE("webhooks: WebhookFailure") {
  TEST_CASE("to_string gives stable snake_case names") {
    CHECK(std::string(instantly::to_string(WebhookFailure::MissingHeader)) == "missing_header");
    CHECK(std::string(instantly::to_string(WebhookFailure::BadSecret)) == "bad_secret");
    CHECK(std::string(instantly::to_string(WebhookFailure::MalformedSignature)) == "malformed_signature");
    CHECK(std::string(instantly::to_string(WebhookFailure::BadSignature)) == "bad_signature");
    CHECK(std::string(instantly::to_string(WebhookFailure::MissingTimestamp)) == "missing_timestamp");
    CHECK(std::string(instantly::to_string(WebhookFailure::StaleTimestamp)) == "stale_timestamp");
    CHECK(std::string(instantly::to_string(WebhookFailure::FutureTimestamp)) == "future_timestamp");
    CHECK(std::string(instantly::to_string(WebhookFailure::InvalidSecret)) == "invalid_secret");
  }

  TEST_CASE("WebhookVerificationError is an instantly::Error") {
    const WebhookVerificationError e(WebhookFailure::BadSecret, "nope");
    const instantly::Error& base = e;
    CHECK(std::string(base.what()) == "nope");
    CHECK(e.reason() == WebhookFailure::BadSecret);
  }
}

TEST_SUITE("webhooks: SecretHeaderVerifier") {
  const std::string kSecret = "s3cr3t-value-0123456789";

  TEST_CASE("the right secret passes") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    CHECK_NOTHROW(verify(HttpHeaders{{"X-Webhook-Secret", kSecret}}));
    CHECK(verify.is_valid(HttpHeaders{{"Content-Type", "application/json"}, {"X-Webhook-Secret", kSecret}}));
    CHECK(verify.header_name() == "X-Webhook-Secret");
  }

  TEST_CASE("header names match in any case") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    CHECK(verify.is_valid(HttpHeaders{{"x-webhook-secret", kSecret}}));
    CHECK(verify.is_valid(HttpHeaders{{"X-WEBHOOK-SECRET", kSecret}}));
    const SecretHeaderVerifier lower("x-webhook-secret", {kSecret});
    CHECK(lower.is_valid(HttpHeaders{{"X-Webhook-Secret", kSecret}}));
  }

  TEST_CASE("surrounding whitespace of the value is ignored, inner differences are not") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    CHECK(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", " \t" + kSecret + " "}}));
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", kSecret + "x"}}));
  }

  TEST_CASE("a wrong secret is BadSecret and the message quotes neither secret") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    std::string message;
    const std::string wrong = "wrong-secret-attempt";
    CHECK(failure_of([&] { verify(HttpHeaders{{"X-Webhook-Secret", wrong}}); }, &message) == WebhookFailure::BadSecret);
    CHECK(message.find("X-Webhook-Secret") != std::string::npos);
    CHECK(message.find(kSecret) == std::string::npos);
    CHECK(message.find(wrong) == std::string::npos);
  }

  TEST_CASE("wrong secrets of every length, prefixes and empty values fail") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    for (std::size_t n = 0; n < kSecret.size(); ++n) {
      CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", kSecret.substr(0, n)}}));
    }
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", ""}}));
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", "   "}}));
    std::string flipped = kSecret;
    flipped.back() = 'X';
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", flipped}}));
  }

  TEST_CASE("a missing header is MissingHeader") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    std::string message;
    CHECK(failure_of([&] { verify(HttpHeaders{{"X-Other", kSecret}}); }, &message) == WebhookFailure::MissingHeader);
    CHECK(message.find("X-Webhook-Secret") != std::string::npos);
    CHECK(message.find(kSecret) == std::string::npos);
    CHECK(failure_of([&] { verify(HttpHeaders{}); }) == WebhookFailure::MissingHeader);
  }

  TEST_CASE("rotation: every accepted secret passes, others do not") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {"old-secret", "new-secret"});
    CHECK(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", "old-secret"}}));
    CHECK(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", "new-secret"}}));
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", "older-secret"}}));
    // After the rotation, the old secret is refused.
    const SecretHeaderVerifier rotated("X-Webhook-Secret", {"new-secret"});
    CHECK(failure_of([&] { rotated(HttpHeaders{{"X-Webhook-Secret", "old-secret"}}); }) == WebhookFailure::BadSecret);
  }

  TEST_CASE("Bearer prefix: accepted by default, scheme in any case") {
    const SecretHeaderVerifier verify("Authorization", {kSecret});
    CHECK(verify.allows_bearer_prefix());
    CHECK(verify.is_valid(HttpHeaders{{"authorization", "Bearer " + kSecret}}));
    CHECK(verify.is_valid(HttpHeaders{{"Authorization", "bearer " + kSecret}}));
    CHECK(verify.is_valid(HttpHeaders{{"Authorization", "BEARER  " + kSecret}}));
    CHECK(verify.is_valid(HttpHeaders{{"Authorization", kSecret}}));  // the bare secret too
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"Authorization", "Bearer wrong"}}));
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"Authorization", "Bearer "}}));
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"Authorization", "Basic " + kSecret}}));
  }

  TEST_CASE("Bearer prefix: refused when not allowed") {
    const SecretHeaderVerifier verify("Authorization", {kSecret}, /*allow_bearer_prefix=*/false);
    CHECK(verify.is_valid(HttpHeaders{{"Authorization", kSecret}}));
    CHECK(failure_of([&] { verify(HttpHeaders{{"Authorization", "Bearer " + kSecret}}); }) ==
          WebhookFailure::BadSecret);
  }

  TEST_CASE("a secret that itself starts with 'Bearer ' still matches verbatim") {
    const SecretHeaderVerifier verify("Authorization", {"Bearer abc"});
    CHECK(verify.is_valid(HttpHeaders{{"Authorization", "Bearer abc"}}));
  }

  TEST_CASE("the first header of the name counts") {
    const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
    CHECK(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", kSecret}, {"x-webhook-secret", "other"}}));
    CHECK_FALSE(verify.is_valid(HttpHeaders{{"X-Webhook-Secret", "other"}, {"x-webhook-secret", kSecret}}));
  }

  TEST_CASE("unusable configuration is InvalidSecret") {
    CHECK(failure_of([] { SecretHeaderVerifier("", {"x"}); }) == WebhookFailure::InvalidSecret);
    CHECK(failure_of([] { SecretHeaderVerifier("X-Webhook-Secret", {}); }) == WebhookFailure::InvalidSecret);
    CHECK(failure_of([] { SecretHeaderVerifier("X-Webhook-Secret", {"ok", ""}); }) == WebhookFailure::InvalidSecret);
  }
}

TEST_SUITE("webhooks: StandardWebhooksVerifier") {
  TEST_CASE("the published test vector verifies at its timestamp") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    CHECK_NOTHROW(verify.verify(vector_headers(), kVectorBody, at(kVectorTimestamp)));
    CHECK(verify.sign(kVectorId, kVectorTimestamp, kVectorBody) == kVectorSignature);
  }

  TEST_CASE("the whsec_ prefix and the padding are optional") {
    CHECK(StandardWebhooksVerifier({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
              .is_valid(vector_headers(), kVectorBody, at(kVectorTimestamp)));
    // A 24-byte key has no padding; a 31-byte one does: sign with one form, verify with the other.
    const std::string padded = "whsec_" + std::string(40, 'A') + "AA==";
    const std::string unpadded = "whsec_" + std::string(40, 'A') + "AA";
    const StandardWebhooksVerifier signer({padded});
    const std::string signature = signer.sign(kVectorId, kVectorTimestamp, "{}");
    CHECK(StandardWebhooksVerifier({unpadded}).is_valid(vector_headers(signature), "{}", at(kVectorTimestamp)));
    CHECK(StandardWebhooksVerifier({padded}).sign(kVectorId, kVectorTimestamp, "{}") ==
          StandardWebhooksVerifier({unpadded}).sign(kVectorId, kVectorTimestamp, "{}"));
  }

  TEST_CASE("tolerance: 5 minutes either way passes, 6 minutes earlier or later does not") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    CHECK(verify.is_valid(vector_headers(), kVectorBody, at(kVectorTimestamp + 300)));
    CHECK(verify.is_valid(vector_headers(), kVectorBody, at(kVectorTimestamp - 300)));
    std::string message;
    // Received 6 minutes after it was signed: stale.
    CHECK(failure_of([&] { verify.verify(vector_headers(), kVectorBody, at(kVectorTimestamp + 360)); }, &message) ==
          WebhookFailure::StaleTimestamp);
    CHECK(message.find("g0hM9SsE") == std::string::npos);
    // Received 6 minutes before it claims to be signed: from the future.
    CHECK(failure_of([&] { verify.verify(vector_headers(), kVectorBody, at(kVectorTimestamp - 360)); }) ==
          WebhookFailure::FutureTimestamp);
  }

  TEST_CASE("the tolerance is configurable") {
    const StandardWebhooksVerifier strict({kVectorSecret}, std::chrono::seconds(10));
    CHECK(strict.tolerance() == std::chrono::seconds(10));
    CHECK(strict.is_valid(vector_headers(), kVectorBody, at(kVectorTimestamp + 10)));
    CHECK_FALSE(strict.is_valid(vector_headers(), kVectorBody, at(kVectorTimestamp + 11)));
    CHECK_THROWS_AS(StandardWebhooksVerifier({kVectorSecret}, std::chrono::seconds(-1)), instantly::ValidationError);
  }

  TEST_CASE("extreme timestamps do not overflow") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    CHECK(failure_of([&] {
            verify.verify(vector_headers(kVectorSignature, "9223372036854775807"), kVectorBody, at(kVectorTimestamp));
          }) == WebhookFailure::FutureTimestamp);
    CHECK(failure_of([&] { verify.verify(vector_headers(kVectorSignature, "0"), kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::StaleTimestamp);
    CHECK(failure_of([&] {
            verify.verify(vector_headers(kVectorSignature, "99999999999999999999"), kVectorBody, at(kVectorTimestamp));
          }) == WebhookFailure::MissingTimestamp);
  }

  TEST_CASE("a tampered body, id or timestamp is BadSignature") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    std::string message;
    CHECK(failure_of([&] { verify.verify(vector_headers(), R"({"test": 2432232315})", at(kVectorTimestamp)); },
                     &message) == WebhookFailure::BadSignature);
    CHECK(message.find("g0hM9SsE") == std::string::npos);
    CHECK(message.find("MfKQ9r8G") == std::string::npos);
    CHECK(failure_of([&] { verify.verify(vector_headers(), R"({"test":2432232314})", at(kVectorTimestamp)); }) ==
          WebhookFailure::BadSignature);
    HttpHeaders other_id = vector_headers();
    other_id.set("webhook-id", "msg_other");
    CHECK(failure_of([&] { verify.verify(other_id, kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::BadSignature);
    CHECK(failure_of([&] {
            verify.verify(vector_headers(kVectorSignature, std::to_string(kVectorTimestamp + 1)), kVectorBody,
                          at(kVectorTimestamp));
          }) == WebhookFailure::BadSignature);
  }

  TEST_CASE("a wrong secret is BadSignature") {
    const StandardWebhooksVerifier verify({"whsec_" + std::string("c2VjcmV0LWtleS1vdGhlcg==")});
    CHECK(failure_of([&] { verify.verify(vector_headers(), kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::BadSignature);
  }

  TEST_CASE("several signatures in one header: any match passes") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    const std::string other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    CHECK(verify.is_valid(vector_headers(other + " " + kVectorSignature), kVectorBody, at(kVectorTimestamp)));
    CHECK(verify.is_valid(vector_headers(std::string(kVectorSignature) + " " + other), kVectorBody,
                          at(kVectorTimestamp)));
    // Other versions and unreadable v1 entries are skipped, not fatal.
    CHECK(verify.is_valid(vector_headers("v1a,abc v2,xyz v1,!!! " + std::string(kVectorSignature)), kVectorBody,
                          at(kVectorTimestamp)));
    CHECK(failure_of([&] { verify.verify(vector_headers(other + " " + other), kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::BadSignature);
  }

  TEST_CASE("rotation: a signature from any configured secret passes") {
    const StandardWebhooksVerifier verify({"whsec_c2VjcmV0LWtleS1vdGhlcg==", kVectorSecret});
    CHECK(verify.is_valid(vector_headers(), kVectorBody, at(kVectorTimestamp)));
    // sign() uses the first secret.
    const std::string signature = verify.sign(kVectorId, kVectorTimestamp, kVectorBody);
    CHECK(signature != kVectorSignature);
    CHECK(StandardWebhooksVerifier({"whsec_c2VjcmV0LWtleS1vdGhlcg=="})
              .is_valid(vector_headers(signature), kVectorBody, at(kVectorTimestamp)));
  }

  TEST_CASE("missing headers") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    HttpHeaders headers = vector_headers();
    headers.remove("webhook-id");
    CHECK(failure_of([&] { verify.verify(headers, kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::MissingHeader);
    headers = vector_headers();
    headers.remove("webhook-signature");
    CHECK(failure_of([&] { verify.verify(headers, kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::MissingHeader);
    headers = vector_headers();
    headers.remove("webhook-timestamp");
    CHECK(failure_of([&] { verify.verify(headers, kVectorBody, at(kVectorTimestamp)); }) ==
          WebhookFailure::MissingTimestamp);
  }

  TEST_CASE("header names in any case") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    const HttpHeaders headers{{"Webhook-Id", kVectorId},
                              {"WEBHOOK-TIMESTAMP", std::to_string(kVectorTimestamp)},
                              {"Webhook-Signature", kVectorSignature}};
    CHECK(verify.is_valid(headers, kVectorBody, at(kVectorTimestamp)));
  }

  TEST_CASE("unreadable timestamps are MissingTimestamp") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    for (const char* bad : {"abc", "-1614265330", "1614265330.5", "+1614265330", "1614265330s"}) {
      CAPTURE(bad);
      CHECK(failure_of([&] { verify.verify(vector_headers(kVectorSignature, bad), kVectorBody, at(kVectorTimestamp)); }) ==
            WebhookFailure::MissingTimestamp);
    }
  }

  TEST_CASE("unreadable signature headers are MalformedSignature") {
    const StandardWebhooksVerifier verify({kVectorSecret});
    for (const char* bad : {"g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,", "v1,not base64!", "v2,abc",
                            "v1,AAAA", "v1 g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}) {
      CAPTURE(bad);
      CHECK(failure_of([&] { verify.verify(vector_headers(bad), kVectorBody, at(kVectorTimestamp)); }) ==
            WebhookFailure::MalformedSignature);
    }
  }

  TEST_CASE("unusable secrets are InvalidSecret, without quoting them") {
    std::string message;
    CHECK(failure_of([] { StandardWebhooksVerifier({}); }) == WebhookFailure::InvalidSecret);
    CHECK(failure_of([] { StandardWebhooksVerifier({"whsec_"}); }) == WebhookFailure::InvalidSecret);
    CHECK(failure_of([] { StandardWebhooksVerifier({"whsec_not*base64"}, std::chrono::seconds(1)); }, &message) ==
          WebhookFailure::InvalidSecret);
    CHECK(message.find("not*base64") == std::string::npos);
    CHECK(failure_of([] { StandardWebhooksVerifier({kVectorSecret, "whsec_A"}); }) == WebhookFailure::InvalidSecret);
    CHECK(failure_of([] { StandardWebhooksVerifier({"whsec_QUJD="}); }) == WebhookFailure::InvalidSecret);  // bad padding
  }

  TEST_CASE("sign then verify round-trips, is_valid never throws") {
    const StandardWebhooksVerifier verify({instantly::webhooks::generate_secret()});
    const std::string body = R"({"event_type":"email_sent","timestamp":"2024-05-01T12:00:00.000Z"})";
    const std::int64_t now = 1'700'000'000;
    const HttpHeaders headers{{"webhook-id", "msg_abc"},
                              {"webhook-timestamp", std::to_string(now)},
                              {"webhook-signature", verify.sign("msg_abc", now, body)}};
    CHECK(verify.is_valid(headers, body, at(now)));
    CHECK_FALSE(verify.is_valid(headers, body + " ", at(now)));
    CHECK_FALSE(verify.is_valid(HttpHeaders{}, body, at(now)));
  }
}
