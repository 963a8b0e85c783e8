// Webhook deliveries as an attacker sends them: empty, huge, not UTF-8, nested without end,
// fields of the wrong type, forged secrets and signatures, replays and timestamps built to
// overflow. Each is a DecodeError or WebhookVerificationError with its reason, the secret in
// no message; a replayed delivery changes nothing.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"
#include "instantly/webhooks.hpp"
#include "instantly/webhooks/engagement.hpp"
#include "support/text.hpp"

namespace hostile_webhooks {

using instantly::DecodeError;
using instantly::HttpHeaders;
using instantly::WebhookFailure;
using instantly::WebhookVerificationError;
using instantly::testing::contains;
using instantly::webhooks::parse_event;
using instantly::webhooks::SecretHeaderVerifier;
using instantly::webhooks::StandardWebhooksVerifier;

constexpr const char* kSecret = "whk_hostile_SECRET_7f3a_header";
// whsec_ + base64 of 24 bytes.
constexpr const char* kSigningSecret = "whsec_c2tfaG9zdGlsZV9TRUNSRVRfN2YzYV9zaWdu";
constexpr std::int64_t kNow = 1'700'000'000;
const std::string kBody =
    R"({"event_type":"reply_received","timestamp":"2024-05-01T10:00:00Z","workspace":"w1","campaign_id":"c1",)"
    R"("campaign_name":"Cafes","lead_email":"ann@cafe.example","email_id":"e1","step":1,"variant":1})";

StandardWebhooksVerifier::Clock::time_point at(std::int64_t unix_seconds) {
  return StandardWebhooksVerifier::Clock::time_point(std::chrono::seconds(unix_seconds));
}

std::string decode_failure(std::string_view body, std::size_t max_body_bytes = 1 << 20) {
  try {
    (void)parse_event(body, {.max_body_bytes = max_body_bytes});
  } catch (const DecodeError& e) {
    return e.what();
  }
  FAIL("a hostile webhook body was parsed");
  return {};
}

template <class Verify>
WebhookFailure refusal(Verify&& verify) {
  try {
    verify();
  } catch (const WebhookVerificationError& e) {
    CHECK_FALSE(contains(e.what(), kSecret));
    CHECK_FALSE(contains(e.what(), "c2tfaG9zdGlsZV9TRUNSRVRfN2YzYV9zaWdu"));
    return e.reason();
  }
  FAIL("a forged delivery was accepted");
  return WebhookFailure::BadSignature;
}

HttpHeaders signed_headers(const StandardWebhooksVerifier& verifier, std::int64_t timestamp, std::string_view body,
                           std::string id = "msg_1") {
  return HttpHeaders{{"webhook-id", id},
                     {"webhook-timestamp", std::to_string(timestamp)},
                     {"webhook-signature", verifier.sign(id, timestamp, body)}};
}


TEST_CASE("an empty or blank webhook body is a DecodeError") {
  for (const char* body : {"", " ", "\r\n", "null", "[]", "\"event\""}) {
    const std::string shown_body = body;
    CAPTURE(shown_body);
    (void)decode_failure(body);
  }
}

TEST_CASE("a webhook body over the size limit is refused without being quoted") {
  const std::string huge = R"({"event_type":"email_sent","pad":")" + std::string(2 << 20, 'A') + "\"}";
  const std::string what = decode_failure(huge);
  CHECK(contains(what, "limit"));
  CHECK_FALSE(contains(what, "AAAA"));
  CHECK(decode_failure(kBody, 64).size() < 400);  // a small limit applies as well
}

TEST_CASE("a webhook body that is not UTF-8 is refused with the offset of the bad byte") {
  std::string body = kBody;
  body.insert(body.find("Cafes") + 3, "\xff");
  const std::string what = decode_failure(body);
  CHECK(contains(what, "UTF-8"));
  CHECK(contains(what, std::to_string(body.find('\xff'))));
}

TEST_CASE("a webhook body nested 100,000 deep is a DecodeError, not a stack overflow") {
  std::string body = R"({"event_type":"email_sent","x":)" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  (void)decode_failure(body);
}

