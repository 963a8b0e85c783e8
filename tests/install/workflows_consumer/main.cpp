// A pipeline built against the installed package: the workflows component's
// umbrella header and library, on top of the client's.
#include <instantly/workflows.hpp>

#include <iostream>

int main() {
  instantly::workflows::Business cafe;
  cafe.name = "Acme Cafe";
  cafe.email = "Contact@AcmeCafe.com";
  const instantly::LeadAddParamsLead lead = instantly::workflows::to_lead(cafe);

  instantly::webhooks::LeadEngagement row;
  const instantly::webhooks::Event sent = instantly::webhooks::parse_event(
      R"({"event_type":"email_sent","timestamp":"2026-01-05T10:00:00Z","workspace":"w","campaign_id":"c",)"
      R"("campaign_name":"Cafes","lead_email":"Contact@AcmeCafe.com"})");
  const bool applied = instantly::webhooks::apply(row, sent);

  std::cout << lead.email.value_or("") << " " << row.email_status << "\n";
  return applied && row.email_status == "sent" && row.lead_email == "contact@acmecafe.com" &&
                 lead.email == cafe.email
             ? 0
             : 1;
}
