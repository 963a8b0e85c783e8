// Events as log lines: the levels and fields listed in instantly/log.hpp. A
// line is only built once the logger says its level is wanted.
#include <array>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "instantly/log.hpp"
#include "instantly/observer.hpp"

namespace instantly {
namespace {

double log_milliseconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

std::int64_t log_count(std::size_t value) { return static_cast<std::int64_t>(value); }

// A call is named the same way in every line, so that one grep finds all of its lines.
void add_call_fields(std::vector<LogField>& fields, const CallName& call) {
  if (!call.operation.empty()) fields.push_back({"operation", call.operation});
  fields.push_back({"method", call.method});
  fields.push_back({"path", call.path_template});
}

class LoggingObserver final : public Observer {
 public:
  explicit LoggingObserver(std::shared_ptr<Logger> logger) : logger_(std::move(logger)) {}

  void on_attempt(const AttemptEvent& event) override {
    if (!logger_->enabled(LogLevel::Debug)) return;
    std::vector<LogField> fields;
    fields.reserve(9);
    add_call_fields(fields, event.call);
    fields.push_back({"attempt", std::int64_t{event.attempt}});
    if (event.status) fields.push_back({"status", std::int64_t{*event.status}});
    if (!event.failure.empty()) fields.push_back({"failure", event.failure});
    fields.push_back({"duration_ms", log_milliseconds(event.duration)});
    fields.push_back({"bytes_out", log_count(event.request_bytes)});
    fields.push_back({"bytes_in", log_count(event.response_bytes)});
    logger_->log(LogLevel::Debug, "request", fields);
  }

  void on_retry(const RetryEvent& event) override {
    if (!logger_->enabled(LogLevel::Info)) return;
    std::vector<LogField> fields;
    fields.reserve(8);
    add_call_fields(fields, event.call);
    fields.push_back({"attempt", std::int64_t{event.attempt}});
    fields.push_back({"reason", std::string_view(to_string(event.reason))});
    if (event.status) fields.push_back({"status", std::int64_t{*event.status}});
    fields.push_back({"delay_ms", std::int64_t{event.delay.count()}});
    fields.push_back({"delay_from", std::string_view(event.delay_from_retry_after ? "retry_after" : "backoff")});
    logger_->log(LogLevel::Info, "retrying", fields);
  }

  void on_rate_limit_wait(const RateLimitWaitEvent& event) override {
    if (!logger_->enabled(LogLevel::Info)) return;
    std::vector<LogField> fields;
    fields.reserve(6);
    add_call_fields(fields, event.call);
    fields.push_back({"attempt", std::int64_t{event.attempt}});
    fields.push_back({"bucket", event.bucket});
    fields.push_back({"waited_ms", log_milliseconds(event.waited)});
    logger_->log(LogLevel::Info, "waited for the rate limit", fields);
  }

  void on_call_failed(const CallFailedEvent& event) override {
    // Giving up after trying (or refusing to retry) is news; a 404 on the first try is the
    // caller's to handle, and they get the exception.
    const bool gave_up = !event.stop_reason.empty();
    const LogLevel level = gave_up ? LogLevel::Warning : LogLevel::Debug;
    if (!logger_->enabled(level)) return;
    std::vector<LogField> fields;
    fields.reserve(8);
    add_call_fields(fields, event.call);
    fields.push_back({"attempts", std::int64_t{event.attempts}});
    fields.push_back({"error", event.error_type});
    if (event.status) fields.push_back({"status", std::int64_t{*event.status}});
    if (gave_up) fields.push_back({"stop_reason", event.stop_reason});
    fields.push_back({"elapsed_ms", log_milliseconds(event.elapsed)});
    logger_->log(level, gave_up ? "giving up" : "call failed", fields);
  }

  void on_workflow(const WorkflowEvent& event) override {
    const LogLevel level = level_of(event.action);
    if (!logger_->enabled(level)) return;
    std::vector<LogField> fields;
    fields.reserve(5);
    fields.push_back({"workflow", event.workflow});
    fields.push_back({"action", event.action});
    if (!event.reason.empty()) fields.push_back({"reason", event.reason});
    fields.push_back({"items", log_count(event.items)});
    if (event.duration.count() > 0) fields.push_back({"duration_ms", log_milliseconds(event.duration)});
    logger_->log(level, "workflow", fields);
  }

 private:
  static LogLevel level_of(std::string_view action) {
    if (action == "chunk_failed" || action == "delivery_refused" || action == "run_failed" ||
        action == "delivery_unparsed" || action == "spool_nearly_full") {
      return LogLevel::Warning;
    }
    if (action == "chunk_retried" || action == "run_finished") return LogLevel::Info;
    return LogLevel::Debug;
  }

  std::shared_ptr<Logger> logger_;
};

}  // namespace

std::shared_ptr<Observer> make_logging_observer(std::shared_ptr<Logger> logger) {
  if (!logger) return nullptr;
  return std::make_shared<LoggingObserver>(std::move(logger));
}

}  // namespace instantly
