// LeadImporter against instantly-mock: every input lead accounted for exactly
// once under bad input, faults, cancellation and a resumed checkpoint.
//
// One mock serves the suite (started on first use); each case starts from
// POST /__mock/reset.
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "instantly/workflows.hpp"
#include "instantly/workflows/lead_import.hpp"
#include "mock_server.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"
#include "workflows/lead_import_attribution.hpp"

namespace {

using namespace instantly;
using workflows::ImportReport;
using workflows::LeadImporter;
using workflows::LeadOutcome;

mock::MockServer& import_mock() {
  mock::MockOptions options;
  options.threads = 16;
  return testing::suite_mock<struct ImportSuite>(options);
}

/// Fast retries, and the injected 429's `Retry-After: 1` ignored in favour of
/// millisecond backoff, so fault tests stay quick.
Client import_client() {
  ClientOptions options{.api_key = "import-suite-key", .base_url = import_mock().url()};
  options.retry.max_retries = 6;
  options.retry.initial_backoff = std::chrono::milliseconds(2);
  options.retry.max_backoff = std::chrono::milliseconds(10);
  options.retry.max_retry_after = std::chrono::milliseconds(5);
  options.retry.jitter = [] { return 0.0; };
  options.transport = testing::make_local_transport();
  Client client(options);
  client.request("POST", "/__mock/reset");
  return client;
}

std::string new_campaign(const Client& client, std::string name = "Import target") {
  CampaignCreateParams params{.name = std::move(name)};
  params.campaign_schedule.schedules.push_back({.name = "Weekdays",
                                                .timing = {.from = "09:00", .to = "17:00"},
                                                .days = {.monday = true, .tuesday = true},
                                                .timezone = Timezone::AmericaDetroit});
  return client.campaigns().create(params).id;
}

LeadAddParamsLead lead_with(std::string email) {
  LeadAddParamsLead lead;
  lead.email = std::move(email);
  return lead;
}

std::vector<LeadAddParamsLead> numbered_leads(std::size_t n, const std::string& domain = "example.com") {
  std::vector<LeadAddParamsLead> leads;
  leads.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    LeadAddParamsLead lead = lead_with("lead" + std::to_string(i) + "@" + domain);
    lead.first_name = "Lead " + std::to_string(i);
    leads.push_back(std::move(lead));
  }
  return leads;
}

std::int64_t add_calls(const Client& client) {
  Json stats = client.request("GET", "/__mock/stats");
  const Json* n = stats.at("operations").find("bulkAddLeads");
  return n ? n->as_int() : 0;
}

/// Lower-case email → how many leads of the campaign carry it.
std::map<std::string, int> emails_in_campaign(const Client& client, const std::string& campaign) {
  std::map<std::string, int> emails;
  for (const Lead& lead : client.leads().list({.campaign = campaign, .limit = 100})) {
    std::string email = lead.email.value_or(std::string());
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ++emails[email];
  }
  return emails;
}

std::filesystem::path fresh_checkpoint(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() /
              ("instantly-import-" + std::to_string(::getpid()) + "-" + name + ".ckpt");
  std::filesystem::remove(path);
  return path;
}

}  // namespace

