// A first pipeline run: create a campaign, add leads, list them back, and read
// the campaign's analytics. scripts/demo runs it against instantly-mock:
//
//   INSTANTLY_API_KEY=demo INSTANTLY_BASE_URL=http://127.0.0.1:4010 ./first_flow --simulate
//
// --simulate asks instantly-mock (POST /__mock/send) to "send" the campaign so
// the analytics have something to show; leave it out against the real API.
#include <instantly/instantly.hpp>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  bool simulate = argc > 1 && std::strcmp(argv[1], "--simulate") == 0;
  instantly::Client client = instantly::Client::from_env();

  try {
    instantly::CampaignCreateParams draft{.name = "Coffee shops in Austin"};
    draft.campaign_schedule.schedules.push_back(
        {.name = "Business hours",
         .timing = {.from = "09:00", .to = "17:00"},
         .days = {.monday = true, .tuesday = true, .wednesday = true, .thursday = true, .friday = true},
         .timezone = instantly::Timezone::AmericaChicago});
    instantly::Campaign campaign = client.campaigns().create(draft);
    std::cout << "created campaign " << campaign.name << " (" << campaign.id << ")\n";

    instantly::LeadAddParams batch{.campaign_id = campaign.id};
    const char* shops[][2] = {{"Bean There", "hello@beanthere.example.com"},
                              {"Grind House", "owner@grindhouse.example.com"},
                              {"Brew Lab", "team@brewlab.example.com"},
                              {"Bean There (again)", "hello@beanthere.example.com"}};
    for (const auto& [name, email] : shops) {
      instantly::LeadAddParamsLead lead{.email = email, .first_name = name, .company_name = name};
      lead.custom_variables = instantly::Json::object({{"icebreaker", std::string("Loved the latte art at ") + name}});
      batch.leads.push_back(std::move(lead));
    }
    instantly::LeadAddResult added = client.leads().add(batch);
    std::cout << added.total_sent << " leads sent: " << added.leads_uploaded << " uploaded, "
              << added.duplicate_email_count << " duplicated in the batch\n";

    std::cout << "leads in the campaign:\n";
    for (const instantly::Lead& lead : client.leads().list({.campaign = campaign.id, .limit = 100})) {
      std::cout << "  " << lead.email.value_or("?") << "  " << lead.first_name.value_or("") << "\n";
    }

    client.campaigns().activate(campaign.id);
    if (simulate) {
      client.request("POST", "/__mock/send",
                     {.body = instantly::Json::object({{"campaign_id", campaign.id}, {"seed", 7}})});
    }
    for (const auto& row : client.campaigns().analytics({.id = campaign.id})) {
      std::cout << "analytics: " << row.leads_count << " leads, " << row.emails_sent_count << " sent, "
                << row.open_count << " opened, " << row.reply_count << " replied, " << row.bounced_count
                << " bounced\n";
    }
  } catch (const instantly::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
