// Prints the health of every sending account (or of the ones named) as a
// table, and exits 2 when any account is critical, so cron or CI can alert.
//
//   INSTANTLY_API_KEY=... ./account_health
//   ./account_health --days 14 ann@acme.com bob@acme.com
//   ./account_health --warmup-warning 85 --bounce-critical 0.08
//   INSTANTLY_DATABASE_URL=postgresql://... ./account_health --organization UUID   # also recorded
//
// With --database (or INSTANTLY_DATABASE_URL) and --organization, the verdicts
// are also recorded in the pipeline's PostgreSQL, one row per account in
// `instantly_account_health_snapshots` (instantly::postgres::record_account_health).
//
// As a monitor: --every SECONDS checks again on that interval until SIGINT or
// SIGTERM, and --metrics-port PORT serves GET /metrics meanwhile (accounts by
// verdict, the last check's time, the client's requests; docs/observability.md).
//
//   ./account_health --every 600 --metrics-port 9102
//
// Exit status: 0 nothing critical (warnings allowed), 2 at least one account
// critical, 1 the check itself failed (bad key, network, bad options); with
// --every, that of the last check.
#include <instantly/instantly.hpp>
#include <instantly/workflows/account_health.hpp>

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>

#ifdef ACCOUNT_HEALTH_HAVE_POSTGRES
#include <instantly/postgres.hpp>
#endif

#ifdef ACCOUNT_HEALTH_HAVE_PROMETHEUS
#include <instantly/prometheus.hpp>

#include "common/metrics_endpoint.hpp"
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
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

/// Records the verdicts in the pipeline's database; false (with a message) when it cannot.
bool record(const std::string& url, const std::string& organization, const std::vector<wf::AccountHealthResult>& results) {
#ifdef ACCOUNT_HEALTH_HAVE_POSTGRES
  instantly::postgres::Database database({.url = url, .application_name = "instantly account_health"});
  database.require_current_schema();
  std::size_t recorded = 0;
  database.in_organization(organization, [&](instantly::postgres::Transaction& tx) {
    recorded = instantly::postgres::record_account_health(tx, results, std::chrono::system_clock::now());
  });
  std::cout << "recorded " << recorded << " account snapshots in " << database.describe() << "\n";
  return true;
#else
  (void)url, (void)organization, (void)results;
  std::cerr << "error: --database: this build has no PostgreSQL support (install libpq-dev and rebuild)\n";
  return false;
#endif
}

/// Waits up to `seconds` for SIGINT/SIGTERM (blocked everywhere, so one that
/// came during a check waits here); true when one came.
bool stop_requested_within(const sigset_t& signals, int seconds) {
  timespec timeout{.tv_sec = seconds, .tv_nsec = 0};
  for (;;) {
    if (sigtimedwait(&signals, nullptr, &timeout) > 0) return true;
    if (errno == EAGAIN) return false;  // the interval passed
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
  std::string database_url, organization;
  app.add_option("--database", database_url,
                 "Also record the verdicts in the pipeline's PostgreSQL (default: $INSTANTLY_DATABASE_URL)")
      ->type_name("URL");
  app.add_option("--organization", organization, "With --database: the organisation (UUID) the rows belong to")
      ->type_name("UUID");
  std::optional<int> every_seconds, metrics_port;
  std::string metrics_host = "127.0.0.1";
  app.add_option("--every", every_seconds, "Check again every SECONDS until SIGINT/SIGTERM")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 86400));
  app.add_option("--metrics-port", metrics_port,
                 "Serve Prometheus metrics at http://HOST:PORT/metrics while running (0: a free port)")
      ->type_name("PORT")
      ->check(CLI::Range(0, 65535));
  app.add_option("--metrics-host", metrics_host, "Address for --metrics-port")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (database_url.empty() && std::getenv("INSTANTLY_DATABASE_URL") != nullptr) {
    database_url = std::getenv("INSTANTLY_DATABASE_URL");
  }
  if (!database_url.empty() && organization.empty()) {
    std::cerr << "error: --database needs --organization UUID: the organisation the rows belong to\n";
    return 1;
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // before any thread starts

  instantly::ClientOptions client_options;
#ifdef ACCOUNT_HEALTH_HAVE_PROMETHEUS
  const auto metrics = std::make_shared<instantly::prometheus::Metrics>();
  std::unique_ptr<examples::MetricsEndpoint> endpoint;
  if (metrics_port) {
    try {
      endpoint = std::make_unique<examples::MetricsEndpoint>(metrics_host, *metrics_port,
                                                             [metrics] { return metrics->text(); });
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
    client_options.observer = metrics->observer();
    std::cerr << "account_health: metrics on " << endpoint->url() << std::endl;
  }
#else
  if (metrics_port) {
    std::cerr << "error: --metrics-port: this build has no prometheus component (install prometheus-cpp-dev and rebuild)\n";
    return 1;
  }
#endif

  int status = 0;
  try {
    const wf::AccountHealth health(instantly::Client::from_env(std::move(client_options)), options);
    do {
      try {
        const std::vector<wf::AccountHealthResult> results = emails.empty() ? health.check() : health.check(emails);
        print_table(results);
        const auto critical = std::count_if(results.begin(), results.end(),
                                            [](const auto& r) { return r.level == wf::HealthLevel::Critical; });
        const auto warning = std::count_if(results.begin(), results.end(),
                                           [](const auto& r) { return r.level == wf::HealthLevel::Warning; });
        std::cout << results.size() << " accounts: " << critical << " critical, " << warning << " warning"
                  << std::endl;
#ifdef ACCOUNT_HEALTH_HAVE_PROMETHEUS
        metrics->set_account_health({.ok = static_cast<std::int64_t>(results.size()) - critical - warning,
                                     .warning = warning,
                                     .critical = critical});
#endif
        status = critical > 0 ? 2 : 0;
        if (!database_url.empty() && !record(database_url, organization, results)) status = 1;
      } catch (const instantly::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        status = 1;
      }
    } while (every_seconds && !stop_requested_within(stop_signals, *every_seconds));
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return status;
}
