// Import checkpoints that were damaged or swapped: another import's file, another format,
// a truncated or torn tail, lines that lie about their chunk, binary junk; and /leads/add
// answers that lie about what they created. Every input lead is still accounted for exactly
// once, and nothing is sent before a foreign checkpoint is refused.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/lead_import.hpp"
#include "support/fake_transport.hpp"
#include "support/text.hpp"

namespace hostile_checkpoints {

using instantly::Json;
using instantly::LeadAddParamsLead;
using instantly::testing::contains;
using instantly::testing::FakeTransport;
using instantly::workflows::ImportReport;
using instantly::workflows::LeadImporter;
using instantly::workflows::LeadImportOptions;
using instantly::workflows::LeadOutcome;

constexpr const char* kKey = "sk_hostile_SECRET_7f3a";
constexpr const char* kCampaign = "cmp_hostile";

// /leads/add that creates every lead it is sent, with ids "id-<email>".
instantly::HttpResponse create_all(const instantly::HttpRequest& request) {
  const Json body = Json::parse(request.body.value_or("{}"));
  Json created = Json::array();
  std::int64_t index = 0;
  for (const Json& lead : body.at("leads").as_array()) {
    created.push_back(Json::object({{"id", "id-" + lead.at("email").as_string()},
                                    {"index", index++},
                                    {"email", lead.at("email").as_string()}}));
  }
  const auto n = static_cast<std::int64_t>(created.size());
  return instantly::testing::json_response(
      200, Json::object({{"status", "success"}, {"total_sent", n}, {"leads_uploaded", n}, {"created_leads", created}})
               .dump());
}

struct Importing {
  std::shared_ptr<FakeTransport> transport;
  instantly::Client client;
  std::filesystem::path path;

  explicit Importing(const std::string& name, FakeTransport::Handler handler = create_all)
      : transport(std::make_shared<FakeTransport>(std::move(handler))),
        client({.api_key = kKey, .base_url = "http://127.0.0.1:9", .rate_limit = {.enabled = false},
                .transport = transport}),
        path(std::filesystem::temp_directory_path() /
             ("instantly-hostile-" + std::to_string(::getpid()) + "-" + name + ".ckpt")) {
    std::filesystem::remove(path);
  }
  ~Importing() { std::filesystem::remove(path); }

  LeadImportOptions options(std::size_t chunk_size = 2) const {
    LeadImportOptions o{.campaign_id = kCampaign, .chunk_size = chunk_size, .concurrency = 1};
    o.checkpoint_path = path;
    return o;
  }
  void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::size_t sent_leads() const {
    std::size_t n = 0;
    for (const auto& request : transport->requests()) n += Json::parse(*request.body).at("leads").size();
    return n;
  }
};

std::vector<LeadAddParamsLead> leads(std::size_t n, const std::string& tag = "a") {
  std::vector<LeadAddParamsLead> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i].email = tag + std::to_string(i) + "@cafe.example";
  return out;
}

std::string header(const std::string& target = kCampaign, std::size_t chunk_size = 2) {
  return "instantly-lead-import\t1\tcampaign\t" + target + "\t" + std::to_string(chunk_size) + "\n";
}

void check_every_lead_once(const ImportReport& report, std::size_t n) {
  CHECK(report.total == n);
  CHECK(report.accounts_for_every_lead());
  for (std::uint64_t i = 0; i < n; ++i) {
    REQUIRE(report.find(i) != nullptr);
  }
}


TEST_CASE("a checkpoint from another campaign or chunk size is refused before anything is sent") {
  Importing run("foreign");
  run.write(header("cmp_other") + "chunk\t0\t0\n");
  CHECK_THROWS_AS(LeadImporter(run.client, run.options()).run(leads(4)), instantly::ValidationError);
  run.write(header(kCampaign, 500));
  try {
    (void)LeadImporter(run.client, run.options()).run(leads(4));
    FAIL("a checkpoint for chunks of 500 was used for chunks of 2");
  } catch (const instantly::ValidationError& e) {
    CHECK(contains(e.what(), "another import"));
    CHECK_FALSE(contains(e.what(), kKey));
  }
  CHECK(run.transport->request_count() == 0);
}

