// Receiving Instantly webhooks: verify a delivery, parse its event, subscribe
// a receiver with a secret header, watch its subscriptions. No network here but
// `subscribe` and `watch_subscriptions`.
//
//   instantly::webhooks::SecretHeaderVerifier verify("X-Webhook-Secret", {secret});
//   verify(request_headers);                      // throws WebhookVerificationError
//   instantly::webhooks::Event event = instantly::webhooks::parse_event(body);
//   store(event.dedupe_key(), body);              // INSERT ... ON CONFLICT DO NOTHING
//
// The per-lead engagement fold is in instantly/webhooks/engagement.hpp, part
// of the `instantly::workflows` component.
#pragma once

#include "instantly/webhooks/event.hpp"
#include "instantly/webhooks/subscription.hpp"
#include "instantly/webhooks/verify.hpp"
#include "instantly/webhooks/watch.hpp"
