// The analytics_sync example's command line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace analytics_sync {

struct Options {
  std::string db_path;  ///< --db: a SQLite file
  /// --database, else INSTANTLY_DATABASE_URL: the pipeline's PostgreSQL, with `organization`.
  std::string database_url;
  std::string organization;
  int interval_seconds = 300;
  bool once = false;
  std::vector<std::string> campaign_ids;  ///< empty = every campaign, drafts included
  std::size_t chunk_size = 100;
  std::optional<std::string> start_date;
  std::optional<std::string> end_date;
  /// --metrics-port: serve GET /metrics there while running (0: a free port).
  std::optional<int> metrics_port;
  std::string metrics_host = "127.0.0.1";
};

/// Throws std::invalid_argument with a message for the user; `help` gets the
/// help text when -h/--help was given (the options are then not checked).
Options parse_options(int argc, const char* const* argv, std::string& help);

}  // namespace analytics_sync
