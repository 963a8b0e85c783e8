// Prints the health of every sending account (or of the ones named) as a
// table, and exits 2 when any account is critical, so cron or CI can alert.
//
//   INSTANTLY_API_KEY=... ./account_health
//   ./account_health --days 14 ann@acme.com bob@acme.com
//   ./account_health --warmup-warning 85 --bounce-critical 0.08
//
// Exit status: 0 nothing critical (warnings allowed), 2 at least one account
// critical, 1 the check itself failed (bad key, network, bad options).
#include <instantly/instantly.hpp>
#include <instantly/workflows/account_health.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace wf = instantly::workflows;

namespace {

std::string score_text(const wf::AccountHealthResult& r) {
  if (!r.warmup_score) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.0f", *r.warmup_score);
  return text;
}

std::string bounce_text(const wf::AccountHealthResult& r) {
  if (!r.bounce_rate) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%% of %lld", *r.bounce_rate * 100, static_cast<long long>(r.sent));
  return text;
}

std::string reasons_text(const wf::AccountHealthResult& r) {
  std::string text;
  for (const auto& reason : r.reasons) {
    if (!text.empty()) text += "; ";
    text += reason.message;
  }
  return text;
}

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

void print_table(const std::vector<wf::AccountHealthResult>& results) {
  std::size_t email_width = 5;
  for (const auto& r : results) email_width = std::max(email_width, r.email.size());
  std::cout << padded("EMAIL", email_width) << "  " << padded("LEVEL", 8) << "  " << padded("SCORE", 5) << "  "
            << padded("BOUNCE", 14) << "  REASONS\n";
  for (const auto& r : results) {
    std::string row = padded(r.email, email_width) + "  " + padded(std::string(wf::to_string(r.level)), 8) + "  " +
                      padded(score_text(r), 5) + "  " + padded(bounce_text(r), 14) + "  " + reasons_text(r);
    row.erase(row.find_last_not_of(' ') + 1);  // no trailing blanks on rows without reasons
    std::cout << row << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Health of the workspace's sending accounts (key from INSTANTLY_API_KEY).");
  wf::AccountHealthOptions options;
  std::vector<std::string> emails;
  app.add_option("emails", emails, "Only these accounts (default: all)");
  app.add_option("--days", options.window_days, "Days of sending the bounce rate covers (1..31)")
      ->capture_default_str();
  app.add_option("--warmup-warning", options.thresholds.warmup_score_warning, "Warn below this warmup score")
      ->capture_default_str();
  app.add_option("--warmup-critical", options.thresholds.warmup_score_critical, "Critical below this warmup score")
      ->capture_default_str();
  app.add_option("--bounce-warning", options.thresholds.bounce_rate_warning, "Warn above this bounce rate (0.03 = 3 %)")
      ->capture_default_str();
  app.add_option("--bounce-critical", options.thresholds.bounce_rate_critical, "Critical above this bounce rate")
      ->capture_default_str();
  app.add_option("--min-sent", options.thresholds.min_sent_for_bounce_rate,
                 "Judge the bounce rate only from this many emails sent")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    const wf::AccountHealth health(instantly::Client::from_env(), options);
    const std::vector<wf::AccountHealthResult> results = emails.empty() ? health.check() : health.check(emails);
    print_table(results);
    const auto critical = std::count_if(results.begin(), results.end(),
                                        [](const auto& r) { return r.level == wf::HealthLevel::Critical; });
    const auto warning = std::count_if(results.begin(), results.end(),
                                       [](const auto& r) { return r.level == wf::HealthLevel::Warning; });
    std::cout << results.size() << " accounts: " << critical << " critical, " << warning << " warning\n";
    return critical > 0 ? 2 : 0;
  } catch (const instantly::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
