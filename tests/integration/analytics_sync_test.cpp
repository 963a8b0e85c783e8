// AnalyticsSync against instantly-mock: how many calls a sync makes (counted
// by the mock), drafts included by id, rates with nobody contacted, values
// and deltas after simulated sending (POST /__mock/send), and the extras.
//
// One mock serves the suite (started on first use); each case starts from
// POST /__mock/reset.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/analytics_sync.hpp"
#include "mock_server.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace instantly;
using namespace instantly::workflows;

mock::MockServer& analytics_mock() {
  mock::MockOptions options;
  options.rate_limit = false;
  return testing::suite_mock<struct AnalyticsSuite>(options);
}

Client analytics_client() {
  ClientOptions options{.api_key = "analytics-suite-key", .base_url = analytics_mock().url()};
  options.transport = testing::make_local_transport();
  Client client(options);
  client.request("POST", "/__mock/reset");
  return client;
}

/// A campaign with `leads` leads and a two-step sequence; active unless `draft`.
std::string campaign_with_leads(const Client& client, const std::string& name, int leads, bool draft = false) {
  CampaignCreateParams params{.name = name};
  params.campaign_schedule.schedules.push_back({.name = "Weekdays",
                                                .timing = {.from = "09:00", .to = "17:00"},
                                                .days = {.monday = true, .tuesday = true},
                                                .timezone = Timezone::AmericaDetroit});
  params.email_list = std::vector<std::string>{"sender@acme.test"};
  CampaignSequence sequence;
  for (const char* subject : {"Hello", "Following up"}) {
    sequence.steps.push_back({.type = CampaignSequenceStepType::Email, .delay = 1,
                              .variants = {{.subject = subject, .body = "Hi there"}}});
  }
  params.sequences = std::vector<CampaignSequence>{std::move(sequence)};
  std::string id = client.campaigns().create(params).id;
  if (leads > 0) {
    LeadAddParams add{.campaign_id = id};
    for (int i = 0; i < leads; ++i) {
      LeadAddParamsLead lead;
      lead.email = name + "-lead" + std::to_string(i) + "@example.org";
      for (char& c : *lead.email) c = c == ' ' ? '-' : c;
      add.leads.push_back(std::move(lead));
    }
    REQUIRE(client.leads().add(add).leads_uploaded == leads);
  }
  if (!draft) client.campaigns().activate(id);
  return id;
}

/// Sends the next step to every lead of `campaign` with the given outcome rates (0 or 1: exact).
void send_step(const Client& client, const std::string& campaign, double opened, double replied, double bounced = 0) {
  Json rates = Json::object({{"opened", opened}, {"clicked", 0.0}, {"replied", replied},
                             {"bounced", bounced}, {"unsubscribed", 0.0}, {"auto_reply", 0.0}});
  client.request("POST", "/__mock/send",
                 {.body = Json::object({{"campaign_id", campaign}, {"seed", 3}, {"rates", rates}})});
}

std::int64_t calls_of(const Client& client, const char* operation) {
  Json stats = client.request("GET", "/__mock/stats");
  const Json* n = stats.at("operations").find(operation);
  return n ? n->as_int() : 0;
}

void reset_stats(const Client& client) { client.request("POST", "/__mock/stats/reset"); }

}  // namespace

