// Subscribing a receiver to Instantly's webhooks with a secret header, in one
// call: the subscription (an existing one when there is one, else a new one)
// with a secret in its `headers` (which Instantly sends verbatim with every
// delivery), and the verifier the receiver checks deliveries with.
//
//   auto sub = instantly::webhooks::subscribe(client, {.target_url = "https://example.com/webhook/instantly"});
//   store_secret(sub.webhook.id, sub.secret);      // where the receiver reads it
//   sub.verifier(request_headers);                 // in the receiver: throws WebhookVerificationError
//
// Idempotent: subscribing again with the same event type, target URL and
// campaign returns the subscription already there (`reused == true`) instead
// of making a second one, which would deliver every event twice. So a
// receiver can subscribe each time it starts. On reuse the secret is settled
// as follows: a given `secret` that the subscription's header does not carry
// yet is written to it (PATCH; its other headers are kept); without one, the
// secret the subscription already sends is returned, or, when it sends none
// under `header_name`, a fresh one is generated and written. Its name is left
// as it is.
//
// The subscription's headers come back from GET /webhooks, so anyone holding
// the API key can read the secret: guard the API key at least as well.
//
// Disabled subscriptions: after repeated failed deliveries Instantly disables
// a subscription (`status == -1`, see is_disabled) and stops sending. subscribe
// reuses a disabled one as it is, without resuming it: watch_subscriptions
// (instantly/webhooks/watch.hpp) resumes it and reports the window of events it
// missed, which the reconcile reads from the API (docs/nothing-lost.md). By
// hand: fix the receiver, then `client.webhooks().resume(webhook.id)`.
//
// Rotating the secret: make the receiver accept both secrets
// (SecretHeaderVerifier(header, {old_secret, new_secret})), then subscribe
// again with `.secret = new_secret` (or `client.webhooks().update(...)` with the
// new headers), then drop the old secret once deliveries carry the new one.
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
  /// Your own secret (e.g. one already in your vault). When empty: the one a reused
  /// subscription already sends, else generate_secret().
  std::string secret;
  /// Per-call options for each request made (list, create or update): timeout, retries, stop.
  RequestOptions request;
};

struct Subscription {
  /// As Instantly created it, or as it was found (and updated) when reused; its `id` is what
  /// resume/update/remove take.
  Webhook webhook;
  /// The secret the subscription sends; store it where the receiver can read it.
  std::string secret;
  /// Accepts exactly this subscription's deliveries (header_name, secret, Bearer when chosen).
  SecretHeaderVerifier verifier;
  /// An existing subscription was returned instead of a new one being created.
  bool reused = false;
};

/// Lists the subscriptions (GET /webhooks, filtered by event type and campaign on the server
/// where the API's filter takes them) and reuses one with the same event type, target URL
/// and campaign, an enabled one first; else creates one through `client.webhooks().create(...)`
/// with `headers = {header_name: secret}` (or `Bearer <secret>`). See above for the secret
/// on reuse. Throws ValidationError for an empty target_url or header_name (nothing is
/// sent), and what `Webhooks::list`, `create` and `update` throw. Two processes subscribing
/// at the same moment can still both create: the API has no conditional create.
Subscription subscribe(const Client& client, SubscribeOptions options);

/// Instantly disabled the subscription after failed deliveries (`status == -1`);
/// `client.webhooks().resume(webhook.id)` turns it back on.
bool is_disabled(const Webhook& webhook) noexcept;

}  // namespace instantly::webhooks
