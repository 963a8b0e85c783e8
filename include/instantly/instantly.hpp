// Umbrella header: everything a user of the library needs.
#pragma once

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/models.hpp"
#include "instantly/options.hpp"
#include "instantly/page.hpp"
#include "instantly/resources.hpp"
#include "instantly/transport.hpp"
#include "instantly/version.hpp"
#include "instantly/webhook_subscription.hpp"
#include "instantly/webhooks.hpp"
#include "instantly/workflows/business_lead.hpp"
#include "instantly/workflows/campaign_builder.hpp"
#include "instantly/workflows/lead_import.hpp"
