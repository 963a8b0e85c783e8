// Does LeadImporter's memory stay flat as the input grows? Imports generated
// leads (never stored: an input range computed on the fly) through a transport
// that accepts every chunk at once, so only the importer's own memory shows,
// and prints the process's peak RSS after each run.
//
//   import_memory [--leads 1000000]
//
// Runs, in this order (peak RSS only ever grows, so each line can only add):
//   baseline   the same number of leads generated and serialised, no importer
//   counts     keep_outcomes = false, 1/10 of the leads, then all of them
//   outcomes   keep_outcomes = true (a LeadRecord per lead kept in the report)
// "per lead" is the growth between two runs divided by the extra leads.
#include <instantly/client.hpp>
#include <instantly/json.hpp>
#include <instantly/transport.hpp>
#include <instantly/workflows/lead_import.hpp>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ranges>
#include <string>
#include <string_view>

namespace {

using instantly::Json;
using instantly::LeadAddParamsLead;
namespace workflows = instantly::workflows;

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

/// Accepts every `/leads/add` chunk: each lead created, in order. The body is
/// parsed like a server would, so the importer's requests are real ones.
class AcceptEverything final : public instantly::Transport {
 public:
  instantly::HttpResponse send(const instantly::HttpRequest& request) override {
    Json body = Json::parse(request.body.value_or("{}"));
    Json::Array created;
    const Json::Array& leads = body.at("leads").as_array();
    created.reserve(leads.size());
    for (std::size_t i = 0; i < leads.size(); ++i) {
      created.push_back(Json::object({{"index", static_cast<std::int64_t>(i)},
                                      {"id", "lead-" + std::to_string(next_id_++)},
                                      {"email", leads[i].at("email")}}));
    }
    auto count = static_cast<std::int64_t>(leads.size());
    Json reply = Json::object({{"status", "success"},
                               {"total_sent", count},
                               {"leads_uploaded", count},
                               {"in_blocklist", 0},
                               {"duplicated_leads", 0},
                               {"skipped_count", 0},
                               {"invalid_email_count", 0},
                               {"incomplete_count", 0},
                               {"duplicate_email_count", 0},
                               {"created_leads", Json(std::move(created))}});
    instantly::HttpResponse response;
    response.status = 200;
    response.headers.add("Content-Type", "application/json");
    response.body = reply.dump();
    return response;
  }

 private:
  std::atomic<std::uint64_t> next_id_{0};
};

LeadAddParamsLead make_lead(std::uint64_t i, std::string_view run) {
  LeadAddParamsLead lead;
  lead.email = "lead" + std::to_string(i) + "." + std::string(run) + "@example.com";
  lead.first_name = "Business " + std::to_string(i);
  lead.last_name = "Team";
  lead.company_name = "Business " + std::to_string(i);
  lead.custom_variables = Json::object({{"icebreaker", "Saw your place has great reviews, number " + std::to_string(i)},
                                        {"business_city", "Austin"},
                                        {"business_rating", "4.8"}});
  return lead;
}

/// Generated on the fly: nothing of the input is ever held in memory.
auto generated(std::uint64_t n, std::string_view run) {
  return std::views::iota(std::uint64_t{0}, n) |
         std::views::transform([run](std::uint64_t i) { return make_lead(i, run); });
}

instantly::Client client() {
  instantly::ClientOptions options{.api_key = "bench-key", .base_url = "http://127.0.0.1:9"};
  options.transport = std::make_shared<AcceptEverything>();
  options.rate_limit.enabled = false;  // measuring memory, not pacing
  return instantly::Client(options);
}

struct Run {
  std::uint64_t uploaded = 0;
  double seconds = 0;
};

Run import(std::uint64_t n, bool keep_outcomes, std::string_view run) {
  auto started = std::chrono::steady_clock::now();
  workflows::LeadImporter importer(client(), {.campaign_id = "bench-campaign", .keep_outcomes = keep_outcomes});
  workflows::ImportReport report = importer.run(generated(n, run));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return {report.count(workflows::LeadOutcome::Uploaded), seconds};
}

void line(const char* label, std::uint64_t leads, double rss, double before, std::uint64_t extra, const Run* run) {
  std::printf("  %-34s %9llu leads  peak RSS %8.1f MB", label, static_cast<unsigned long long>(leads), rss);
  if (extra > 0) std::printf("  (+%.1f bytes per extra lead)", (rss - before) * 1024 * 1024 / static_cast<double>(extra));
  if (run) std::printf("  %.2f s, %llu uploaded", run->seconds, static_cast<unsigned long long>(run->uploaded));
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 1'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string_view(argv[i]) == "--leads") n = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const std::uint64_t tenth = n / 10;
  std::printf("LeadImporter memory, leads generated on the fly, a transport that accepts every chunk\n");
  double start = peak_rss_mb();

  // Baseline: the work of producing and serialising the leads, without the importer.
  std::size_t bytes = 0;
  for (const LeadAddParamsLead& lead : generated(n, "baseline")) bytes += lead.to_json().size();
  double baseline = peak_rss_mb();
  line("baseline (generate + serialise)", n, baseline, start, 0, nullptr);
  std::printf("  %-34s %9.1f MB of lead JSON went through, never held\n", "", static_cast<double>(bytes) / 1e6);

  Run small = import(tenth, false, "a");
  double after_small = peak_rss_mb();
  line("keep_outcomes=false", tenth, after_small, baseline, 0, &small);
  Run large = import(n, false, "b");
  double after_large = peak_rss_mb();
  line("keep_outcomes=false", n, after_large, after_small, n - tenth, &large);
  Run kept = import(n, true, "c");
  double after_kept = peak_rss_mb();
  line("keep_outcomes=true", n, after_kept, after_large, n, &kept);

  std::printf("ratio: peak RSS for %llu leads / for %llu leads (counts only): %.2f\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(tenth), after_large / after_small);
  return 0;
}
