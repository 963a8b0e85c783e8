// webhooks::subscribe: what the create request carries, and that the returned
// verifier accepts exactly the deliveries that subscription will send.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/webhooks/subscription.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

using instantly::HttpHeaders;
using instantly::HttpRequest;
using instantly::Json;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

namespace {

instantly::Client client_over(std::shared_ptr<FakeTransport> transport) {
  return instantly::Client({.api_key = "sk_test",
                            .base_url = "http://api.test",
                            .retry = {.max_retries = 0, .jitter = [] { return 0.0; }},
                            .rate_limit = {.enabled = false},
                            .transport = std::move(transport),
                            .clock = std::make_shared<FakeClock>()});
}

// Answers POST /webhooks the way Instantly does: the subscription, headers included.
std::shared_ptr<FakeTransport> webhook_api() {
  return std::make_shared<FakeTransport>([](const HttpRequest& request) {
    Json created = Json::parse(request.body.value_or("{}"));
    created.set("id", "wh-1");
    created.set("organization", "org-1");
    created.set("timestamp_created", "2024-05-01T12:00:00.000Z");
    created.set("status", 1);
    return json_response(200, created.dump());
  });
}

HttpRequest only_request(const FakeTransport& transport) {
  const std::vector<HttpRequest> requests = transport.requests();
  REQUIRE(requests.size() == 1);
  return requests.front();
}

}  // namespace

TEST_SUITE("webhooks: subscribe") {
  TEST_CASE("creates the subscription with a fresh secret header and returns its verifier") {
    const auto transport = webhook_api();
    const instantly::Client client = client_over(transport);
    const auto sub = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/webhook/instantly"});

    const HttpRequest request = only_request(*transport);
    CHECK(request.method == "POST");
    CHECK(request.url == "http://api.test/api/v2/webhooks");
    const Json body = Json::parse(*request.body);
    CHECK(body.at("target_hook_url") == Json("https://example.com/webhook/instantly"));
    CHECK(body.at("event_type") == Json("all_events"));
    CHECK_FALSE(body.contains("campaign"));
    CHECK(body.at("headers") == Json::object({{"X-Webhook-Secret", sub.secret}}));

    CHECK(sub.secret.size() == 43);
    CHECK(sub.webhook.id == "wh-1");
    CHECK(sub.verifier.header_name() == "X-Webhook-Secret");
    CHECK(sub.verifier.is_valid(HttpHeaders{{"x-webhook-secret", sub.secret}}));
    CHECK_FALSE(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "guess"}}));
    CHECK_FALSE(instantly::webhooks::is_disabled(sub.webhook));
  }

  TEST_CASE("every subscription gets its own secret") {
    const instantly::Client client = client_over(webhook_api());
    const auto a = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/a"});
    const auto b = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/b"});
    CHECK(a.secret != b.secret);
    CHECK_FALSE(a.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", b.secret}}));
  }

  TEST_CASE("campaign, name, event type, a Bearer header and a given secret") {
    const auto transport = webhook_api();
    const auto sub = instantly::webhooks::subscribe(
        client_over(transport), {.target_url = "https://example.com/hook",
                                 .event_type = instantly::WebhookEventType::ReplyReceived,
                                 .campaign = "camp-1",
                                 .name = "CRM sync",
                                 .header_name = "Authorization",
                                 .bearer = true,
                                 .secret = "my-vault-secret"});
    const Json body = Json::parse(*only_request(*transport).body);
    CHECK(body.at("event_type") == Json("reply_received"));
    CHECK(body.at("campaign") == Json("camp-1"));
    CHECK(body.at("name") == Json("CRM sync"));
    CHECK(body.at("headers") == Json::object({{"Authorization", "Bearer my-vault-secret"}}));
    CHECK(sub.secret == "my-vault-secret");
    CHECK(sub.verifier.is_valid(HttpHeaders{{"authorization", "Bearer my-vault-secret"}}));
  }

  TEST_CASE("without bearer, the verifier wants the bare secret") {
    const auto sub = instantly::webhooks::subscribe(client_over(webhook_api()),
                                                    {.target_url = "https://example.com/hook", .secret = "s"});
    CHECK(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "s"}}));
    CHECK_FALSE(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "Bearer s"}}));
  }

  TEST_CASE("a missing target URL or header name sends nothing") {
    const auto transport = webhook_api();
    const instantly::Client client = client_over(transport);
    CHECK_THROWS_AS(instantly::webhooks::subscribe(client, {}), instantly::ValidationError);
    CHECK_THROWS_AS(instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook", .header_name = ""}),
                    instantly::ValidationError);
    CHECK(transport->request_count() == 0);
  }

  TEST_CASE("API errors come through") {
    const auto transport = std::make_shared<FakeTransport>(
        std::vector<FakeTransport::Step>{json_response(400, R"({"message":"target_hook_url must be https"})")});
    CHECK_THROWS_AS(instantly::webhooks::subscribe(client_over(transport), {.target_url = "http://insecure"}),
                    instantly::BadRequestError);
  }

  TEST_CASE("is_disabled reads status -1") {
    instantly::Webhook webhook;
    CHECK_FALSE(instantly::webhooks::is_disabled(webhook));
    webhook.status = 1.0;
    CHECK_FALSE(instantly::webhooks::is_disabled(webhook));
    webhook.status = -1.0;
    CHECK(instantly::webhooks::is_disabled(webhook));
    webhook.status = instantly::null;
    CHECK_FALSE(instantly::webhooks::is_disabled(webhook));
  }
}
