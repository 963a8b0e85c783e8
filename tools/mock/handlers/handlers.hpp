// Registration of the stateful handlers, one function per area. Each lives in
// its own file under handlers/ and registers API operations (by operationId)
// and, where the area has simulation controls, admin routes under /__mock/.
#pragma once

#include "router.hpp"

namespace instantly::mock {

class WebhookDispatcher;

void register_campaign_handlers(Router& api, AdminRouter& admin);   // campaigns, analytics, simulation
void register_email_handlers(Router& api, AdminRouter& admin);      // emails / unibox
void register_lead_handlers(Router& api, AdminRouter& admin);       // leads, lead lists, block list
void register_account_handlers(Router& api, AdminRouter& admin);    // accounts, warmup, vitals
void register_workspace_handlers(Router& api, AdminRouter& admin);  // jobs, tags, api keys, workspace
void register_webhook_handlers(Router& api, AdminRouter& admin, WebhookDispatcher& dispatcher);
void register_poller_handlers(Router& api, AdminRouter& admin);     // email verification, job course (admin)

}  // namespace instantly::mock