TEST_SUITE("lead import against instantly-mock") {
  TEST_CASE("lead import: accounting adds up under mixed bad input") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    LeadAddResult existing = client.leads().add({.campaign_id = campaign, .leads = {lead_with("exists@acme.com")}});
    REQUIRE(existing.created_leads.size() == 1);
    client.block_list_entries().create({.bl_value = "blocked@acme.com"});

    std::vector<LeadAddParamsLead> leads;
    leads.push_back(lead_with("good1@acme.com"));                 // 0 uploaded
    leads.push_back(lead_with("not-an-email"));                   // 1 rejected: email
    leads.push_back(lead_with("GOOD1@acme.com"));                 // 2 duplicate in payload
    leads.push_back(lead_with("exists@acme.com"));                // 3 duplicate in campaign
    leads.push_back(lead_with("blocked@acme.com"));               // 4 blocklisted
    LeadAddParamsLead long_name = lead_with("a@acme.com");        // 5 rejected: name too long
    long_name.custom_variables = Json::object({{std::string(101, 'n'), "x"}});
    leads.push_back(long_name);
    LeadAddParamsLead nested = lead_with("b@acme.com");           // 6 rejected: not scalar
    nested.custom_variables = Json::object({{"tags", Json(Json::Array{Json("a")})}});
    leads.push_back(nested);
    LeadAddParamsLead no_email;                                   // 7 rejected: no email
    no_email.first_name = "Nobody";
    leads.push_back(no_email);
    LeadAddParamsLead long_value = lead_with("c@acme.com");       // 8 rejected: value too long
    long_value.custom_variables = Json::object({{"note", std::string(1001, 'v')}});
    leads.push_back(long_value);
    LeadAddParamsLead good2 = lead_with("good2@acme.com");        // 9 uploaded, scalars fine
    good2.custom_variables = Json::object({{"n", 3}, {"ok", true}, {"none", nullptr}, {"s", "x"}});
    leads.push_back(good2);

    ImportReport report = LeadImporter(client, {.campaign_id = campaign}).run(leads);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.total == 10);
    CHECK(report.count(LeadOutcome::Uploaded) == 2);
    CHECK(report.count(LeadOutcome::RejectedClientSide) == 5);
    CHECK(report.count(LeadOutcome::DuplicateInPayload) == 1);
    CHECK(report.count(LeadOutcome::DuplicateInCampaign) == 1);
    CHECK(report.count(LeadOutcome::Blocklisted) == 1);
    CHECK(report.chunks == 1);
    CHECK(report.requests == 2);  // the add, and the lookup that told duplicates from blocked leads
    CHECK(report.ok());

    CHECK(report.outcomes[0].outcome == LeadOutcome::Uploaded);
    CHECK_FALSE(report.outcomes[0].lead_id.empty());
    CHECK(report.outcomes[1].reason.find("email") != std::string::npos);
    CHECK(report.outcomes[2].outcome == LeadOutcome::DuplicateInPayload);
    CHECK(report.outcomes[3].outcome == LeadOutcome::DuplicateInCampaign);
    CHECK(report.outcomes[3].lead_id == existing.created_leads[0].id);
    CHECK(report.outcomes[4].outcome == LeadOutcome::Blocklisted);
    CHECK(report.outcomes[5].reason.find("custom_variables") != std::string::npos);
    CHECK(report.outcomes[6].reason.find("custom_variables.tags") != std::string::npos);
    CHECK(report.outcomes[7].reason.find("email") != std::string::npos);
    CHECK(report.outcomes[8].reason.find("custom_variables.note") != std::string::npos);
    CHECK(report.outcomes[9].outcome == LeadOutcome::Uploaded);
  }

  TEST_CASE("lead import: 2,500 leads go in 3 chunks and ids map back through created_leads") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    std::vector<LeadAddParamsLead> leads = numbered_leads(2500);
    std::vector<workflows::ImportProgress> progress;
    LeadImporter importer(client, {.campaign_id = campaign,
                                   .on_progress = [&](const workflows::ImportProgress& p) { progress.push_back(p); }});
    ImportReport report = importer.run(leads);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.count(LeadOutcome::Uploaded) == 2500);
    CHECK(report.ok());
    CHECK(report.chunks == 3);
    CHECK(report.requests == 3);
    CHECK(add_calls(client) == 3);
    REQUIRE(progress.size() == 3);
    CHECK(progress.back().done == 2500);
    CHECK(progress.back().total == 2500);
    for (std::uint64_t index : {0ull, 999ull, 1000ull, 1777ull, 2499ull}) {
      const workflows::LeadRecord* record = report.find(index);
      REQUIRE(record != nullptr);
      Lead fetched = client.leads().get(record->lead_id);
      CHECK(fetched.email.value_or("") == "lead" + std::to_string(index) + "@example.com");
    }
  }

  TEST_CASE("lead import: under injected faults every lead is accounted once and none is created twice") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    std::vector<LeadAddParamsLead> leads = numbered_leads(1000);
    client.request("POST", "/__mock/faults",
                   {.body = Json::object({{"500", 0.1}, {"502", 0.1}, {"503", 0.1}, {"429", 0.1},
                                          {"drop", 0.05}, {"truncate", 0.03}, {"seed", 7}})});
    LeadImporter importer(client, {.campaign_id = campaign,
                                   .chunk_size = 50,
                                   .max_chunk_attempts = 8,
                                   .chunk_retry_backoff = std::chrono::milliseconds(2)});
    ImportReport report = importer.run(leads);
    client.request("POST", "/__mock/faults", {.body = Json::object({{"500", 0}})});

    CHECK(report.accounts_for_every_lead());
    CHECK(report.total == 1000);
    CHECK(report.chunks == 20);
    CHECK(report.requests >= 20);
    std::map<std::string, int> stored = emails_in_campaign(client, campaign);
    for (const auto& [email, n] : stored) CHECK_MESSAGE(n == 1, email);
    std::uint64_t uploaded = report.count(LeadOutcome::Uploaded);
    // Nothing was in the campaign before, so every duplicate is a lead of ours
    // that an earlier, failed send of its chunk created; the importer must say
    // so (after_retry). The transport never re-sends a POST by itself.
    std::uint64_t ours = report.count(LeadOutcome::DuplicateInCampaign);
    std::uint64_t flagged = 0;
    for (const workflows::LeadRecord& r : report.outcomes) flagged += r.after_retry ? 1 : 0;
    CHECK(uploaded + ours <= stored.size());
    CHECK(stored.size() <= uploaded + ours + report.count(LeadOutcome::Failed) + report.count(LeadOutcome::NotUploaded));
    for (const workflows::LeadRecord& r : report.outcomes) {
      if (r.outcome == LeadOutcome::Uploaded) CHECK(stored.contains("lead" + std::to_string(r.index) + "@example.com"));
    }
    CHECK(flagged == ours);
  }

  TEST_CASE("lead import: business records are mapped on the way, unmappable ones are rejected in place") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    std::vector<workflows::Business> businesses;
    for (int i = 0; i < 3; ++i) {
      businesses.push_back({.name = "Cafe " + std::to_string(i), .email = "cafe" + std::to_string(i) + "@example.com",
                            .city = "Austin", .state = "TX", .rating = 4.5});
    }
    businesses.insert(businesses.begin() + 1, workflows::Business{.name = "No Email Diner"});
    businesses.push_back({.name = " ", .email = "blank-name@example.com"});

    ImportReport report = LeadImporter(client, {.campaign_id = campaign}).run(businesses);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.count(LeadOutcome::Uploaded) == 3);
    CHECK(report.count(LeadOutcome::RejectedClientSide) == 2);
    CHECK(report.find(1)->reason.find("business.email") != std::string::npos);
    CHECK(report.find(4)->reason.find("business.name") != std::string::npos);

    Lead stored = client.leads().get(report.find(2)->lead_id);
    CHECK(stored.email.value_or("") == "cafe1@example.com");
    CHECK(stored.first_name.value_or("") == "Cafe 1");
    CHECK(stored.last_name.value_or("") == "Team");
  }

  TEST_CASE("lead import: a checkpoint resumes a cancelled run without re-sending finished chunks") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    std::vector<LeadAddParamsLead> leads = numbered_leads(2000);
    leads[5] = lead_with("broken");  // a client-side rejection survives the checkpoint too
    auto path = fresh_checkpoint("resume");

    std::stop_source stop;
    int chunks_seen = 0;
    workflows::LeadImportOptions options{.campaign_id = campaign, .chunk_size = 200, .concurrency = 1};
    options.stop = stop.get_token();
    options.checkpoint_path = path;
    options.on_progress = [&](const workflows::ImportProgress&) {
      if (++chunks_seen == 3) stop.request_stop();
    };
    ImportReport first = LeadImporter(client, options).run(leads);
    CHECK(first.cancelled);
    CHECK(first.accounts_for_every_lead());
    CHECK(first.chunks == 3);
    CHECK(first.count(LeadOutcome::Uploaded) == 599);
    CHECK(first.count(LeadOutcome::RejectedClientSide) == 1);
    CHECK(first.count(LeadOutcome::NotAttempted) == 1400);
    CHECK(add_calls(client) == 3);

    client.request("POST", "/__mock/stats/reset");
    std::stop_source fresh;
    options.stop = fresh.get_token();
    options.on_progress = nullptr;
    ImportReport second = LeadImporter(client, options).run(leads);
    CHECK(add_calls(client) == 7);
    CHECK(second.chunks == 7);
    CHECK(second.chunks_restored == 3);
    CHECK(second.accounts_for_every_lead());
    CHECK(second.count(LeadOutcome::Uploaded) == 1999);
    CHECK(second.count(LeadOutcome::RejectedClientSide) == 1);
    CHECK(second.ok());
    CHECK(second.find(0)->lead_id == first.find(0)->lead_id);
    CHECK(emails_in_campaign(client, campaign).size() == 1999);

    // A third run has nothing left to send.
    client.request("POST", "/__mock/stats/reset");
    ImportReport third = LeadImporter(client, options).run(leads);
    CHECK(add_calls(client) == 0);
    CHECK(third.chunks_restored == 10);
    CHECK(third.count(LeadOutcome::Uploaded) == 1999);

    // The checkpoint belongs to this campaign and chunk size only.
    workflows::LeadImportOptions other_size = options;
    other_size.chunk_size = 100;
    CHECK_THROWS_AS(LeadImporter(client, other_size).run(leads), ValidationError);
    workflows::LeadImportOptions other_target = options;
    other_target.campaign_id = new_campaign(client, "Another");
    CHECK_THROWS_AS(LeadImporter(client, other_target).run(leads), ValidationError);
    std::filesystem::remove(path);
  }

  TEST_CASE("lead import: a stop while a chunk waits out a 429 ends the run at once, the report says what was sent") {
    Client setup = import_client();
    std::string campaign = new_campaign(setup);
    // A client that waits 30 s after a 429, as a real Retry-After may ask.
    ClientOptions slow_retry{.api_key = "import-suite-key", .base_url = import_mock().url()};
    slow_retry.retry.max_retries = 3;
    slow_retry.retry.initial_backoff = std::chrono::seconds(30);
    slow_retry.retry.max_retry_after = std::chrono::seconds(60);
    slow_retry.transport = testing::make_local_transport();
    Client client(slow_retry);
    std::stop_source stop;
    std::jthread stopper;
    workflows::LeadImportOptions options{.campaign_id = campaign, .chunk_size = 100, .concurrency = 1};
    options.stop = stop.get_token();
    // The first chunk goes through; then the second meets a 429 asking for 30 s, and the
    // stop comes while the client waits it out.
    options.on_progress = [&](const workflows::ImportProgress& progress) {
      if (progress.done != 100) return;
      client.request("POST", "/__mock/responses",
                     {.body = Json::object({{"status", 429},
                                            {"path", "/api/v2/leads/add"},
                                            {"headers", Json::object({{"Retry-After", "30"}})},
                                            {"times", 1}})});
      stopper = std::jthread([&stop] {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        stop.request_stop();
      });
    };
    std::vector<LeadAddParamsLead> leads = numbered_leads(300);
    const auto started = std::chrono::steady_clock::now();
    ImportReport report = LeadImporter(client, options).run(leads);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));  // not the 30 s wait
    CHECK(report.cancelled);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.count(LeadOutcome::Uploaded) == 100);
    CHECK(report.count(LeadOutcome::NotAttempted) == 200);
    // The refused chunk reached the server once (answered 429, so not applied); the third never did.
    CHECK(report.chunks == 2);
    CHECK(add_calls(client) == 1);
    const Json stats = client.request("GET", "/__mock/stats");  // find() points into it: keep it alive
    const Json* refused = stats.at("statuses").find("429");
    CHECK((refused != nullptr && refused->as_int() == 1));
    CHECK(report.find(150)->reason.find("import stopped before the chunk was sent") != std::string::npos);
    CHECK(emails_in_campaign(client, campaign).size() == 100);
  }

  TEST_CASE("lead import: cancelled before the start, nothing is sent and every lead is NotAttempted") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    std::vector<LeadAddParamsLead> leads = numbered_leads(250);
    std::stop_source stop;
    stop.request_stop();
    workflows::LeadImportOptions options{.campaign_id = campaign, .chunk_size = 100};
    options.stop = stop.get_token();
    ImportReport report = LeadImporter(client, options).run(leads);
    CHECK(report.cancelled);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.count(LeadOutcome::NotAttempted) == 250);
    CHECK(report.requests == 0);
    CHECK(add_calls(client) == 0);
    CHECK_FALSE(report.ok());
  }

  TEST_CASE("lead import: exactly one of campaign_id and list_id, and sane chunk sizes") {
    Client client = import_client();
    CHECK_THROWS_AS(LeadImporter(client, {}), ValidationError);
    CHECK_THROWS_AS(LeadImporter(client, {.campaign_id = "c", .list_id = "l"}), ValidationError);
    CHECK_THROWS_AS(LeadImporter(client, {.campaign_id = "c", .chunk_size = 0}), ValidationError);
    CHECK_THROWS_AS(LeadImporter(client, {.campaign_id = "c", .chunk_size = 1001}), ValidationError);
    CHECK_THROWS_AS(LeadImporter(client, {.list_id = "l", .concurrency = 0}), ValidationError);
    CHECK_NOTHROW(LeadImporter(client, {.list_id = "l"}));
    CHECK(add_calls(client) == 0);
  }

  TEST_CASE("lead import: into a lead list, with leads known only by name, and again as duplicates") {
    Client client = import_client();
    std::string list = client.lead_lists().create({.name = "Import list"}).id;
    std::vector<LeadAddParamsLead> leads = numbered_leads(30);
    LeadAddParamsLead by_name;
    by_name.first_name = "Only a name";
    leads.push_back(by_name);
    leads.push_back(LeadAddParamsLead{});  // nothing at all: rejected
    ImportReport report = LeadImporter(client, {.list_id = list, .chunk_size = 10}).run(leads);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.count(LeadOutcome::Uploaded) == 31);
    CHECK(report.count(LeadOutcome::RejectedClientSide) == 1);
    CHECK(report.chunks == 4);

    ImportReport again = LeadImporter(client, {.list_id = list, .chunk_size = 10}).run(numbered_leads(30));
    CHECK(again.accounts_for_every_lead());
    CHECK(again.count(LeadOutcome::DuplicateInList) == 30);
  }

  TEST_CASE("lead import: a 401 fails its chunk and stops the import") {
    Client client = import_client();
    std::string campaign = new_campaign(client);
    client.request("POST", "/__mock/responses",
                   {.body = Json::object({{"status", 401}, {"path", "/api/v2/leads/add"}, {"times", 1}})});
    std::vector<LeadAddParamsLead> leads = numbered_leads(500);
    ImportReport report = LeadImporter(client, {.campaign_id = campaign, .chunk_size = 100, .concurrency = 1}).run(leads);
    CHECK(report.accounts_for_every_lead());
    CHECK(report.count(LeadOutcome::Failed) == 100);
    CHECK(report.count(LeadOutcome::NotAttempted) == 400);
    CHECK(report.find(0)->status == 401);
    CHECK(report.find(499)->reason.find("import stopped") != std::string::npos);
    CHECK_FALSE(report.stop_reason.empty());
    CHECK(report.requests == 1);
    CHECK_FALSE(report.ok());
  }

  TEST_CASE("lead import: a server error into a list is not re-sent, outcomes stream without being kept") {
    Client client = import_client();
    std::string list = client.lead_lists().create({.name = "No retries"}).id;
    client.request("POST", "/__mock/responses",
                   {.body = Json::object({{"status", 500}, {"path", "/api/v2/leads/add"}, {"times", 1}})});
    std::vector<workflows::LeadRecord> streamed;
    workflows::LeadImportOptions options{.list_id = list, .chunk_size = 10, .concurrency = 1};
    options.keep_outcomes = false;
    options.on_outcome = [&](const workflows::LeadRecord& r) { streamed.push_back(r); };
    ImportReport report = LeadImporter(client, options).run(numbered_leads(20));
    CHECK(report.outcomes.empty());
    CHECK(report.accounts_for_every_lead());
    CHECK(streamed.size() == 20);
    CHECK(report.count(LeadOutcome::Failed) == 10);
    CHECK(report.count(LeadOutcome::Uploaded) == 10);
    CHECK(report.requests == 2);
  }
}

