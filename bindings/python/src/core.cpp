#include "core.hpp"

#include <cmath>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"
#include "instantly/version.hpp"
#include "python_logger.hpp"
#include "rate_limit_backend.hpp"

namespace instantly_python {
namespace {

// Says which package made the request, and which core it runs on.
std::string default_user_agent() {
  return std::string("instantly-python/") + instantly::kVersion + " instantly-cpp/" +
         instantly::kVersion;
}

[[noreturn]] void throw_closed() {
  throw instantly::Error("this client is closed; create a new instantly.Client");
}

std::string python_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::chrono::milliseconds to_milliseconds(double seconds, std::string_view what) {
  if (!std::isfinite(seconds) || seconds <= 0) {
    throw instantly::ValidationError(std::string(what) + " must be a positive number of seconds");
  }
  const double ms = std::ceil(seconds * 1000.0);
  if (ms > 1e15) throw instantly::ValidationError(std::string(what) + " is too large");
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(ms));
}

Core::Core(const CoreSettings& settings)
    : Core([&] {
        instantly::ClientOptions options;
        options.api_key = settings.api_key;
        options.base_url = settings.base_url;
        options.workspace = settings.workspace;
        options.user_agent = settings.user_agent.value_or(default_user_agent());
        options.timeout = to_milliseconds(settings.timeout_seconds, "timeout");
        options.retry.max_retries = settings.max_retries;
        options.max_response_bytes = settings.max_response_bytes;
        options.validate_requests = settings.validate_requests;
        options.rate_limit.enabled = settings.rate_limit;
        options.rate_limiter = rate_limiter_for(settings.rate_limit_backend, options);
        options.transport = instantly::make_curl_transport();
        // The caller's observer takes the one observer slot; the logger below has its own.
        options.observer = settings.observer;
        // Events become records of the `instantly` logger (INSTANTLY_LOG is read by the
        // package, which sets that logger up), never lines of the C++ default logger.
        options.logger = python_logger();
        refresh_python_log_level();
        return options;
      }()) {}

Core::Core(instantly::ClientOptions options)
    : options_(std::move(options)), client_(instantly::Client(options_)) {}

Core Core::with_options(double timeout_seconds, int max_retries, std::optional<std::string> workspace,
                        std::size_t max_response_bytes, bool validate_requests) const {
  if (closed()) throw_closed();
  instantly::ClientOptions options = options_;
  options.max_response_bytes = max_response_bytes;
  options.validate_requests = validate_requests;
  options.timeout = to_milliseconds(timeout_seconds, "timeout");
  options.retry.max_retries = max_retries;
  options.workspace = std::move(workspace);
  return Core(std::move(options));
}

void Core::close() noexcept {
  client_.reset();
  options_.transport.reset();
}

instantly::Client Core::client() const {
  if (!client_) throw_closed();
  return *client_;
}

std::string Core::repr() const {
  std::string out = "<instantly._core.Core base_url=" + python_quoted(options_.base_url) + " workspace=";
  out += options_.workspace ? python_quoted(*options_.workspace) : std::string("None");
  if (closed()) out += " closed";
  return out + ">";
}

}  // namespace instantly_python
