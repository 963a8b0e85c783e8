// combine_observers: several observers in the one ClientOptions::observer slot.
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "instantly/observer.hpp"

namespace instantly {
namespace {

class CombinedObserver final : public Observer {
 public:
  explicit CombinedObserver(std::vector<std::shared_ptr<Observer>> observers) : observers_(std::move(observers)) {}

  void on_attempt(const AttemptEvent& event) override { each(&Observer::on_attempt, event); }
  void on_retry(const RetryEvent& event) override { each(&Observer::on_retry, event); }
  void on_rate_limit_wait(const RateLimitWaitEvent& event) override { each(&Observer::on_rate_limit_wait, event); }
  void on_call_succeeded(const CallSucceededEvent& event) override { each(&Observer::on_call_succeeded, event); }
  void on_call_failed(const CallFailedEvent& event) override { each(&Observer::on_call_failed, event); }
  void on_workflow(const WorkflowEvent& event) override { each(&Observer::on_workflow, event); }

 private:
  template <class Event>
  void each(void (Observer::*hook)(const Event&), const Event& event) {
    std::exception_ptr first_error;
    for (const auto& observer : observers_) {
      try {
        (observer.get()->*hook)(event);
      } catch (...) {
        if (!first_error) first_error = std::current_exception();
      }
    }
    // The client catches and reports it, as for a single observer.
    if (first_error) std::rethrow_exception(first_error);
  }

  std::vector<std::shared_ptr<Observer>> observers_;  // none null
};

}  // namespace

std::shared_ptr<Observer> combine_observers(std::vector<std::shared_ptr<Observer>> observers) {
  std::erase(observers, nullptr);
  return std::make_shared<CombinedObserver>(std::move(observers));
}

}  // namespace instantly
