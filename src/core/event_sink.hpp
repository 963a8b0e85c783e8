// Where a client's events go: the caller's Observer and, when the client has a
// logger, the observer that writes events as log lines. The sink stands
// between both and the call: whatever they throw is caught here, the call goes
// on, and the first such error is reported once.
#pragma once

#include <atomic>
#include <exception>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "instantly/log.hpp"
#include "instantly/observer.hpp"

namespace instantly::detail {

class EventSink {
 public:
  /// Null when there is nobody to tell (neither an observer nor a logger), so
  /// that an unobserved client pays one pointer check per event and nothing else.
  static std::shared_ptr<const EventSink> make(std::shared_ptr<Observer> observer,
                                               std::shared_ptr<Logger> logger);

  EventSink(std::shared_ptr<Observer> observer, std::shared_ptr<Logger> logger);

  void attempt(const AttemptEvent& event) const noexcept { deliver(&Observer::on_attempt, event); }
  void retry(const RetryEvent& event) const noexcept { deliver(&Observer::on_retry, event); }
  void rate_limit_wait(const RateLimitWaitEvent& event) const noexcept {
    deliver(&Observer::on_rate_limit_wait, event);
  }
  void call_succeeded(const CallSucceededEvent& event) const noexcept {
    deliver(&Observer::on_call_succeeded, event);
  }
  void call_failed(const CallFailedEvent& event) const noexcept { deliver(&Observer::on_call_failed, event); }
  void workflow(const WorkflowEvent& event) const noexcept { deliver(&Observer::on_workflow, event); }

 private:
  template <class Event>
  void deliver(void (Observer::*hook)(const Event&), const Event& event) const noexcept {
    for (Observer* target : {observer_.get(), log_lines_.get()}) {
      if (target == nullptr) continue;
      try {
        (target->*hook)(event);
      } catch (const std::exception& error) {
        report_broken_observer(error.what());
      } catch (...) {
        report_broken_observer("an exception not derived from std::exception");
      }
    }
  }

  /// Once per sink: a broken observer would otherwise flood the log, one line per event.
  void report_broken_observer(std::string_view what) const noexcept;

  std::shared_ptr<Observer> observer_;   // the caller's; may be null
  std::shared_ptr<Logger> logger_;       // may be null
  std::shared_ptr<Observer> log_lines_;  // events as lines through logger_; null without one
  mutable std::atomic<bool> broken_reported_{false};
};

}  // namespace instantly::detail
