// How INSTANTLY_LOG becomes the default logger, apart from the process-wide
// read of the variable, and how the stderr logger writes a line: separate so
// that tests can feed them values.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "instantly/log.hpp"

namespace instantly::detail {

/// One line of the stderr logger, without its timestamp and newline:
/// `instantly info retrying operation=getCampaign path=/api/v2/campaigns/{id} delay_ms=2000`.
std::string format_log_line(LogLevel level, std::string_view message, std::span<const LogField> fields);

/// The logger `value` (INSTANTLY_LOG, null when unset) asks for: a stderr
/// logger at its level, or null. An unrecognised value is named through
/// `warn`, once, and ignored.
std::shared_ptr<Logger> logger_for_setting(const char* value, const std::function<void(std::string_view)>& warn);

}  // namespace instantly::detail
