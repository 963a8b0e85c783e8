// The C++ half of `instantly.Client`: an `instantly::Client` plus the settings and
// transport it was built with, so that `with_options` copies share connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/client.hpp"

namespace instantly_python {

/// What `instantly.Client(...)` passes down (already defaulted on the Python side).
struct CoreSettings {
  std::string api_key;
  std::string base_url;
  double timeout_seconds = 60.0;
  int max_retries = 2;
  std::optional<std::string> workspace;
  std::optional<std::string> user_agent;
  bool rate_limit = true;
  /// Where the rate-limit budget lives (rate_limit_backend.hpp); empty = this process.
  std::optional<std::string> rate_limit_backend;
  std::size_t max_response_bytes = instantly::kDefaultMaxResponseBytes;
  bool validate_requests = true;
  /// `Client(observer=...)` (python_observer.hpp); null for none. Kept by with_options.
  std::shared_ptr<instantly::Observer> observer;
};

/// Not thread-safe by itself: Python only touches it with the GIL held. Calls
/// take a copy of the client (`client()`), which is safe to use from any thread.
class Core {
 public:
  /// Throws `instantly::ValidationError` for a missing key, a bad URL or timeout.
  explicit Core(const CoreSettings& settings);

  /// A new core with other settings, sharing this one's transport (connections)
  /// and, through the library's registry, its rate limits.
  Core with_options(double timeout_seconds, int max_retries, std::optional<std::string> workspace,
                    std::size_t max_response_bytes, bool validate_requests) const;

  /// Drops this core's client and transport; calls afterwards raise an error.
  /// Calls already running finish with their own copy.
  void close() noexcept;
  bool closed() const noexcept { return !client_.has_value(); }

  /// A copy of the client for one call. Throws `instantly::Error` once closed.
  instantly::Client client() const;

  /// `<instantly._core.Core base_url=... workspace=...>`; never the key.
  std::string repr() const;

 private:
  explicit Core(instantly::ClientOptions options);

  instantly::ClientOptions options_;
  std::optional<instantly::Client> client_;
};

/// Seconds from Python as the library's milliseconds (at least 1 ms).
/// Throws `instantly::ValidationError` naming `what` when not a positive number.
std::chrono::milliseconds to_milliseconds(double seconds, std::string_view what);

}  // namespace instantly_python
