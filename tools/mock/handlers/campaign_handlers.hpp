// The campaign area's parts, registered together by register_campaign_handlers
// (handlers/campaigns.cpp).
#pragma once

#include "router.hpp"

namespace instantly::mock {

/// activate, pause, duplicate, sending status, count-launched, search-by-contact.
void register_campaign_lifecycle_handlers(Router& api);
/// /campaigns/analytics, /overview, /daily, /steps.
void register_campaign_analytics_handlers(Router& api);
/// POST /__mock/send.
void register_send_simulation_route(AdminRouter& admin);

}  // namespace instantly::mock
