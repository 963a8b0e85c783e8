// Payloads shaped like Instantly's webhook deliveries (api-facts.md), shared by the webhook tests.
#pragma once

#include <string>

#include "instantly/json.hpp"

namespace webhook_fixtures {

inline constexpr const char* kCampaign = "8c2b6b7e-1f0a-4d1e-9a55-0c3f2b1a9e01";
inline constexpr const char* kWorkspace = "0f6a9d2e-7b3c-4c8e-8f11-5d2a6b9c4e77";

/// The members every payload has.
inline instantly::Json base(const std::string& type, const std::string& timestamp = "2024-05-01T12:00:00.000Z") {
  return instantly::Json::object({{"timestamp", timestamp},
                                  {"event_type", type},
                                  {"workspace", kWorkspace},
                                  {"campaign_id", kCampaign},
                                  {"campaign_name", "Q2 outreach"}});
}

/// A delivery of `type` for `lead`, with the fields that type carries.
inline instantly::Json payload(const std::string& type, const std::string& lead = "Ada@Example.com",
                               const std::string& timestamp = "2024-05-01T12:00:00.000Z") {
  instantly::Json p = base(type, timestamp);
  const bool no_lead = type == "campaign_completed" || type == "account_error" ||
                       type == "supersearch_enrichment_completed";
  if (!no_lead) p.set("lead_email", lead);
  if (type != "campaign_completed" && type != "supersearch_enrichment_completed") {
    p.set("email_account", "sender@ourco.example");
  }
  if (type == "email_sent" || type == "email_opened" || type == "link_clicked" || type == "email_link_clicked" ||
      type == "reply_received" || type == "auto_reply_received" || type == "email_bounced") {
    p.set("step", 1);
    p.set("variant", 2);
    p.set("is_first", true);
  }
  if (type == "email_sent") {
    p.set("email_id", "0190a1b2-sent");
    p.set("email_subject", "Quick question");
    p.set("email_text", "Hi Ada");
    p.set("email_html", "<p>Hi Ada</p>");
  }
  if (type == "reply_received" || type == "auto_reply_received") {
    p.set("email_id", "0190a1b2-reply");
    p.set("unibox_url", "https://app.instantly.ai/app/unibox?thread=1");
    p.set("reply_text_snippet", "Sounds good");
    p.set("reply_subject", "Re: Quick question");
    p.set("reply_text", "Sounds good, let's talk.");
    p.set("reply_html", "<p>Sounds good, let's talk.</p>");
  }
  if (type == "account_error") p.set("error_message", "SMTP authentication failed");
  if (type == "supersearch_enrichment_completed") p.set("resource_id", "list-42");
  if (!no_lead) {
    // The workspace's own lead fields come along as extra members.
    p.set("firstName", "Ada");
    p.set("companyName", "Analytical Engines");
    p.set("score", 87);
  }
  return p;
}

}  // namespace webhook_fixtures