TEST_CASE("webhook fields of the wrong type or out of range are refused, naming the field") {
  for (const char* step : {R"("2")", "1e400", "2.5", "9223372036854775808", "[1]"}) {
    const std::string shown_step = step;
    CAPTURE(shown_step);
    std::string body = kBody;
    body.replace(body.find(R"("step":1)"), 8, std::string(R"("step":)") + step);
    try {
      (void)parse_event(body);
      FAIL("a wrong-typed step was accepted");
    } catch (const DecodeError& e) {
      if (std::string(step) != "1e400") CHECK(e.json_path() == "$.step");
    }
  }
  std::string no_type = kBody;
  no_type.replace(no_type.find(R"("reply_received")"), 16, "42");
  CHECK(contains(decode_failure(no_type), "event_type"));
}

TEST_CASE("documented: a duplicate key in a webhook body takes the last value, and so does its dedupe key") {
  std::string body = kBody;
  body.insert(1, R"("lead_email":"mallory@evil.example",)");
  const auto event = parse_event(body);
  CHECK(event.lead_email == "ann@cafe.example");
  CHECK(event.dedupe_key() == parse_event(kBody).dedupe_key());
}

TEST_CASE("a forged or missing secret header is refused, and the first of repeated headers counts") {
  const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
  CHECK(refusal([&] { verify(HttpHeaders{}); }) == WebhookFailure::MissingHeader);
  CHECK(refusal([&] { verify(HttpHeaders{{"X-Webhook-Secret", "guess"}}); }) == WebhookFailure::BadSecret);
  CHECK(refusal([&] { verify(HttpHeaders{{"X-Webhook-Secret", ""}}); }) == WebhookFailure::BadSecret);
  // A secret with a suffix, a prefix of it, or with a NUL: never "close enough".
  for (const std::string& forged : {std::string(kSecret) + "x", std::string(kSecret).substr(0, 10),
                                    std::string(kSecret) + std::string(1, '\0'), std::string(kSecret) + "\r\n"}) {
    CHECK(refusal([&] { verify(HttpHeaders{{"X-Webhook-Secret", forged}}); }) == WebhookFailure::BadSecret);
  }
  // An attacker who adds a header of the same name after the real one does not get theirs read, and
  // one who puts theirs first does not get through with the real one behind it.
  CHECK(refusal([&] { verify(HttpHeaders{{"X-Webhook-Secret", "forged"}, {"x-webhook-secret", kSecret}}); }) ==
        WebhookFailure::BadSecret);
  CHECK_NOTHROW(verify(HttpHeaders{{"x-webhook-secret", std::string(" ") + kSecret + "\t"}}));
}

TEST_CASE("a 1 MiB secret header is refused like any other wrong secret") {
  const SecretHeaderVerifier verify("X-Webhook-Secret", {kSecret});
  CHECK(refusal([&] { verify(HttpHeaders{{"X-Webhook-Secret", std::string(1 << 20, 'x')}}); }) ==
        WebhookFailure::BadSecret);
  CHECK(refusal([&] { verify(HttpHeaders{{"X-Webhook-Secret", "Bearer"}}); }) == WebhookFailure::BadSecret);
}

TEST_CASE("a signed body that was altered, or signed for another delivery id, is refused") {
  const StandardWebhooksVerifier verifier({kSigningSecret});
  HttpHeaders headers = signed_headers(verifier, kNow, kBody);
  CHECK_NOTHROW(verifier.verify(headers, kBody, at(kNow)));
  std::string altered = kBody;
  altered.replace(altered.find("ann@"), 4, "eve@");
  CHECK(refusal([&] { verifier.verify(headers, altered, at(kNow)); }) == WebhookFailure::BadSignature);
  headers.set("webhook-id", "msg_2");  // the signature covers the id: no moving it to another delivery
  CHECK(refusal([&] { verifier.verify(headers, kBody, at(kNow)); }) == WebhookFailure::BadSignature);
  const StandardWebhooksVerifier other({"whsec_b3RoZXJfa2V5X29mX3NvbWVfb3RoZXJfc2VuZGVy"});
  CHECK(refusal([&] { verifier.verify(signed_headers(other, kNow, kBody), kBody, at(kNow)); }) ==
        WebhookFailure::BadSignature);
}

TEST_CASE("a delivery replayed after the tolerance window is stale, one from the future is refused") {
  const StandardWebhooksVerifier verifier({kSigningSecret}, std::chrono::minutes(5));
  const HttpHeaders headers = signed_headers(verifier, kNow, kBody);
  CHECK(refusal([&] { verifier.verify(headers, kBody, at(kNow + 301)); }) == WebhookFailure::StaleTimestamp);
  CHECK(refusal([&] { verifier.verify(headers, kBody, at(kNow - 301)); }) == WebhookFailure::FutureTimestamp);
}

