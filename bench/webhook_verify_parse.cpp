// What the receiver's per-delivery CPU work costs, without network or disk:
// verify the delivery, parse the event, derive its dedupe key, on one
// realistic ~1 KiB reply_received payload. Baselines in the same process:
// copying the body (the floor of touching it) and instantly::Json::parse alone
// (the least any receiver does); ratios are against Json::parse.
//
//   bench/webhook_verify_parse [--seconds S=0.4 per case] [--json]
//
// --json prints one line {"payload": ..., "results": {case: {"ops_per_s", "us_per_op"}}}
// for bench/webhook_verify_parse.py, which compares these with Python.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/webhooks.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using instantly::Json;
namespace wh = instantly::webhooks;

// Shared by every case so the compiler cannot drop the work.
volatile std::size_t g_sink = 0;

// The payload shape Instantly sends for reply_received (api-facts.md), plus the lead's own fields.
const char* const kPayload =
    R"({"timestamp":"2024-05-01T14:03:27.512Z","event_type":"reply_received",)"
    R"("workspace":"3f1b2c4d-9a8e-4f70-b1c2-5d6e7f809a1b","campaign_id":"0b6e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",)"
    R"("campaign_name":"Austin dentists - May outreach","lead_email":"owner.jordan@brightsmile-dental.example.com",)"
    R"("email_account":"alex@outreach-mail.example.net",)"
    R"("unibox_url":"https://app.instantly.ai/app/unibox?thread_search=owner.jordan%40brightsmile-dental.example.com",)"
    R"("step":2,"variant":1,"is_first":true,"email_id":"0190f7a2-6b1c-7d3e-9f40-1a2b3c4d5e6f",)"
    R"("reply_subject":"Re: Quick question about your reviews",)"
    R"("reply_text_snippet":"Thanks for reaching out - we are interested, can you send pricing and a few times)"
    R"( that work next week? We have two locations in Austin.",)"
    R"("reply_text":"Hi Alex,\n\nThanks for reaching out - we are interested, can you send pricing and a few)"
    R"( times that work next week? We have two locations in Austin and are opening a third in June.\n\nJordan",)"
    R"("firstName":"Jordan","lastName":"Reyes","companyName":"Bright Smile Dental","website":"https://brightsmile.example.com",)"
    R"("phone":"+1 512 555 0100","personalization":"Loved your 4.8-star reviews on Google","city":"Austin","state":"TX"})";

const char* const kSecret = "bench-secret-0123456789abcdefghijklmnopqrstuv";
const char* const kSigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Result {
  std::string name;
  double ops_per_s;
};

/// Runs `op` in batches until `seconds` have passed; operations per second.
Result measure(std::string name, double seconds, const std::function<void()>& op) {
  for (int i = 0; i < 100; ++i) op();  // warm caches and allocator
  long long ops = 0;
  auto start = Clock::now();
  auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  auto now = start;
  while (now < end) {
    for (int i = 0; i < 256; ++i) op();
    ops += 256;
    now = Clock::now();
  }
  return {std::move(name), static_cast<double>(ops) / std::chrono::duration<double>(now - start).count()};
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 0.4;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: webhook_verify_parse [--seconds S] [--json]\n");
      return 2;
    }
  }
  const std::string body = kPayload;

  // Headers as a delivery brings them: a few besides the one that counts.
  wh::SecretHeaderVerifier secret_verifier("X-Webhook-Secret", {kSecret});
  const instantly::HttpHeaders secret_headers = {{"Host", "hooks.example.com"},
                                                 {"User-Agent", "Instantly-Webhooks/1.0"},
                                                 {"Content-Type", "application/json"},
                                                 {"X-Webhook-Secret", kSecret}};
  wh::StandardWebhooksVerifier signed_verifier({kSigningSecret});
  const std::string msg_id = "msg_2fS8kQ1xYb7Lm3Nw";
  const auto timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
  const instantly::HttpHeaders signed_headers = {{"Content-Type", "application/json"},
                                                 {"webhook-id", msg_id},
                                                 {"webhook-timestamp", std::to_string(timestamp)},
                                                 {"webhook-signature", signed_verifier.sign(msg_id, timestamp, body)}};

  std::vector<Result> results;
  results.push_back(measure("copy_body", seconds, [&] {
    std::string copy = body;
    g_sink = g_sink + copy.size();
  }));
  results.push_back(measure("json_parse", seconds, [&] { g_sink = g_sink + Json::parse(body).size(); }));
  results.push_back(measure("parse_event+dedupe_key", seconds,
                            [&] { g_sink = g_sink + wh::parse_event(body).dedupe_key().size(); }));
  results.push_back(measure("secret_header_verify", seconds, [&] {
    secret_verifier.verify(secret_headers);
    g_sink = g_sink + 1;
  }));
  results.push_back(measure("secret_header+parse+dedupe", seconds, [&] {
    secret_verifier.verify(secret_headers);
    g_sink = g_sink + wh::parse_event(body).dedupe_key().size();
  }));
  results.push_back(measure("standard_webhooks_verify", seconds, [&] {
    signed_verifier.verify(signed_headers, body);
    g_sink = g_sink + 1;
  }));
  results.push_back(measure("standard_webhooks+parse+dedupe", seconds, [&] {
    signed_verifier.verify(signed_headers, body);
    g_sink = g_sink + wh::parse_event(body).dedupe_key().size();
  }));

  if (json) {
    Json out = Json::object();
    Json cases = Json::object();
    for (const auto& r : results) {
      cases[r.name] = Json::object({{"ops_per_s", r.ops_per_s}, {"us_per_op", 1e6 / r.ops_per_s}});
    }
    out["payload"] = body;
    out["seconds_per_case"] = seconds;
    out["results"] = std::move(cases);
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  const double baseline = results[1].ops_per_s;  // json_parse
  std::printf("webhook verify+parse, %zu-byte payload, %.1f s per case, one thread (ratio: time per op / Json::parse)\n",
              body.size(), seconds);
  for (const auto& r : results) {
    std::printf("  %-32s %11.0f ops/s  %8.3f us/op  %6.2fx json_parse\n", r.name.c_str(), r.ops_per_s,
                1e6 / r.ops_per_s, baseline / r.ops_per_s);
  }
  return 0;
}
