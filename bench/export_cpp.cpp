// The C++ side of bench/export.py: imports the businesses of a JSON-lines file
// (one gmaps_businesses row per line, as bench/export.py writes them) into an
// existing campaign with instantly::workflows::LeadImporter and prints one
// JSON object with the wall time of the import.
//
//   export_cpp --base-url http://127.0.0.1:PORT --campaign-id ID --businesses rows.jsonl [--concurrency 4]
//
// The rows are read and mapped to leads (business_from_json + to_lead without
// the top-level phone/website, i.e. exactly the old pipeline's
// format_lead_for_instantly) before the clock starts, as the Python side
// hands import_leads ready lead dicts; the timed part is LeadImporter::run.
// The client keeps its defaults, rate limiter (100/s) included.
#include <instantly/client.hpp>
#include <instantly/error.hpp>
#include <instantly/json.hpp>
#include <instantly/workflows/business_lead.hpp>
#include <instantly/workflows/lead_import.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Args {
  std::string base_url;
  std::string api_key = "bench-key";
  std::string campaign_id;
  std::string businesses;
  int concurrency = 4;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "export_cpp: " << problem << "\n"
            << "usage: export_cpp --base-url URL --campaign-id ID --businesses FILE.jsonl [--api-key KEY] "
               "[--concurrency N]\n";
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string_view name = argv[i];
    if (i + 1 >= argc) usage("missing value for " + std::string(name));
    std::string value = argv[++i];
    if (name == "--base-url") args.base_url = value;
    else if (name == "--api-key") args.api_key = value;
    else if (name == "--campaign-id") args.campaign_id = value;
    else if (name == "--businesses") args.businesses = value;
    else if (name == "--concurrency") args.concurrency = std::atoi(value.c_str());
    else usage("unknown option " + std::string(name));
  }
  if (args.base_url.empty() || args.campaign_id.empty() || args.businesses.empty()) {
    usage("--base-url, --campaign-id and --businesses are required");
  }
  return args;
}

std::vector<instantly::LeadAddParamsLead> read_leads(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<instantly::LeadAddParamsLead> leads;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto business = instantly::workflows::business_from_json(instantly::Json::parse(line));
    leads.push_back(instantly::workflows::to_lead(business, {.fill_top_level_contact = false}));
  }
  return leads;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  try {
    std::vector<instantly::LeadAddParamsLead> leads = read_leads(args.businesses);
    instantly::Client client({.api_key = args.api_key, .base_url = args.base_url});
    instantly::workflows::LeadImporter importer(
        client, {.campaign_id = args.campaign_id, .concurrency = args.concurrency, .keep_outcomes = true});

    auto started = std::chrono::steady_clock::now();
    instantly::workflows::ImportReport report = importer.run(leads);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    instantly::Json counts = instantly::Json::object();
    for (std::size_t i = 0; i < instantly::workflows::kLeadOutcomeCount; ++i) {
      auto outcome = static_cast<instantly::workflows::LeadOutcome>(i);
      counts.set(std::string(instantly::workflows::to_string(outcome)), static_cast<std::int64_t>(report.count(outcome)));
    }
    instantly::Json out = instantly::Json::object();
    out.set("wall_seconds", wall);
    out.set("import_elapsed_ms", static_cast<std::int64_t>(report.elapsed.count()));
    out.set("total", static_cast<std::int64_t>(report.total));
    out.set("uploaded", static_cast<std::int64_t>(report.count(instantly::workflows::LeadOutcome::Uploaded)));
    out.set("requests", static_cast<std::int64_t>(report.requests));
    out.set("ok", report.ok());
    out.set("accounts_for_every_lead", report.accounts_for_every_lead());
    out.set("counts", std::move(counts));
    std::cout << out.dump() << "\n";
    return report.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "export_cpp: " << e.what() << "\n";
    return 1;
  }
}