TEST_SUITE("lead import attribution") {
  using workflows::detail::AttributionContext;
  using workflows::detail::SentLead;

  LeadAddResult answer(std::int64_t duplicated, std::int64_t blocked, std::int64_t skipped) {
    LeadAddResult result;
    result.duplicated_leads = duplicated;
    result.in_blocklist = blocked;
    result.skipped_count = skipped;
    result.created_leads.push_back({.index = 1, .id = "new-1"});
    return result;
  }

  const std::vector<SentLead> kSent = {{10, "A@x.com"}, {11, "b@x.com"}, {12, "c@x.com"}, {13, "d@x.com"}};

  TEST_CASE("lead import attribution: duplicates after a re-send are flagged and get their ids") {
    int lookups = 0;
    AttributionContext context{.campaign_target = true, .after_retry = true,
                               .lookup = [&](const std::vector<std::string>& emails) {
                                 ++lookups;
                                 CHECK(emails.front() == "a@x.com");  // looked up lower-cased
                                 return std::optional(std::unordered_map<std::string, std::string>{
                                     {"a@x.com", "old-a"}, {"c@x.com", "old-c"}, {"d@x.com", "old-d"}});
                               }};
    auto records = workflows::detail::attribute(answer(3, 0, 0), kSent, context);
    CHECK(lookups == 1);
    CHECK(records[1].outcome == LeadOutcome::Uploaded);
    CHECK(records[1].lead_id == "new-1");
    CHECK(records[0].outcome == LeadOutcome::DuplicateInCampaign);
    CHECK(records[0].after_retry);
    CHECK(records[0].lead_id == "old-a");
    CHECK(records[3].lead_id == "old-d");
  }

  TEST_CASE("lead import attribution: several categories are told apart by the lookup, or left NotUploaded") {
    auto found_a = [](const std::vector<std::string>&) {
      return std::optional(std::unordered_map<std::string, std::string>{{"a@x.com", "old-a"}});
    };
    auto resolved = workflows::detail::attribute(answer(1, 2, 0), kSent, {.lookup = found_a});
    CHECK(resolved[0].outcome == LeadOutcome::DuplicateInCampaign);
    CHECK_FALSE(resolved[0].after_retry);
    CHECK(resolved[2].outcome == LeadOutcome::Blocklisted);
    CHECK(resolved[3].outcome == LeadOutcome::Blocklisted);

    auto three_way = workflows::detail::attribute(answer(1, 1, 1), kSent, {.lookup = found_a});
    CHECK(three_way[0].outcome == LeadOutcome::DuplicateInCampaign);
    CHECK(three_way[2].outcome == LeadOutcome::NotUploaded);
    CHECK(three_way[2].reason.find("in_blocklist") != std::string::npos);
    CHECK(three_way[2].reason.find("skipped_count") != std::string::npos);

    auto failed_lookup = workflows::detail::attribute(
        answer(1, 2, 0), kSent,
        {.lookup = [](const std::vector<std::string>&) {
           return std::optional<std::unordered_map<std::string, std::string>>();
         }});
    CHECK(failed_lookup[0].outcome == LeadOutcome::NotUploaded);
    CHECK(failed_lookup[1].outcome == LeadOutcome::Uploaded);

    auto no_duplicates = workflows::detail::attribute(answer(0, 2, 1), kSent, {.lookup = found_a});
    CHECK(no_duplicates[0].outcome == LeadOutcome::NotUploaded);
  }
}

#endif  // INSTANTLY_HAVE_MOCK
