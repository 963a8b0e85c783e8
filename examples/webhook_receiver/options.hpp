// The receiver's command line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace webhook_receiver {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 lets the OS choose
  std::string db_path;  ///< --db: a SQLite file (one receiver)
  /// --database, else INSTANTLY_DATABASE_URL: postgresql://... (any number of
  /// receivers), with `organization`, whose rows the receiver writes.
  std::string database_url;
  std::string organization;
  std::string secret_header = "X-Webhook-Secret";
  /// Accepted secrets (several during a rotation); from --secret, else
  /// INSTANTLY_WEBHOOK_SECRET (comma-separated), which keeps them out of `ps`.
  std::vector<std::string> secrets;
  int threads = 16;
  /// --spool: where deliveries are acknowledged from (docs/nothing-lost.md); default
  /// `<db>.spool` beside a SQLite file, `instantly-webhooks.spool` with PostgreSQL.
  std::string spool_dir;
  std::uint64_t spool_max_bytes = std::uint64_t{1} << 30;
  /// --drain: forward what the spool holds into the store and exit (no HTTP).
  bool drain = false;
  /// --reparse: parse the kept unparsed bodies again and exit (no HTTP, no spool).
  bool reparse = false;
  /// Testing aids: answer 500 before spooling (`fail_rate`) or after spooling
  /// (`lose_ack_rate`, as if the acknowledgement were lost) for that fraction
  /// of verified deliveries, drawn from a generator seeded with `seed`.
  double fail_rate = 0;
  double lose_ack_rate = 0;
  std::uint64_t seed = 1;
};

/// Throws std::invalid_argument with a message for the user; `help` gets the
/// help text when -h/--help was given (the options are then not checked).
Options parse_options(int argc, const char* const* argv, std::string& help);

}  // namespace webhook_receiver
