// LeadImporter's reports through the client's observer seam (instantly/observer.hpp):
// each chunk sent, re-sent and failed is one WorkflowEvent, with a reason fit for a label.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/lead_import.hpp"
#include "mock_server.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

struct ChunkEventSeen {
  std::string action;
  std::string reason;
  std::size_t items = 0;
};

class ChunkEventLog final : public instantly::Observer {
 public:
  void on_workflow(const instantly::WorkflowEvent& event) override {
    if (event.workflow != "lead_import") return;
    std::lock_guard lock(mutex_);
    seen_.push_back({std::string(event.action), std::string(event.reason), event.items});
  }
  std::vector<ChunkEventSeen> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<ChunkEventSeen> seen_;
};

instantly::Client observed_import_client(std::shared_ptr<instantly::Observer> observer) {
  auto& mock = instantly::testing::suite_mock<struct ImportEventsSuite>();
  instantly::ClientOptions options{.api_key = "import-events-key", .base_url = mock.url()};
  options.retry.max_retries = 0;  // the importer's own re-send is what this suite watches
  options.transport = instantly::testing::make_local_transport();
  options.observer = std::move(observer);
  instantly::Client client(options);
  client.request("POST", "/__mock/reset");
  return client;
}

std::string observed_import_campaign(const instantly::Client& client) {
  instantly::CampaignCreateParams params{.name = "Observed import"};
  params.campaign_schedule.schedules.push_back({.name = "Weekdays",
                                                .timing = {.from = "09:00", .to = "17:00"},
                                                .days = {.monday = true},
                                                .timezone = instantly::Timezone::AmericaDetroit});
  return client.campaigns().create(params).id;
}

std::vector<instantly::LeadAddParamsLead> observed_import_leads(int count, const std::string& tag) {
  std::vector<instantly::LeadAddParamsLead> leads;
  for (int i = 0; i < count; ++i) {
    instantly::LeadAddParamsLead lead;
    lead.email = tag + std::to_string(i) + "@example.com";
    leads.push_back(std::move(lead));
  }
  return leads;
}

void queue_answer(const instantly::Client& client, int status, int times) {
  client.request("POST", "/__mock/responses",
                 {.body = instantly::Json::object({{"status", status},
                                                   {"path", "/api/v2/leads/add"},
                                                   {"times", times},
                                                   {"headers", instantly::Json::object({{"Retry-After", "0"}})}})});
}

}  // namespace

TEST_SUITE("lead import events") {
  TEST_CASE("a chunk refused with 429 is reported re-sent, then sent, and every chunk sent is reported") {
    auto log = std::make_shared<ChunkEventLog>();
    const instantly::Client client = observed_import_client(log);
    const std::string campaign = observed_import_campaign(client);
    queue_answer(client, 429, 1);
    instantly::workflows::LeadImporter importer(client, {.campaign_id = campaign,
                                                         .chunk_size = 2,
                                                         .concurrency = 1,
                                                         .max_chunk_attempts = 2,
                                                         .chunk_retry_backoff = std::chrono::milliseconds(1)});
    CHECK(importer.run(observed_import_leads(4, "sent")).ok());
    const auto seen = log->seen();
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].action == "chunk_retried");
    CHECK(seen[0].reason == "not_sent");
    CHECK(seen[0].items == 2);
    CHECK(seen[1].action == "chunk_sent");
    CHECK(seen[1].reason.empty());
    CHECK(seen[2].action == "chunk_sent");
  }

  TEST_CASE("a chunk the API refuses is reported failed, once") {
    auto log = std::make_shared<ChunkEventLog>();
    const instantly::Client client = observed_import_client(log);
    const std::string campaign = observed_import_campaign(client);
    queue_answer(client, 400, 1);
    instantly::workflows::LeadImporter importer(client, {.campaign_id = campaign, .concurrency = 1});
    (void)importer.run(observed_import_leads(3, "refused"));
    const auto seen = log->seen();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].action == "chunk_failed");
    CHECK(seen[0].reason == "refused");
    CHECK(seen[0].items == 3);
  }
}
#endif
