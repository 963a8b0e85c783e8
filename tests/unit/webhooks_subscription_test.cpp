// webhooks::subscribe: what the create request carries, that the returned
// verifier accepts exactly the deliveries that subscription will send, and
// that subscribing again reuses the subscription (settling its secret).
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/webhooks/subscription.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"
#include "support/fake_webhook_api.hpp"

using instantly::HttpHeaders;
using instantly::HttpRequest;
using instantly::Json;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::FakeWebhookApi;
using instantly::testing::json_response;

namespace {

instantly::Client subscription_client(std::shared_ptr<FakeTransport> transport) {
  return instantly::Client({.api_key = "sk_test",
                            .base_url = "http://api.test",
                            .retry = {.max_retries = 0, .jitter = [] { return 0.0; }},
                            .rate_limit = {.enabled = false},
                            .transport = std::move(transport),
                            .clock = std::make_shared<FakeClock>()});
}

/// The one request with this method (the create, the update).
HttpRequest only_request(const FakeTransport& transport, const std::string& method) {
  std::vector<HttpRequest> matching;
  for (const HttpRequest& request : transport.requests()) {
    if (request.method == method) matching.push_back(request);
  }
  REQUIRE(matching.size() == 1);
  return matching.front();
}

std::size_t count_calls(const FakeWebhookApi& api, const std::string& prefix) {
  const std::vector<std::string> calls = api.calls();
  return static_cast<std::size_t>(
      std::count_if(calls.begin(), calls.end(), [&](const std::string& c) { return c.rfind(prefix, 0) == 0; }));
}

}  // namespace