TEST_CASE("timestamps built to overflow or to confuse a parser are refused, not wrapped around") {
  const StandardWebhooksVerifier verifier({kSigningSecret});
  for (const char* timestamp : {"99999999999999999999999", "-9223372036854775808", "9223372036854775807", "1e9",
                                "0x6553f100", "", "+1700000000", "1700000000x", "17000\x00" "00000"}) {
    const std::string shown_timestamp = timestamp;
    CAPTURE(shown_timestamp);
    HttpHeaders headers = signed_headers(verifier, kNow, kBody);
    headers.set("webhook-timestamp", timestamp);
    const WebhookFailure reason = refusal([&] { verifier.verify(headers, kBody, at(kNow)); });
    CHECK((reason == WebhookFailure::MissingTimestamp || reason == WebhookFailure::StaleTimestamp ||
           reason == WebhookFailure::FutureTimestamp || reason == WebhookFailure::BadSignature));
  }
}

TEST_CASE("documented: spaces around the timestamp are trimmed, as HTTP trims a field value") {
  const StandardWebhooksVerifier verifier({kSigningSecret});
  HttpHeaders headers = signed_headers(verifier, kNow, kBody);
  headers.set("webhook-timestamp", " " + std::to_string(kNow) + "\t");
  CHECK_NOTHROW(verifier.verify(headers, kBody, at(kNow)));
}

TEST_CASE("signature headers that are malformed, or long lists of wrong ones, are refused") {
  const StandardWebhooksVerifier verifier({kSigningSecret});
  HttpHeaders headers = signed_headers(verifier, kNow, kBody);
  for (const std::string& signature : {std::string("v1,not base64!"), std::string("v1,"), std::string("v1"),
                                       std::string("v2,") + verifier.sign("msg_1", kNow, kBody).substr(3),
                                       std::string(",,,,")}) {
    CAPTURE(signature);
    headers.set("webhook-signature", signature);
    const WebhookFailure reason = refusal([&] { verifier.verify(headers, kBody, at(kNow)); });
    CHECK((reason == WebhookFailure::MalformedSignature || reason == WebhookFailure::BadSignature));
  }
  std::string many;
  for (int i = 0; i < 20'000; ++i) many += "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ";
  headers.set("webhook-signature", many);
  CHECK(refusal([&] { verifier.verify(headers, kBody, at(kNow)); }) == WebhookFailure::BadSignature);
}

TEST_CASE("documented: an empty body with a valid signature is authentic, and then fails to parse") {
  const StandardWebhooksVerifier verifier({kSigningSecret});
  CHECK_NOTHROW(verifier.verify(signed_headers(verifier, kNow, ""), "", at(kNow)));
  (void)decode_failure("");
}

TEST_CASE("a replayed delivery is applied once: same dedupe key, reply counted once") {
  instantly::webhooks::EngagementTracker tracker;
  const auto event = parse_event(kBody);
  CHECK(tracker.apply(event));
  // The same bytes again, and the same event re-serialised with other spacing and member order.
  CHECK_FALSE(tracker.apply(parse_event(kBody)));
  CHECK_FALSE(tracker.apply(parse_event(event.to_json().dump_pretty())));
  const auto* lead = tracker.find("c1", "ANN@cafe.example");
  REQUIRE(lead != nullptr);
  CHECK(lead->reply_count == 1);
  CHECK(tracker.applied() == 1);
}

TEST_CASE("verifier construction refuses unusable secrets without quoting them") {
  for (const std::vector<std::string>& secrets :
       {std::vector<std::string>{}, std::vector<std::string>{""}, std::vector<std::string>{"whsec_!!!not-base64!!!"}}) {
    try {
      StandardWebhooksVerifier verifier(secrets);
      FAIL("an unusable signing secret was accepted");
    } catch (const WebhookVerificationError& e) {
      CHECK(e.reason() == WebhookFailure::InvalidSecret);
      CHECK_FALSE(contains(e.what(), "not-base64"));
    }
  }
  CHECK_THROWS_AS(SecretHeaderVerifier("X-Webhook-Secret", {""}), WebhookVerificationError);
  CHECK_THROWS_AS(SecretHeaderVerifier("", {kSecret}), WebhookVerificationError);
}

}  // namespace hostile_webhooks
