// Umbrella header of the `instantly::workflows` component: what a
// lead-generation pipeline builds on the client. Link `instantly::workflows`
// (CMake: find_package(instantly CONFIG REQUIRED COMPONENTS workflows);
// pkg-config: instantly-workflows).
//
//   LeadImporter            bulk export of leads in 1,000-lead chunks, every lead accounted for
//   to_lead, CampaignBuilder the old pipeline's business → lead mapping and schedules
//   AnalyticsSync           campaign analytics in few calls, with rates and deltas
//   AccountHealth           sending accounts classified ok / warning / critical, with reasons
//   Unibox                  replies, threads, answering in-thread
//   pollers                 background jobs and email verification, waited for
//   webhooks::apply         the per-lead engagement fold of webhook events
//   secrets                 API keys sealed at rest, one client per tenant
#pragma once

#include "instantly/instantly.hpp"
#include "instantly/secrets.hpp"
#include "instantly/webhooks/engagement.hpp"
#include "instantly/workflows/account_health.hpp"
#include "instantly/workflows/analytics_sync.hpp"
#include "instantly/workflows/business_lead.hpp"
#include "instantly/workflows/campaign_builder.hpp"
#include "instantly/workflows/lead_import.hpp"
#include "instantly/workflows/pollers.hpp"
#include "instantly/workflows/reply_classifier.hpp"
#include "instantly/workflows/unibox.hpp"
