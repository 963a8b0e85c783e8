// subscribe(): a secret header on a subscription (an existing one reused, else a new one),
// and its verifier.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/resources/webhooks.hpp"
#include "instantly/webhooks/subscription.hpp"
#include "webhooks/header_value.hpp"

namespace instantly::webhooks {
namespace {

constexpr std::string_view kBearerScheme = "Bearer ";

/// The same (event type, target URL, campaign) as asked for. A null event type is every
/// event, and a null or empty campaign is every campaign, as the API treats them.
bool same_subscription(const Webhook& webhook, const SubscribeOptions& options) {
  if (webhook.target_hook_url != options.target_url) return false;
  const std::string& type = webhook.event_type.has_value() ? webhook.event_type->value()
                                                          : WebhookEventType::AllEvents.value();
  if (type != options.event_type.value()) return false;
  const bool has_campaign = webhook.campaign.has_value() && !webhook.campaign->empty();
  const bool wants_campaign = options.campaign.has_value() && !options.campaign->empty();
  if (has_campaign != wants_campaign) return false;
  return !has_campaign || *webhook.campaign == *options.campaign;
}

/// The subscription to reuse: the first match, an enabled one before a disabled one (several
/// can exist when earlier code subscribed twice).
std::optional<Webhook> find_existing(const Client& client, const SubscribeOptions& options) {
  WebhookListParams params;
  params.limit = 100;  // the largest page: a workspace's subscriptions in one request
  // The event type is matched here, not by the list's filter: the spec's enumeration for that
  // filter lags behind the subscription types (no lead_no_show), and request validation would
  // refuse the ones it lacks.
  if (options.campaign && !options.campaign->empty()) params.campaign = *options.campaign;
  std::optional<Webhook> disabled;
  for (const Webhook& webhook : client.webhooks().list(std::move(params), options.request)) {
    if (!same_subscription(webhook, options)) continue;
    if (!is_disabled(webhook)) return webhook;
    if (!disabled) disabled = webhook;
  }
  return disabled;
}

bool same_header_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && detail::starts_with_nocase(a, b);
}

/// The value the subscription sends under `name` (any case), if it sends a string there.
std::optional<std::string> sent_header(const Webhook& webhook, std::string_view name) {
  if (!webhook.headers || !webhook.headers->is_object()) return std::nullopt;
  for (const auto& [key, value] : webhook.headers->as_object()) {
    if (same_header_name(key, name) && value.is_string()) return value.as_string();
  }
  return std::nullopt;
}

/// The secret inside a header value: without the `Bearer ` scheme when bearer is chosen.
std::string secret_in(std::string_view value, bool bearer) {
  value = detail::trim_ows(value);
  if (bearer && detail::starts_with_nocase(value, kBearerScheme)) {
    value = detail::trim_ows(value.substr(kBearerScheme.size()));
  }
  return std::string(value);
}

std::string header_value_for(const std::string& secret, bool bearer) {
  return bearer ? std::string(kBearerScheme) + secret : secret;
}

/// The header already carries `secret` in the chosen form (the scheme's case aside).
bool carries(std::string_view value, const std::string& secret, bool bearer) {
  if (bearer && !detail::starts_with_nocase(detail::trim_ows(value), kBearerScheme)) return false;
  return secret_in(value, bearer) == secret;
}

/// The subscription's headers with `name` (in any case) set to `value`; the others kept,
/// since an update replaces the whole map.
Json headers_with(const Webhook& webhook, const std::string& name, const std::string& value) {
  Json headers = Json::object();
  if (webhook.headers && webhook.headers->is_object()) {
    for (const auto& [key, old] : webhook.headers->as_object()) {
      if (!same_header_name(key, name)) headers.set(key, old);
    }
  }
  headers.set(name, value);
  return headers;
}

}  // namespace

Subscription subscribe(const Client& client, SubscribeOptions options) {
  if (options.target_url.empty()) throw ValidationError("webhook subscription needs a target_url");
  if (options.header_name.empty()) throw ValidationError("webhook subscription needs a header_name for the secret");
  const bool given_secret = !options.secret.empty();
  std::string secret = given_secret ? std::move(options.secret) : generate_secret();
  // Built before any request, so a bad configuration fails before anything happens remotely.
  SecretHeaderVerifier verifier(options.header_name, {secret}, /*allow_bearer_prefix=*/options.bearer);

  if (std::optional<Webhook> existing = find_existing(client, options)) {
    const std::optional<std::string> sent = sent_header(*existing, options.header_name);
    if (!given_secret && sent && !secret_in(*sent, options.bearer).empty()) {
      secret = secret_in(*sent, options.bearer);
      verifier = SecretHeaderVerifier(options.header_name, {secret}, options.bearer);
    }
    if (!sent || !carries(*sent, secret, options.bearer)) {
      WebhookUpdateParams update;
      update.headers = headers_with(*existing, options.header_name, header_value_for(secret, options.bearer));
      *existing = client.webhooks().update(existing->id, update, options.request);
    }
    return Subscription{std::move(*existing), std::move(secret), std::move(verifier), /*reused=*/true};
  }

  WebhookCreateParams params;
  params.target_hook_url = std::move(options.target_url);
  params.event_type = std::move(options.event_type);
  if (options.campaign) params.campaign = std::move(*options.campaign);
  if (options.name) params.name = std::move(*options.name);
  params.headers = Json::object({{options.header_name, header_value_for(secret, options.bearer)}});

  Webhook webhook = client.webhooks().create(params, std::move(options.request));
  return Subscription{std::move(webhook), std::move(secret), std::move(verifier), /*reused=*/false};
}

bool is_disabled(const Webhook& webhook) noexcept {
  return webhook.status.has_value() && *webhook.status == -1.0;
}

}  // namespace instantly::webhooks
