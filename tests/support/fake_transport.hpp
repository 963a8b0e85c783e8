// A Transport for tests: answers from a script and records what was sent.
//
// Each scripted step is either a response or a connection failure; once the
// script runs out, the last step repeats. Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"

namespace instantly::testing {

/// A transport failure to throw instead of answering.
struct ConnectionFailure {
  ApiConnectionError::Stage stage = ApiConnectionError::Stage::Connect;
  bool timeout = false;
};

inline HttpResponse json_response(int status, std::string body, HttpHeaders headers = {}) {
  headers.set("Content-Type", "application/json");
  return HttpResponse{status, std::move(headers), std::move(body)};
}

inline HttpResponse text_response(int status, std::string body, HttpHeaders headers = {}) {
  headers.set("Content-Type", "text/plain");
  return HttpResponse{status, std::move(headers), std::move(body)};
}

class FakeTransport final : public Transport {
 public:
  using Step = std::variant<HttpResponse, ConnectionFailure>;
  /// Computes the answer from the request (for pagination fakes and the like).
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  FakeTransport() = default;
  explicit FakeTransport(std::vector<Step> script) : script_(script.begin(), script.end()) {}
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  HttpResponse send(const HttpRequest& request) override {
    Step step;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      if (handler_) return handler_(request);
      if (script_.empty()) return HttpResponse{200, {}, "{}"};
      step = script_.front();
      if (script_.size() > 1) script_.pop_front();
    }
    if (const auto* failure = std::get_if<ConnectionFailure>(&step)) {
      if (failure->timeout) throw ApiTimeoutError("operation timed out", {}, failure->stage);
      throw ApiConnectionError(failure->stage, "could not connect to 127.0.0.1");
    }
    return std::get<HttpResponse>(step);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Step> script_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

}  // namespace instantly::testing
