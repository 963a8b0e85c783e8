// Logs (instantly/log.hpp): INSTANTLY_LOG, and the stderr logger's lines.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_env.hpp"
#include "instantly/log.hpp"

namespace {

using instantly::LogField;
using instantly::LogLevel;
using instantly::parse_log_setting;

std::vector<std::string> warnings_for(const char* value, bool& got_logger) {
  std::vector<std::string> warnings;
  got_logger = instantly::detail::logger_for_setting(value, [&warnings](std::string_view text) {
                 warnings.emplace_back(text);
               }) != nullptr;
  return warnings;
}

}  // namespace

TEST_SUITE("INSTANTLY_LOG") {
  TEST_CASE("names a level, in any case") {
    CHECK(parse_log_setting("debug").level == LogLevel::Debug);
    CHECK(parse_log_setting("DEBUG").level == LogLevel::Debug);
    CHECK(parse_log_setting("Info").level == LogLevel::Info);
    CHECK(parse_log_setting("warning").level == LogLevel::Warning);
    CHECK(parse_log_setting("warn").level == LogLevel::Warning);
    CHECK(parse_log_setting("error").level == LogLevel::Error);
    for (std::string_view off : {"", "off", "OFF", "none"}) {
      CHECK(parse_log_setting(off).recognised);
      CHECK_FALSE(parse_log_setting(off).level.has_value());
    }
  }

  TEST_CASE("anything else is not recognised") {
    for (std::string_view value : {"verbose", "1", "true", " debug", "debug ", "trace", "a-very-long-value-indeed"}) {
      CAPTURE(value);
      CHECK_FALSE(parse_log_setting(value).recognised);
      CHECK_FALSE(parse_log_setting(value).level.has_value());
    }
  }

  TEST_CASE("an unknown value is named in one warning and ignored") {
    bool got_logger = true;
    const auto warnings = warnings_for("verbose", got_logger);
    CHECK_FALSE(got_logger);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("INSTANTLY_LOG=verbose") != std::string::npos);
    CHECK(warnings[0].find("ignored") != std::string::npos);
  }

  TEST_CASE("a hostile value cannot break the warning's line") {
    bool got_logger = true;
    const auto warnings = warnings_for("x\nforged line", got_logger);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find('\n') == std::string::npos);
    CHECK(warnings[0].find("\"x\\nforged line\"") != std::string::npos);
  }

  TEST_CASE("a known value gives a logger at that level, unset or off gives none") {
    bool got_logger = false;
    CHECK(warnings_for("info", got_logger).empty());
    CHECK(got_logger);
    CHECK(instantly::detail::logger_for_setting("info", [](std::string_view) {})->enabled(LogLevel::Info));
    CHECK_FALSE(instantly::detail::logger_for_setting("info", [](std::string_view) {})->enabled(LogLevel::Debug));
    CHECK(warnings_for(nullptr, got_logger).empty());
    CHECK_FALSE(got_logger);
    CHECK(warnings_for("off", got_logger).empty());
    CHECK_FALSE(got_logger);
  }
}

TEST_SUITE("stderr logger") {
  TEST_CASE("one logfmt line: bare values when they can be, quoted and escaped otherwise") {
    const std::array<LogField, 6> fields{
        LogField{"operation", std::string_view("getCampaign")},
        LogField{"path", std::string_view("/api/v2/campaigns/{id}")},
        LogField{"attempt", std::int64_t{2}},
        LogField{"duration_ms", 1.5},
        LogField{"stop_reason", std::string_view("retries exhausted")},
        LogField{"odd", std::string_view("a\"b\\c\x01=")},
    };
    CHECK(instantly::detail::format_log_line(LogLevel::Info, "retrying", fields) ==
          "instantly info retrying operation=getCampaign path=/api/v2/campaigns/{id} attempt=2 duration_ms=1.500 "
          "stop_reason=\"retries exhausted\" odd=\"a\\\"b\\\\c\\x01=\"");
  }

  TEST_CASE("a message cannot add a line") {
    CHECK(instantly::detail::format_log_line(LogLevel::Warning, "two\nlines", {}) == "instantly warning two\\nlines");
  }
}
