// Subscribing a receiver to Instantly's webhooks with a secret header, in one
// call: a fresh secret, the subscription created with it in its `headers`
// (which Instantly sends verbatim with every delivery), and the verifier the
// receiver checks deliveries with.
//
//   auto sub = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/webhook/instantly"});
//   store_secret(sub.webhook.id, sub.secret);      // where the receiver reads it
//   sub.verifier(request_headers);                 // in the receiver: throws WebhookVerificationError
//
// The subscription's headers come back from GET /webhooks, so anyone holding
// the API key can read the secret: guard the API key at least as well.
//
// Disabled subscriptions: after repeated failed deliveries Instantly disables
// a subscription (`status == -1`, see is_disabled) and stops sending. Fix the
// receiver, then `client.webhooks().resume(webhook.id)`. Events that happened
// while it was disabled are not delivered later; reconcile them from the API
// (leads, emails) if they matter.
//
// Rotating the secret: make the receiver accept both secrets
// (SecretHeaderVerifier(header, {old_secret, new_secret})), then
// `client.webhooks().update(id, {.headers = Json::object({{header, new_secret}})})`,
// then drop the old secret once deliveries carry the new one.
#pragma once

#include <optional>
#include <string>

#include "instantly/client.hpp"
#include "instantly/models/webhook.hpp"
#include "instantly/webhooks/verify.hpp"

namespace instantly::webhooks {

struct SubscribeOptions {
  /// Where Instantly POSTs deliveries (required; https outside tests).
  std::string target_url;
  /// What to receive. all_events also brings auto_reply_received and custom labels.
  WebhookEventType event_type = WebhookEventType::AllEvents;
  /// One campaign's events only; every campaign when absent.
  std::optional<std::string> campaign;
  /// A display name for the subscription in Instantly.
  std::optional<std::string> name;
  /// The header that carries the secret.
  std::string header_name = "X-Webhook-Secret";
  /// Send the value as `Bearer <secret>` (use with header_name = "Authorization").
  bool bearer = false;
  /// Your own secret (e.g. one already in your vault); generate_secret() when empty.
  std::string secret;
  /// Per-call options for the create request (timeout, retries, ...).
  RequestOptions request;
};

struct Subscription {
  /// As Instantly created it (its `id` is what resume/update/remove take).
  Webhook webhook;
  /// The secret the subscription sends; store it where the receiver can read it.
  std::string secret;
  /// Accepts exactly this subscription's deliveries (header_name, secret, Bearer when chosen).
  SecretHeaderVerifier verifier;
};

/// Creates the subscription through `client.webhooks().create(...)` with
/// `headers = {header_name: secret}` (or `Bearer <secret>`). Throws
/// ValidationError for an empty target_url or header_name (nothing is sent),
/// and what `Webhooks::create` throws.
Subscription subscribe(const Client& client, SubscribeOptions options);

/// Instantly disabled the subscription after failed deliveries (`status == -1`);
/// `client.webhooks().resume(webhook.id)` turns it back on.
bool is_disabled(const Webhook& webhook) noexcept;

}  // namespace instantly::webhooks
