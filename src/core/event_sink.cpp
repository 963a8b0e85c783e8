#include "core/event_sink.hpp"

#include <array>
#include <utility>

namespace instantly::detail {

std::shared_ptr<const EventSink> EventSink::make(std::shared_ptr<Observer> observer,
                                                 std::shared_ptr<Logger> logger) {
  if (!observer && !logger) return nullptr;
  return std::make_shared<EventSink>(std::move(observer), std::move(logger));
}

EventSink::EventSink(std::shared_ptr<Observer> observer, std::shared_ptr<Logger> logger)
    : observer_(std::move(observer)), logger_(std::move(logger)) {
  if (logger_) log_lines_ = make_logging_observer(logger_);
}

void EventSink::report_broken_observer(std::string_view what) const noexcept {
  if (broken_reported_.exchange(true)) return;
  const std::array<LogField, 1> fields{LogField{"error", what}};
  constexpr std::string_view message = "an observer threw; the call went on, and further errors of this "
                                       "client's observers are not reported";
  try {
    if (logger_) {
      logger_->log(LogLevel::Warning, message, fields);
      return;
    }
  } catch (...) {
    // The logger is what failed (it runs as an observer too): stderr still works.
  }
  try {
    static const std::shared_ptr<Logger> fallback = make_stderr_logger(LogLevel::Warning);
    fallback->log(LogLevel::Warning, message, fields);
  } catch (...) {
    // Nothing is left to report to; the call must not fail for it.
  }
}

}  // namespace instantly::detail