TEST_CASE("a checkpoint kept from another input file re-sends the chunks whose leads changed") {
  Importing run("other-input");
  REQUIRE(LeadImporter(run.client, run.options()).run(leads(6, "a")).count(LeadOutcome::Uploaded) == 6);
  REQUIRE(run.sent_leads() == 6);
  // Same campaign, same chunk size, same file name: but the leads of chunks 1 and 2 differ.
  std::vector<LeadAddParamsLead> changed = leads(6, "a");
  changed[2].email = "new2@cafe.example";
  changed[5].first_name = "Ada";
  const ImportReport report = LeadImporter(run.client, run.options()).run(changed);
  check_every_lead_once(report, 6);
  CHECK(report.chunks_restored == 1);       // chunk 0 is the same input
  CHECK(run.sent_leads() == 6 + 4);         // chunks 1 and 2 go out: their leads were never sent
  CHECK(report.find(2)->lead_id == "id-new2@cafe.example");
  // The file now records the new input: a third run over it sends nothing.
  (void)LeadImporter(run.client, run.options()).run(changed);
  CHECK(run.sent_leads() == 10);
}

TEST_CASE("a checkpoint written before chunks had fingerprints is still trusted (3-field chunk lines)") {
  Importing run("old-format");
  run.write(header() + "lead\t0\t0\tuploaded\t0\t200\tid-old0\t\nlead\t0\t1\tuploaded\t0\t200\tid-old1\t\nchunk\t0\t2\n");
  const ImportReport report = LeadImporter(run.client, run.options()).run(leads(4));
  check_every_lead_once(report, 4);
  CHECK(report.chunks_restored == 1);
  CHECK(report.find(0)->lead_id == "id-old0");
  CHECK(run.sent_leads() == 2);
}

TEST_CASE("a lead that is not UTF-8 is rejected by itself, not with its whole chunk") {
  Importing run("not-utf8");
  std::vector<LeadAddParamsLead> input = leads(4);
  input[1].first_name = std::string("Caf\xe9", 4);  // Latin-1, as a careless CSV export writes it
  input[3].custom_variables = Json::object({{"city", std::string("M\xfcnchen", 7)}});
  const ImportReport report = LeadImporter(run.client, run.options(4)).run(input);
  check_every_lead_once(report, 4);
  CHECK(report.count(LeadOutcome::Uploaded) == 2);
  CHECK(report.find(1)->outcome == LeadOutcome::RejectedClientSide);
  CHECK(contains(report.find(1)->reason, "first_name: not valid UTF-8"));
  CHECK(report.find(3)->outcome == LeadOutcome::RejectedClientSide);
  CHECK(run.sent_leads() == 2);
}

TEST_CASE("a file that is not a checkpoint (binary junk, another format) is refused, not overwritten") {
  Importing run("junk");
  const std::string junk = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(100, '\xff');
  run.write(junk);
  CHECK_THROWS_AS(LeadImporter(run.client, run.options()).run(leads(4)), instantly::Error);
  CHECK(run.transport->request_count() == 0);
  CHECK(run.read() == junk);  // the user's file is left as it was
  run.write("instantly-lead-import\t2\tcampaign\tcmp_hostile\t2\n");  // a future format version
  CHECK_THROWS_AS(LeadImporter(run.client, run.options()).run(leads(4)), instantly::Error);
  CHECK(run.transport->request_count() == 0);
}

TEST_CASE("a checkpoint truncated inside a chunk re-sends that chunk and loses no lead") {
  Importing run("truncated");
  const ImportReport first = LeadImporter(run.client, run.options()).run(leads(6));
  REQUIRE(first.count(LeadOutcome::Uploaded) == 6);
  const std::string full = run.read();
  // Cut the file in the middle of chunk 1's records: its end line is gone.
  const auto cut = full.find("lead\t1\t");
  REQUIRE(cut != std::string::npos);
  run.write(full.substr(0, cut + 9));
  const ImportReport second = LeadImporter(run.client, run.options()).run(leads(6));
  check_every_lead_once(second, 6);
  CHECK(second.chunks_restored == 1);
  CHECK(second.count(LeadOutcome::Uploaded) == 6);
  CHECK(run.sent_leads() == 6 + 4);  // chunks 1 and 2 again, chunk 0 restored
  // The torn line left no trace: a third run restores everything and sends nothing.
  const ImportReport third = LeadImporter(run.client, run.options()).run(leads(6));
  CHECK(third.chunks_restored == 3);
  CHECK(run.sent_leads() == 10);
}

