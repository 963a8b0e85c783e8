#include "options.hpp"

#include <CLI/CLI.hpp>

#include <stdexcept>

#include "common/store_choice.hpp"

namespace analytics_sync {

Options parse_options(int argc, const char* const* argv, std::string& help) {
  Options o;
  CLI::App app(
      "Snapshots Instantly campaign analytics on an interval and appends them to SQLite or PostgreSQL.\n"
      "The API key comes from INSTANTLY_API_KEY, the base URL from INSTANTLY_BASE_URL.",
      "analytics_sync");
  app.set_help_flag("-h,--help", "Print this help and exit");
  auto* sqlite = app.add_option("--db", o.db_path, "SQLite file (created when missing)")->type_name("FILE");
  auto* database = app.add_option("--database", o.database_url,
                                  "The pipeline's PostgreSQL (default: $INSTANTLY_DATABASE_URL, which keeps the "
                                  "password out of `ps`)")
                       ->type_name("URL")
                       ->excludes(sqlite);
  sqlite->excludes(database);
  app.add_option("--organization", o.organization, "With --database: the organisation (UUID) the rows belong to")
      ->type_name("UUID");
  app.add_option("--interval", o.interval_seconds, "Seconds between syncs")
      ->check(CLI::Range(1, 7 * 24 * 3600))
      ->capture_default_str();
  app.add_flag("--once", o.once, "Sync once and exit (for cron)");
  app.add_option("--campaign", o.campaign_ids, "Campaign id to follow (repeat); default: every campaign")
      ->type_name("ID")
      ->allow_extra_args(false);
  app.add_option("--chunk-size", o.chunk_size, "Campaign ids per analytics call")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--start-date", o.start_date, "Count events from this date (YYYY-MM-DD)")->type_name("DATE");
  app.add_option("--end-date", o.end_date, "Count events up to this date (YYYY-MM-DD)")->type_name("DATE");
  app.add_option("--metrics-port", o.metrics_port,
                 "Serve Prometheus metrics at http://HOST:PORT/metrics while running (0: a free port)")
      ->type_name("PORT")
      ->check(CLI::Range(0, 65535));
  app.add_option("--metrics-host", o.metrics_host, "Address for --metrics-port")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    help = app.help();
    return o;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(e.what());
  }
  examples::check_store_choice(o.db_path, o.database_url, o.organization, "the snapshots");
  return o;
}

}  // namespace analytics_sync
