// The stderr logger, INSTANTLY_LOG, and the names of levels and retry reasons.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <type_traits>
#include <variant>

#include "core/log_env.hpp"
#include "core/utc_timestamp.hpp"
#include "instantly/observer.hpp"

namespace instantly {
namespace {

// Longer values are cut in the warning: the variable is the user's, but a
// pasted blob should not become a wall of text.
constexpr std::size_t kMaxQuotedLogSetting = 40;

bool log_needs_quotes(std::string_view value) {
  return value.empty() || std::any_of(value.begin(), value.end(), [](char ch) {
           const auto c = static_cast<unsigned char>(ch);
           return c <= 0x20 || c == 0x7f || ch == '"' || ch == '=' || ch == '\\';
         });
}

// Control characters as \n, \t or \xNN, and '"' and '\' escaped, so that nothing can break
// the line or forge another field.
void append_log_escaped(std::string& out, std::string_view value) {
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
}

// logfmt-style: bare when it can be, quoted otherwise.
void append_log_value(std::string& out, std::string_view value) {
  if (!log_needs_quotes(value)) {
    out.append(value);
    return;
  }
  out += '"';
  append_log_escaped(out, value);
  out += '"';
}

void append_log_number(std::string& out, std::int64_t value) { out += std::to_string(value); }

void append_log_number(std::string& out, double value) {
  std::array<char, 64> text{};
  const auto result = std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed, 3);
  if (result.ec == std::errc()) out.append(text.data(), result.ptr);
}


class StderrLogger final : public Logger {
 public:
  explicit StderrLogger(LogLevel threshold) : threshold_(threshold) {}

  bool enabled(LogLevel level) const noexcept override { return level >= threshold_; }

  void log(LogLevel level, std::string_view message, std::span<const LogField> fields) override {
    if (!enabled(level)) return;
    std::string line;
    line.reserve(160);
    line += detail::utc_timestamp_millis(std::chrono::system_clock::now());
    line += ' ';
    line += detail::format_log_line(level, message, fields);
    line += '\n';
    // One write per line, so that lines from many threads do not interleave.
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

 private:
  LogLevel threshold_;
};

std::string printable_setting(std::string_view value) {
  std::string out;
  append_log_value(out, value.substr(0, kMaxQuotedLogSetting));
  if (value.size() > kMaxQuotedLogSetting) out += "...";
  return out;
}

}  // namespace

const char* to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
  }
  return "unknown";
}

const char* to_string(RetryReason reason) noexcept {
  switch (reason) {
    case RetryReason::RateLimited: return "rate_limited";
    case RetryReason::RequestTimeout: return "request_timeout";
    case RetryReason::ServerError: return "server_error";
    case RetryReason::ConnectionFailed: return "connection_failed";
    case RetryReason::Timeout: return "timeout";
  }
  return "unknown";
}

LogSetting parse_log_setting(std::string_view value) noexcept {
  std::array<char, 16> lower{};
  if (value.size() > lower.size()) return {.level = std::nullopt, .recognised = false};
  for (std::size_t i = 0; i < value.size(); ++i) {
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
  }
  const std::string_view name(lower.data(), value.size());
  if (name.empty() || name == "off" || name == "none") return {};
  if (name == "debug") return {.level = LogLevel::Debug};
  if (name == "info") return {.level = LogLevel::Info};
  if (name == "warning" || name == "warn") return {.level = LogLevel::Warning};
  if (name == "error") return {.level = LogLevel::Error};
  return {.level = std::nullopt, .recognised = false};
}

std::shared_ptr<Logger> make_stderr_logger(LogLevel threshold) {
  return std::make_shared<StderrLogger>(threshold);
}

std::shared_ptr<Logger> default_logger() {
  // Read once: a process's logging does not change under it, and the warning for a bad
  // value is given once, not once per Client.
  static const std::shared_ptr<Logger> logger =
      detail::logger_for_setting(std::getenv("INSTANTLY_LOG"), [](std::string_view warning) {
        const std::array<LogField, 0> none{};
        make_stderr_logger(LogLevel::Warning)->log(LogLevel::Warning, warning, none);
      });
  return logger;
}

}  // namespace instantly

namespace instantly::detail {

std::string format_log_line(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  std::string line = "instantly ";
  line.append(to_string(level)).append(" ");
  append_log_escaped(line, message);
  for (const LogField& field : fields) {
    line += ' ';
    line.append(field.key);
    line += '=';
    std::visit([&line](const auto& value) {
      if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string_view>) {
        append_log_value(line, value);
      } else {
        append_log_number(line, value);
      }
    }, field.value);
  }
  return line;
}

std::shared_ptr<Logger> logger_for_setting(const char* value, const std::function<void(std::string_view)>& warn) {
  if (value == nullptr) return nullptr;
  const LogSetting setting = parse_log_setting(value);
  if (!setting.recognised) {
    warn("INSTANTLY_LOG=" + printable_setting(value) + " is not one of debug, info, warning, error, off; ignored");
    return nullptr;
  }
  return setting.level ? make_stderr_logger(*setting.level) : nullptr;
}

}  // namespace instantly::detail