TEST_SUITE("webhooks: subscribe") {
  TEST_CASE("creates the subscription with a fresh secret header and returns its verifier") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const auto transport = api->transport();
    const instantly::Client client = subscription_client(transport);
    const auto sub = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/webhook/instantly"});

    // First a look for an existing one, then the create.
    REQUIRE(transport->request_count() == 2);
    CHECK(transport->requests().front().method == "GET");
    CHECK(transport->requests().front().url ==
          "http://api.test/api/v2/webhooks?limit=100");
    const HttpRequest request = only_request(*transport, "POST");
    CHECK(request.url == "http://api.test/api/v2/webhooks");
    const Json body = Json::parse(*request.body);
    CHECK(body.at("target_hook_url") == Json("https://example.com/webhook/instantly"));
    CHECK(body.at("event_type") == Json("all_events"));
    CHECK_FALSE(body.contains("campaign"));
    CHECK(body.at("headers") == Json::object({{"X-Webhook-Secret", sub.secret}}));

    CHECK(sub.secret.size() == 43);
    CHECK(sub.webhook.id == "wh-1");
    CHECK_FALSE(sub.reused);
    CHECK(sub.verifier.header_name() == "X-Webhook-Secret");
    CHECK(sub.verifier.is_valid(HttpHeaders{{"x-webhook-secret", sub.secret}}));
    CHECK_FALSE(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "guess"}}));
    CHECK_FALSE(instantly::webhooks::is_disabled(sub.webhook));
  }

  TEST_CASE("every subscription gets its own secret") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const instantly::Client client = subscription_client(api->transport());
    const auto a = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/a"});
    const auto b = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/b"});
    CHECK(a.secret != b.secret);
    CHECK_FALSE(b.reused);
    CHECK_FALSE(a.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", b.secret}}));
  }

  TEST_CASE("campaign, name, event type, a Bearer header and a given secret") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const auto transport = api->transport();
    const auto sub = instantly::webhooks::subscribe(
        subscription_client(transport), {.target_url = "https://example.com/hook",
                                         .event_type = instantly::WebhookEventType::ReplyReceived,
                                         .campaign = "camp-1",
                                         .name = "CRM sync",
                                         .header_name = "Authorization",
                                         .bearer = true,
                                         .secret = "my-vault-secret"});
    CHECK(transport->requests().front().url ==
          "http://api.test/api/v2/webhooks?limit=100&campaign=camp-1");
    const Json body = Json::parse(*only_request(*transport, "POST").body);
    CHECK(body.at("event_type") == Json("reply_received"));
    CHECK(body.at("campaign") == Json("camp-1"));
    CHECK(body.at("name") == Json("CRM sync"));
    CHECK(body.at("headers") == Json::object({{"Authorization", "Bearer my-vault-secret"}}));
    CHECK(sub.secret == "my-vault-secret");
    CHECK(sub.verifier.is_valid(HttpHeaders{{"authorization", "Bearer my-vault-secret"}}));
  }

  TEST_CASE("without bearer, the verifier wants the bare secret") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const auto sub = instantly::webhooks::subscribe(subscription_client(api->transport()),
                                                    {.target_url = "https://example.com/hook", .secret = "s"});
    CHECK(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "s"}}));
    CHECK_FALSE(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "Bearer s"}}));
  }

  TEST_CASE("a missing target URL or header name sends nothing") {
    const auto transport = std::make_shared<FakeWebhookApi>()->transport();
    const instantly::Client client = subscription_client(transport);
    CHECK_THROWS_AS(instantly::webhooks::subscribe(client, {}), instantly::ValidationError);
    CHECK_THROWS_AS(
        instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook", .header_name = ""}),
        instantly::ValidationError);
    CHECK(transport->request_count() == 0);
  }

  TEST_CASE("API errors come through") {
    const auto transport = std::make_shared<FakeTransport>(
        std::vector<FakeTransport::Step>{json_response(200, R"({"items":[]})"),
                                         json_response(400, R"({"message":"target_hook_url must be https"})")});
    CHECK_THROWS_AS(instantly::webhooks::subscribe(subscription_client(transport), {.target_url = "http://insecure"}),
                    instantly::BadRequestError);
    const auto listing_fails = std::make_shared<FakeTransport>(
        std::vector<FakeTransport::Step>{json_response(401, R"({"message":"bad key"})")});
    CHECK_THROWS_AS(instantly::webhooks::subscribe(subscription_client(listing_fails), {.target_url = "https://x"}),
                    instantly::AuthenticationError);
    CHECK(listing_fails->request_count() == 1);  // nothing created after a failed look
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

TEST_SUITE("webhooks: subscribe reuses") {
  TEST_CASE("subscribing twice returns the same subscription and secret, nothing created or updated") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const instantly::Client client = subscription_client(api->transport());
    const auto first = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook"});
    const auto again = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook"});
    CHECK(again.reused);
    CHECK(again.webhook.id == first.webhook.id);
    CHECK(again.secret == first.secret);
    CHECK(again.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", first.secret}}));
    CHECK(api->webhooks().size() == 1);
    CHECK(count_calls(*api, "POST") == 1);
    CHECK(count_calls(*api, "PATCH") == 0);
  }

  TEST_CASE("another event type, campaign or URL is another subscription") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const instantly::Client client = subscription_client(api->transport());
    const auto all = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook"});
    const auto replies = instantly::webhooks::subscribe(
        client, {.target_url = "https://example.com/hook", .event_type = instantly::WebhookEventType::ReplyReceived});
    const auto one_campaign =
        instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook", .campaign = "camp-1"});
    const auto elsewhere = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/other"});
    CHECK_FALSE(replies.reused);
    CHECK_FALSE(one_campaign.reused);
    CHECK_FALSE(elsewhere.reused);
    CHECK(api->webhooks().size() == 4);
    // The campaign's own subscription is found again; the workspace-wide one is not it.
    const auto campaign_again =
        instantly::webhooks::subscribe(client, {.target_url = "https://example.com/hook", .campaign = "camp-1"});
    CHECK(campaign_again.reused);
    CHECK(campaign_again.webhook.id == one_campaign.webhook.id);
    CHECK(campaign_again.webhook.id != all.webhook.id);
  }

  TEST_CASE("a new secret is written to the reused subscription, its other headers kept") {
    const auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"headers", Json::object({{"x-webhook-secret", "old"}, {"X-Tenant", "t1"}})}}));
    const auto transport = api->transport();
    const auto sub = instantly::webhooks::subscribe(subscription_client(transport),
                                                    {.target_url = "https://example.com/hook", .secret = "new-secret"});
    CHECK(sub.reused);
    CHECK(sub.secret == "new-secret");
    const HttpRequest patch = only_request(*transport, "PATCH");
    CHECK(patch.url == "http://api.test/api/v2/webhooks/wh-1");
    CHECK(Json::parse(*patch.body).at("headers") ==
          Json::object({{"X-Tenant", "t1"}, {"X-Webhook-Secret", "new-secret"}}));
    CHECK(sub.webhook.headers == Json::object({{"X-Tenant", "t1"}, {"X-Webhook-Secret", "new-secret"}}));
    CHECK(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "new-secret"}}));
    CHECK_FALSE(sub.verifier.is_valid(HttpHeaders{{"X-Webhook-Secret", "old"}}));
  }

  TEST_CASE("a given secret the subscription already sends changes nothing") {
    const auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"headers", Json::object({{"authorization", "bearer kept"}})}}));
    const auto sub = instantly::webhooks::subscribe(
        subscription_client(api->transport()),
        {.target_url = "https://example.com/hook", .header_name = "Authorization", .bearer = true, .secret = "kept"});
    CHECK(sub.reused);
    CHECK(count_calls(*api, "PATCH") == 0);
    CHECK(sub.verifier.is_valid(HttpHeaders{{"Authorization", "bearer kept"}}));
  }

  TEST_CASE("without a secret, the one the subscription sends is reused") {
    const auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"headers", Json::object({{"Authorization", "Bearer from-the-api"}})}}));
    const auto sub = instantly::webhooks::subscribe(
        subscription_client(api->transport()),
        {.target_url = "https://example.com/hook", .header_name = "Authorization", .bearer = true});
    CHECK(sub.reused);
    CHECK(sub.secret == "from-the-api");
    CHECK(count_calls(*api, "PATCH") == 0);
  }

  TEST_CASE("without a secret and none sent under the header, a fresh one is written") {
    const auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"headers", Json::object({{"X-Other", "x"}})}}));
    const auto transport = api->transport();
    const auto sub =
        instantly::webhooks::subscribe(subscription_client(transport), {.target_url = "https://example.com/hook"});
    CHECK(sub.reused);
    CHECK(sub.secret.size() == 43);
    CHECK(Json::parse(*only_request(*transport, "PATCH").body).at("headers") ==
          Json::object({{"X-Other", "x"}, {"X-Webhook-Secret", sub.secret}}));
  }

  TEST_CASE("bearer chosen for a subscription that sends the bare secret: the Bearer form is written") {
    const auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"headers", Json::object({{"Authorization", "bare"}})}}));
    const auto transport = api->transport();
    const auto sub = instantly::webhooks::subscribe(
        subscription_client(transport),
        {.target_url = "https://example.com/hook", .header_name = "Authorization", .bearer = true});
    CHECK(sub.secret == "bare");
    CHECK(Json::parse(*only_request(*transport, "PATCH").body).at("headers") ==
          Json::object({{"Authorization", "Bearer bare"}}));
  }

  TEST_CASE("an enabled duplicate is preferred, a disabled one is reused as it is") {
    const auto api = std::make_shared<FakeWebhookApi>();
    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"status", -1},
                                   {"timestamp_error", "2024-12-02T00:00:00.000Z"},
                                   {"headers", Json::object({{"X-Webhook-Secret", "s1"}})}}));
    const auto disabled_only = instantly::webhooks::subscribe(subscription_client(api->transport()),
                                                              {.target_url = "https://example.com/hook"});
    CHECK(disabled_only.reused);
    CHECK(disabled_only.webhook.id == "wh-1");
    CHECK(instantly::webhooks::is_disabled(disabled_only.webhook));  // not resumed: the watcher does that
    CHECK(count_calls(*api, "POST") == 0);

    api->add_webhook(Json::object({{"target_hook_url", "https://example.com/hook"},
                                   {"headers", Json::object({{"X-Webhook-Secret", "s2"}})}}));
    const auto sub = instantly::webhooks::subscribe(subscription_client(api->transport()),
                                                    {.target_url = "https://example.com/hook"});
    CHECK(sub.webhook.id == "wh-2");
    CHECK(sub.secret == "s2");
  }

  TEST_CASE("a type the list filter does not name (lead_no_show) is reused like any other") {
    const auto api = std::make_shared<FakeWebhookApi>();
    const auto transport = api->transport();
    const instantly::Client client = subscription_client(transport);
    const auto first = instantly::webhooks::subscribe(
        client, {.target_url = "https://example.com/hook", .event_type = instantly::WebhookEventType::LeadNoShow});
    CHECK(transport->requests().front().url == "http://api.test/api/v2/webhooks?limit=100");
    const auto again = instantly::webhooks::subscribe(
        client, {.target_url = "https://example.com/hook", .event_type = instantly::WebhookEventType::LeadNoShow});
    CHECK(again.reused);
    CHECK(again.webhook.id == first.webhook.id);
  }
}