TEST_CASE("checkpoint lines that lie about their chunk, count or outcome are not trusted") {
  Importing run("lying");
  run.write(header() +
            // chunk 0 claims leads 7 and 8 (not its positions): re-sent
            "lead\t0\t7\tuploaded\t0\t0\tid-x\t\nlead\t0\t8\tuploaded\t0\t0\tid-y\t\nchunk\t0\t2\n"
            // chunk 1 claims one lead but says its chunk had 5: re-sent
            "lead\t1\t2\tuploaded\t0\t0\tid-z\t\nchunk\t1\t5\n"
            // chunk 2: an outcome that does not exist and a huge index: re-sent
            "lead\t2\t4\texploded\t0\t0\tid-w\t\nlead\t2\t99999999999999999999999\tuploaded\t0\t0\t\t\nchunk\t2\t2\n");
  const ImportReport report = LeadImporter(run.client, run.options()).run(leads(6));
  check_every_lead_once(report, 6);
  CHECK(report.chunks_restored == 0);
  CHECK(run.sent_leads() == 6);
  CHECK(report.find(4)->lead_id == "id-a4@cafe.example");
}

TEST_CASE("junk, NULs and endless lines in the middle of a checkpoint are skipped, good chunks kept") {
  Importing run("noise");
  (void)LeadImporter(run.client, run.options()).run(leads(4));
  REQUIRE(run.sent_leads() == 4);
  std::string text = run.read();
  text.insert(header().size(), std::string("\0\0\0\x01garbage\t\t\t\n", 15) + std::string(200'000, 'x') +
                                   "\nlead\n\t\t\t\t\t\t\t\n");
  run.write(text);
  const ImportReport report = LeadImporter(run.client, run.options()).run(leads(4));
  check_every_lead_once(report, 4);
  CHECK(report.chunks_restored == 2);
  CHECK(run.sent_leads() == 4);  // nothing sent again
}

TEST_CASE("a checkpoint's reasons with tabs, line breaks and backslashes survive the round trip") {
  const std::string reason_text = "bad\tlead\r\nX-Injected: 1\\n\\";
  Importing run("escaped", [&](const instantly::HttpRequest&) {
    return instantly::testing::json_response(400, Json::object({{"message", reason_text}}).dump());
  });
  LeadImportOptions options = run.options();
  const ImportReport first = LeadImporter(run.client, options).run(leads(2));
  REQUIRE(first.count(LeadOutcome::Failed) == 2);
  REQUIRE(contains(first.find(0)->reason, reason_text));
  // Restored from the checkpoint or failed again, the reason comes back byte for byte.
  const ImportReport second = LeadImporter(run.client, options).run(leads(2));
  CHECK(second.count(LeadOutcome::Failed) == 2);
  CHECK(second.find(1)->reason == first.find(1)->reason);
  CHECK_FALSE(contains(second.find(1)->reason, kKey));
}

TEST_CASE("a /leads/add answer that lies about what it created still leaves every lead accounted once") {
  Importing run("lying-answer", [](const instantly::HttpRequest& request) {
    const Json body = Json::parse(*request.body);
    const std::string first = body.at("leads").at(std::size_t{0}).at("email").as_string();
    // Claims three uploads for two leads, reports index 0 twice, and indexes that do not exist.
    return instantly::testing::json_response(
        200, Json::object({{"status", "success"},
                           {"total_sent", 2},
                           {"leads_uploaded", 3},
                           {"created_leads", Json::array({Json::object({{"id", "L1"}, {"index", 0}, {"email", first}}),
                                                          Json::object({{"id", "L2"}, {"index", 0}, {"email", first}}),
                                                          Json::object({{"id", "L3"}, {"index", -1}, {"email", "x"}}),
                                                          Json::object({{"id", "L4"}, {"index", 99}, {"email", "y"}})})}})
                 .dump());
  });
  LeadImportOptions options = run.options();
  options.checkpoint_path.reset();
  const ImportReport report = LeadImporter(run.client, options).run(leads(4));
  check_every_lead_once(report, 4);
  CHECK(report.count(LeadOutcome::Uploaded) == 2);  // index 0 of each chunk, once
  CHECK(report.find(0)->lead_id == "L1");
  CHECK(report.find(1)->outcome != LeadOutcome::Uploaded);
}

}  // namespace hostile_checkpoints
