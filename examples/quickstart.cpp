// The README's C++ example, compiled with the project so the README stays true.
// Runs against a real or mock API: INSTANTLY_API_KEY=... ./quickstart
#include <instantly/instantly.hpp>
#include <iostream>

int main() {
  // README: instantly::Client client({.api_key = "your-api-key"}); here from the environment.
  instantly::Client client = instantly::Client::from_env();

  // Every campaign, page by page as you iterate (limit <= 100 per page).
  for (const instantly::Campaign& campaign : client.campaigns().list({.limit = 100})) {
    std::cout << campaign.name << " " << instantly::name_of(campaign.status) << "\n";
  }

  instantly::CampaignCreateParams draft{.name = "Cafes LA"};
  draft.campaign_schedule.schedules.push_back(
      {.name = "Business hours",
       .timing = {.from = "09:00", .to = "17:00"},
       .days = {.monday = true, .tuesday = true, .wednesday = true, .thursday = true, .friday = true},
       .timezone = instantly::Timezone::AmericaDetroit});  // US Eastern in the API's list
  try {
    instantly::Campaign campaign = client.campaigns().create(draft);

    instantly::LeadAddParams batch{.campaign_id = campaign.id};  // up to 1,000 leads per call
    batch.leads.push_back({.email = "contact@acmecafe.com", .first_name = "Acme Cafe"});
    instantly::LeadAddResult added = client.leads().add(batch);
    std::cout << added.leads_uploaded << " uploaded, " << added.duplicated_leads << " duplicates\n";

    client.campaigns().activate(campaign.id);
  } catch (const instantly::RateLimitError& e) {
    std::cerr << "still rate limited after " << e.attempts() << " attempts\n";
  } catch (const instantly::ApiError& e) {
    std::cerr << e.status() << " " << e.message() << "\n";  // never contains the API key
  }

  // Anything the typed surface lacks: the raw escape hatch.
  instantly::Json raw = client.request("GET", "/api/v2/campaigns", {.query = {{"limit", "5"}}});
  std::cout << raw.dump() << "\n";
}