TEST_SUITE("analytics sync against instantly-mock") {
  TEST_CASE("analytics sync: N campaigns with chunk size k take ceil(N/k) analytics calls") {
    Client client = analytics_client();
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i) ids.push_back(campaign_with_leads(client, "Chunk " + std::to_string(i), 0));

    reset_stats(client);
    AnalyticsSync everything(client, {.chunk_size = 3});
    AnalyticsSyncResult all = everything.sync();
    CHECK(calls_of(client, "getCampaignAnalytics") == 3);
    CHECK(all.analytics_calls == 3);
    CHECK(calls_of(client, "listCampaign") == 1);  // 7 campaigns: one page, cursor-less
    CHECK(all.requests == static_cast<std::size_t>(calls_of(client, "getCampaignAnalytics") +
                                                   calls_of(client, "listCampaign")));
    REQUIRE(all.snapshots.size() == 7);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      CHECK(all.snapshots[i].campaign_id == ids[i]);  // the listing's order
      CHECK(all.snapshots[i].reported);
    }

    reset_stats(client);
    AnalyticsSync chosen(client, {.campaign_ids = ids, .chunk_size = 2});
    AnalyticsSyncResult some = chosen.sync();
    CHECK(calls_of(client, "getCampaignAnalytics") == 4);
    CHECK(calls_of(client, "listCampaign") == 0);
    CHECK(some.requests == 4);

    reset_stats(client);
    AnalyticsSync one_call(client, {.campaign_ids = ids});
    one_call.sync();
    CHECK(calls_of(client, "getCampaignAnalytics") == 1);
  }

  TEST_CASE("analytics sync: drafts are included although the unfiltered call leaves them out") {
    Client client = analytics_client();
    std::string active = campaign_with_leads(client, "Live", 2);
    std::string draft = campaign_with_leads(client, "Draft", 3, true);

    std::set<std::string> unfiltered;
    for (const auto& row : client.campaigns().analytics()) unfiltered.insert(row.campaign_id);
    REQUIRE(unfiltered == std::set<std::string>{active});  // why the sync asks by id

    AnalyticsSyncResult result = AnalyticsSync(client, {}).sync();
    const CampaignSnapshot* snapshot = result.find(draft);
    REQUIRE(snapshot);
    CHECK(snapshot->reported);
    CHECK(snapshot->campaign_status == CampaignStatus::Draft);
    CHECK(snapshot->campaign_name == "Draft");
    CHECK(snapshot->leads_count == 3);
    CHECK(result.find(active));
  }

  TEST_CASE("analytics sync: rates are empty while nobody was contacted, then follow the sends") {
    Client client = analytics_client();
    std::string id = campaign_with_leads(client, "Rates", 4);
    // Whole seconds: snapshots keep milliseconds, so `since` compares exactly.
    std::chrono::system_clock::time_point now =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    AnalyticsSync sync(client, {.campaign_ids = {id}, .now = [&now] { return now; }});

    AnalyticsSyncResult before = sync.sync();
    REQUIRE(before.snapshots.size() == 1);
    const CampaignSnapshot& idle = before.snapshots[0];
    CHECK(idle.leads_count == 4);
    CHECK(idle.counters.contacted == 0);
    CHECK(idle.rates() == AnalyticsRates{});  // every rate empty, none divided by zero
    CHECK(before.deltas[0].first_seen);

    send_step(client, id, 1.0, 0.0);  // every lead gets step 1 and opens it
    now += std::chrono::minutes(5);
    AnalyticsSyncResult after = sync.sync();
    const CampaignSnapshot& sent = after.snapshots[0];
    CHECK(sent.counters.contacted == 4);
    CHECK(sent.counters.emails_sent == 4);
    CHECK(sent.counters.opened_unique == 4);
    CHECK(sent.rates().open == doctest::Approx(1.0));
    CHECK(sent.rates().reply == doctest::Approx(0.0));
    const CampaignDelta& delta = after.deltas[0];
    CHECK_FALSE(delta.first_seen);
    CHECK(delta.counters.emails_sent == 4);
    CHECK(delta.counters.contacted == 4);

    send_step(client, id, 0.0, 1.0);  // step 2: everybody replies
    now += std::chrono::minutes(5);
    AnalyticsSyncResult replied = sync.sync();
    CHECK(replied.snapshots[0].counters.replies_unique == 4);
    CHECK(replied.snapshots[0].rates().reply == doctest::Approx(1.0));
    CHECK(replied.deltas[0].counters.emails_sent == 4);
    CHECK(replied.deltas[0].counters.contacted == 0);  // same four leads
    CHECK(replied.deltas[0].counters.replies_unique == 4);
    CHECK(replied.deltas[0].since == now - std::chrono::minutes(5));
  }

  TEST_CASE("analytics sync: an id the API does not know gets an unreported zero snapshot") {
    Client client = analytics_client();
    std::string id = campaign_with_leads(client, "Known", 1);
    const std::string unknown = "019a0000-0000-7000-8000-00000000dead";
    AnalyticsSyncResult result = AnalyticsSync(client, {.campaign_ids = {unknown, id}}).sync();
    REQUIRE(result.snapshots.size() == 2);
    CHECK(result.snapshots[0].campaign_id == unknown);
    CHECK_FALSE(result.snapshots[0].reported);
    CHECK_FALSE(result.snapshots[0].campaign_status.has_value());
    CHECK(result.snapshots[0].counters == AnalyticsCounters{});
    CHECK(result.snapshots[1].reported);
  }

  TEST_CASE("analytics sync: overview, daily and steps on request, with their call counts") {
    Client client = analytics_client();
    std::string a = campaign_with_leads(client, "Extras A", 2);
    std::string b = campaign_with_leads(client, "Extras B", 3);
    send_step(client, a, 1.0, 0.0);
    send_step(client, b, 0.0, 1.0, 0.0);

    reset_stats(client);
    AnalyticsSyncResult result = AnalyticsSync(client, {.campaign_ids = {a, b},
                                               .chunk_size = 1,
                                               .include_overview = true,
                                               .daily = ActivityScope::PerCampaign,
                                               .steps = ActivityScope::Workspace})
                            .sync();
    CHECK(calls_of(client, "getCampaignAnalyticsOverview") == 2);  // one per chunk of ids, summed
    CHECK(calls_of(client, "getDailyCampaignAnalytics") == 2);     // one per campaign
    CHECK(calls_of(client, "getCampaignStepsAnalytics") == 1);     // the workspace at once
    CHECK(result.requests == 2 + 2 + 2 + 1);
    REQUIRE(result.overview);
    CHECK(result.overview->counters.contacted == 5);
    CHECK(result.overview->counters.opened_unique == 2);
    CHECK(result.overview->counters.replies_unique == 3);
    CHECK(result.overview->rates().reply == doctest::Approx(0.6));
    REQUIRE(result.daily.size() == 2);  // one day of activity each
    CHECK(result.daily[0].campaign_id == a);
    CHECK(result.daily[0].sent == 2);
    CHECK(result.daily[1].campaign_id == b);
    CHECK(result.daily[1].replies_unique == 3);
    REQUIRE(result.steps.size() == 1);  // both sent step 1, variant A
    CHECK_FALSE(result.steps[0].campaign_id.has_value());
    CHECK(result.steps[0].step == "1");
    CHECK(result.steps[0].sent == 5);

    AnalyticsSync all(client, {});
    reset_stats(client);
    AnalyticsOverview overview = all.overview();
    CHECK(calls_of(client, "getCampaignAnalyticsOverview") == 1);
    CHECK(overview.counters == result.overview->counters);
    CHECK(all.daily(b).size() == 1);
    CHECK(all.steps(a).at(0).sent == 2);
  }
}

#endif  // INSTANTLY_HAVE_MOCK
