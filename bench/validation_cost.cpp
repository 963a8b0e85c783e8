// What checking each request against the API's schemas (ClientOptions::validate_requests, on by
// default) costs: the same work with validation on and off, against an in-process instantly-mock
// on 127.0.0.1 with no latency (the worst case: nothing hides the client's own CPU time).
//
//   validation_cost [rounds]      (default 30 per import, 4x as many per call)
//
// Two workloads, each run in rounds that alternate which side goes first (on-off, off-on, ...),
// so that a machine that speeds up or slows down, or a mock whose state grows, weighs on both
// sides alike (an on-vs-on run of this program reads 1.00 +- 0.02):
//   per call     campaigns.update with a full schedule + campaigns.list first page, one at a time
//   bulk import  LeadImporter, 5,000 leads into a campaign (5 requests of 1,000), 4 in flight
//   bulk import, 20 ms   the same against a second mock that answers after 20 ms, still far
//                faster than the live API: how much of a real import validation is
// Prints the median time of each side and the ratio on/off. The goal (issue #20): at most 1.03.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/lead_import.hpp"
#include "mock_server.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_of(const std::function<void()>& work) {
  const auto started = Clock::now();
  work();
  return std::chrono::duration<double>(Clock::now() - started).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

instantly::Client client_for(const std::string& url, bool validate) {
  return instantly::Client({.api_key = "bench-key",
                            .base_url = url,
                            .rate_limit = {.enabled = false},
                            .validate_requests = validate});
}

instantly::CampaignUpdateParams campaign_changes(int n) {
  instantly::CampaignScheduleEntry entry;
  entry.name = "Weekdays";
  entry.timing.from = "09:00";
  entry.timing.to = "17:00";
  entry.days.monday = true;
  entry.days.tuesday = true;
  entry.days.wednesday = true;
  entry.days.thursday = true;
  entry.days.friday = true;
  entry.timezone = instantly::Timezone::AmericaDetroit;
  instantly::CampaignUpdateParams params;
  params.name = "Cafes " + std::to_string(n);
  params.campaign_schedule.emplace().schedules.push_back(std::move(entry));
  params.daily_limit = 50;
  params.stop_on_reply = true;
  return params;
}

std::vector<instantly::LeadAddParamsLead> generated_leads(int count, int round) {
  std::vector<instantly::LeadAddParamsLead> leads;
  leads.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(round) + "-" + std::to_string(i);
    instantly::LeadAddParamsLead lead;
    lead.email = "owner" + n + "@cafe" + n + ".example.com";
    lead.first_name = "Sam";
    lead.company_name = "Cafe " + n;
    lead.website = "https://cafe" + n + ".example.com";
    lead.personalization = "Loved the cortado and the reviews about your patio, congrats on 4.8 stars.";
    lead.custom_variables = instantly::Json::object({{"city", "Austin"}, {"rating", 4.8}, {"reviews", 212}});
    leads.push_back(std::move(lead));
  }
  return leads;
}

// One workload measured in paired rounds: each round runs it validated and unvalidated, in an
// order that alternates, and yields the ratio of the two. The median of those ratios cancels
// drift (a machine that slows down, a mock whose state grows) far better than a ratio of two
// medians, since each ratio compares runs made back to back.
class PairedRuns {
 public:
  explicit PairedRuns(const char* name) : name_(name) {}

  void round(const std::function<void(bool validated)>& work) {
    const bool on_first = rounds_++ % 2 == 0;
    double on = 0, off = 0;
    for (const bool validated : {on_first, !on_first}) {
      (validated ? on : off) = seconds_of([&] { work(validated); });
    }
    on_.push_back(on);
    off_.push_back(off);
    ratios_.push_back(on / off);
  }

  void print(double units) const {
    std::printf("%-13s validated %8.2f us   unvalidated %8.2f us   ratio %.3f  (middle half of rounds: %.3f..%.3f)\n",
                name_, median(on_) / units * 1e6, median(off_) / units * 1e6, median(ratios_), quantile(ratios_, 0.25),
                quantile(ratios_, 0.75));
  }

 private:
  static double quantile(std::vector<double> values, double q) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
  }

  const char* name_;
  int rounds_ = 0;
  std::vector<double> on_, off_, ratios_;
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(2, std::atoi(argv[1])) : 30;
  instantly::mock::MockServer mock({.port = 0, .rate_limit = false});
  mock.start();
  const instantly::Client on = client_for(mock.url(), true);
  const instantly::Client off = client_for(mock.url(), false);
  instantly::CampaignCreateParams first{.name = "Cafes"};
  first.campaign_schedule.schedules = campaign_changes(0).campaign_schedule->schedules;
  const std::string campaign_id = off.campaigns().create(first).id;

  constexpr int kCalls = 50;
  int made = 0;
  auto calls = [&](const instantly::Client& client) {
    for (int i = 0; i < kCalls; ++i) {
      (void)client.campaigns().update(campaign_id, campaign_changes(++made));
      (void)client.campaigns().list({.limit = 10}).first_page();
    }
  };
  calls(on);  // warm up: connections, pattern and enum caches
  calls(off);

  constexpr int kLeads = 5000;
  int batch = 0;
  auto import = [&](const instantly::Client& client, const std::string& campaign) {
    instantly::workflows::LeadImporter importer(client, {.campaign_id = campaign, .concurrency = 4});
    const auto leads = generated_leads(kLeads, ++batch);
    if (!importer.run(leads).ok()) {
      std::fprintf(stderr, "validation_cost: the import failed\n");
      std::exit(1);
    }
  };

  PairedRuns per_call("per call");
  for (int round = 0; round < 4 * rounds; ++round) {
    per_call.round([&](bool validated) { calls(validated ? on : off); });
  }
  PairedRuns bulk("bulk import");
  for (int round = 0; round < rounds; ++round) {
    bulk.round([&](bool validated) { import(validated ? on : off, campaign_id); });
  }

  instantly::mock::MockServer slow_mock({.port = 0, .latency_ms = 20, .rate_limit = false});
  slow_mock.start();
  const instantly::Client slow_on = client_for(slow_mock.url(), true);
  const instantly::Client slow_off = client_for(slow_mock.url(), false);
  const std::string slow_campaign = slow_off.campaigns().create(first).id;
  PairedRuns slow_bulk("bulk, 20 ms");
  for (int round = 0; round < rounds; ++round) {
    slow_bulk.round([&](bool validated) { import(validated ? slow_on : slow_off, slow_campaign); });
  }

  std::printf("request validation, on vs off: median of paired rounds (%d per call, %d per import)\n", 4 * rounds,
              rounds);
  per_call.print(2.0 * kCalls);
  bulk.print(kLeads);
  slow_bulk.print(kLeads);
  std::printf("(per call: one update + one list; bulk import: per lead. Goal: ratio <= 1.03)\n");
  slow_mock.stop();
  mock.stop();
  return 0;
}
