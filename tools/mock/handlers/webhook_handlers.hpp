// The webhook area's parts, registered together by register_webhook_handlers.
#pragma once

#include "router.hpp"

namespace instantly::mock {

class WebhookDispatcher;

/// GET /webhook-events, /webhook-events/{id} and the two summaries.
void register_webhook_event_handlers(Router& api);
/// /__mock/webhooks/emit, /flush, /retry-delays, /deliveries, /pause and /replay.
void register_webhook_admin_routes(AdminRouter& admin, WebhookDispatcher& dispatcher);

}  // namespace instantly::mock
