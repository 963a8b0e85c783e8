// The admin API's own routes under /__mock/ (reset, faults, clock, stats,
// state); areas add theirs in handlers/ (e.g. POST /__mock/send).
#pragma once

#include "api_gateway.hpp"
#include "faults.hpp"
#include "rate_limits.hpp"
#include "router.hpp"
#include "scripted_responses.hpp"
#include "state.hpp"
#include "webhook_dispatcher.hpp"

namespace instantly::mock {

struct MockServices {
  State& state;
  FaultInjector& faults;
  RateLimits& limits;
  RequestStats& stats;
  ScriptedResponses& scripted;
  WebhookDispatcher& webhooks;
};

void register_core_admin_routes(AdminRouter& admin, MockServices services);

}  // namespace instantly::mock
