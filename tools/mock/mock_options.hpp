// How an instantly-mock is configured: the command line and the in-process
// MockServer take the same options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace instantly::mock {

/// Probability (0..1) of each injected fault, drawn once per API request.
struct FaultRates {
  double rate_limited = 0;         ///< 429 with Retry-After
  double server_error = 0;         ///< 500
  double bad_gateway = 0;          ///< 502 (plain text, as a proxy would answer)
  double unavailable = 0;          ///< 503
  double drop_connection = 0;      ///< the connection is reset before any response
  double truncate_body = 0;        ///< the body is cut off halfway, then the connection closes

  bool any() const noexcept;
};

/// Parses "429=0.05,500=0.01,502=0,503=0.01,drop=0.01,truncate=0.02"
/// (keys may be omitted; `5xx=R` sets 500, 502 and 503 to R/3 each).
/// Throws std::invalid_argument naming the bad part.
FaultRates parse_fault_rates(const std::string& text);

struct MockOptions {
  std::string host = "127.0.0.1";
  int port = 4010;
  /// Accepted API keys; empty = any non-empty Bearer token.
  std::vector<std::string> api_keys;
  int latency_ms = 0;
  int latency_jitter_ms = 0;
  FaultRates faults;
  std::uint64_t seed = 1;
  bool rate_limit = true;
  /// Loaded on start when it exists, written on stop.
  std::optional<std::string> state_file;
  /// Delays between webhook delivery attempts (4 attempts = first + 3 retries).
  std::vector<int> webhook_retry_delays_ms = {2000, 8000, 20000};
  int webhook_timeout_ms = 5000;
  /// One line per request on stderr.
  bool verbose = false;
  /// Server worker threads (0 = cpp-httplib's default).
  int threads = 0;
};

/// The outcome of reading the command line.
struct CommandLine {
  MockOptions options;
  bool show_help = false;
  bool show_version = false;
  std::string help;  ///< the --help text
};

/// Reads the command line (CLI11). Throws std::invalid_argument with a
/// message fit for the user.
CommandLine parse_command_line(int argc, const char* const* argv);

}  // namespace instantly::mock
