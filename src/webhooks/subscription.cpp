// subscribe(): a secret header on a new subscription, and its verifier.
#include <string>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/resources/webhooks.hpp"
#include "instantly/webhooks/subscription.hpp"

namespace instantly::webhooks {

Subscription subscribe(const Client& client, SubscribeOptions options) {
  if (options.target_url.empty()) throw ValidationError("webhook subscription needs a target_url");
  if (options.header_name.empty()) throw ValidationError("webhook subscription needs a header_name for the secret");
  std::string secret = options.secret.empty() ? generate_secret() : std::move(options.secret);
  // Built before the request, so a bad configuration fails before anything exists remotely.
  SecretHeaderVerifier verifier(options.header_name, {secret}, /*allow_bearer_prefix=*/options.bearer);

  WebhookCreateParams params;
  params.target_hook_url = std::move(options.target_url);
  params.event_type = std::move(options.event_type);
  if (options.campaign) params.campaign = std::move(*options.campaign);
  if (options.name) params.name = std::move(*options.name);
  params.headers = Json::object({{options.header_name, options.bearer ? "Bearer " + secret : secret}});

  Webhook webhook = client.webhooks().create(params, std::move(options.request));
  return Subscription{std::move(webhook), std::move(secret), std::move(verifier)};
}

bool is_disabled(const Webhook& webhook) noexcept {
  return webhook.status.has_value() && *webhook.status == -1.0;
}

}  // namespace instantly::webhooks
