// Logs: where a Client's events become lines a person reads.
//
// A `Logger` takes a level, a short message and structured fields. Set one in
// `ClientOptions::logger` to route the client's events into your logging
// (spdlog, glog, a JSON writer); without one a client uses `default_logger()`,
// which writes one line per event to stderr when the environment variable
// `INSTANTLY_LOG` is `debug`, `info` or `warning`, and nothing otherwise.
//
// What is logged at which level:
//   debug    each attempt (operation, method, path template, status, duration, bytes)
//   info     each retry (why, how long the wait) and each rate-limit wait
//   warning  a call given up on after retrying (or refused a retry), a workflow
//            chunk that failed, a refused webhook delivery
// A call that simply fails (a 404 on the first attempt) is logged at debug:
// the caller gets the exception and decides.
//
// No line ever holds the API key, a header value or a body.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

namespace instantly {

class Observer;

enum class LogLevel { Debug, Info, Warning, Error };

/// "debug", "info", "warning", "error".
const char* to_string(LogLevel level) noexcept;

/// One structured field of a log line. Values are valid only during `Logger::log`.
struct LogField {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double> value;
};

/// Thread-safety: called from many threads at once.
class Logger {
 public:
  virtual ~Logger() = default;

  /// Whether lines of `level` are wanted; asked before a line is built, so
  /// keep it cheap (a load of an atomic threshold, say). Must not throw.
  virtual bool enabled(LogLevel level) const noexcept = 0;

  /// Writes one line. An exception thrown here is caught by the client and
  /// reported once on stderr.
  virtual void log(LogLevel level, std::string_view message, std::span<const LogField> fields) = 0;
};

/// A logger that writes one line per message to stderr, from `threshold` up:
///   2026-12-06T21:50:00.123Z instantly info retrying operation=getCampaign method=GET ...
/// Values with spaces, quotes or '=' are quoted; control characters are escaped.
std::shared_ptr<Logger> make_stderr_logger(LogLevel threshold);

/// The logger of clients that set none: a stderr logger at the level named by
/// `INSTANTLY_LOG` (`debug`, `info`, `warning`, case-insensitive), or null
/// (nothing logged) when it is unset, empty or `off`. Any other value is named
/// in one warning on stderr and ignored. The variable is read once per process.
std::shared_ptr<Logger> default_logger();

/// The level an `INSTANTLY_LOG` value names, or nothing for `off`, `none` or
/// an empty value. `recognised` is false for any other value.
struct LogSetting {
  std::optional<LogLevel> level;
  bool recognised = true;
};
LogSetting parse_log_setting(std::string_view value) noexcept;

/// An Observer that writes each event as one line through `logger`, at the
/// levels listed at the top of this file. A client with a logger uses one by
/// itself; this is for adding log lines to an observer of your own making.
std::shared_ptr<Observer> make_logging_observer(std::shared_ptr<Logger> logger);

}  // namespace instantly
