#include "core/client_core.hpp"

#include <cctype>
#include <random>
#include <string>
#include <utility>

#include "core/call_trace.hpp"
#include "core/error_mapping.hpp"
#include "core/event_sink.hpp"
#include "core/rate_limiter.hpp"
#include "core/retry_policy.hpp"
#include "core/url.hpp"
#include "instantly/log.hpp"
#include "instantly/version.hpp"
#include "transport/http_syntax.hpp"

namespace instantly::detail {
namespace {

// A request the API is certain to refuse costs a round trip and, in a bulk job,
// a failed batch to sort out: checking it here is cheaper (bench/validation_cost).
constexpr bool kValidateRequestsByDefault = true;

// Why a failed attempt was not retried when the call's stop came while it was on the wire.
constexpr const char* kStoppedNotRetried = "call stopped, not retried";

std::shared_ptr<Transport> default_transport() {
  // One transport per process, so every Client shares its connection pool.
  static const std::shared_ptr<Transport> transport = make_curl_transport();
  return transport;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string path_without_query(std::string_view path) {
  return std::string(path.substr(0, path.find('?')));
}

// The path goes on the request line as given (ids in it are percent-encoded by the
// resources), so it must not break that line, and no segment may be "." or "..", nor empty
// but the last: an id of ".." would otherwise address the parent once a client, proxy or
// server normalises the path (DELETE /campaigns/.. is not DELETE of a campaign). A trailing
// '/' stays: the API spells one of its paths so (POST /api/v2/supersearch-enrichment/). The
// typed calls refuse an empty id themselves (detail::path_segment).
void check_path(std::string_view path) {
  if (has_control_characters(path) || path.find(' ') != std::string_view::npos) {
    throw ValidationError("the request path contains a space or control characters; "
                          "percent-encode ids and query values");
  }
  std::string_view rest = path.substr(0, path.find_first_of("?#"));
  if (rest.empty() || rest == "/") return;
  if (rest.front() == '/') rest.remove_prefix(1);
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() && slash != std::string_view::npos) {
      throw ValidationError("the request path has an empty segment ('//'): an empty id?");
    }
    if (segment == "." || segment == "..") {
      throw ValidationError("the request path has a '" + std::string(segment) +
                            "' segment, which would address another resource: an id of '.' or '..'?");
    }
    if (slash == std::string_view::npos) return;
    rest.remove_prefix(slash + 1);
  }
}

void validate(const ClientOptions& options) {
  if (options.api_key.empty()) {
    throw ValidationError(
        "no API key: set ClientOptions::api_key or the INSTANTLY_API_KEY environment variable");
  }
  for (char c : options.api_key) {
    if (std::iscntrl(static_cast<unsigned char>(c)) || c == ' ') {
      // Never quote the key: say what is wrong with it instead.
      throw ValidationError("the API key contains whitespace or control characters; "
                            "check how it was copied or read");
    }
  }
  const std::string_view url = options.base_url;
  if (has_control_characters(url) || url.find(' ') != std::string_view::npos) {
    // Not quoted: the bytes that make it wrong would garble the message.
    throw ValidationError("base_url contains a space or control characters");
  }
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    throw ValidationError("base_url must start with http:// or https:// (got '" + options.base_url + "')");
  }
  // Both are sent as header values: a line break would add headers of the sender's choosing.
  if (options.workspace && has_control_characters(*options.workspace)) {
    throw ValidationError("the workspace id contains control characters (a line break?)");
  }
  if (has_control_characters(options.user_agent, /*allow_tab=*/true)) {
    throw ValidationError("user_agent contains control characters (a line break?)");
  }
  if (options.retry.max_retries < 0) throw ValidationError("retry.max_retries must be >= 0");
  if (options.timeout.count() <= 0 || options.connect_timeout.count() <= 0) {
    throw ValidationError("timeouts must be positive");
  }
  const RateLimitOptions& limits = options.rate_limit;
  for (const RateWindow& window : {limits.per_second, limits.per_minute}) {
    if (limits.enabled && (window.count <= 0 || window.window.count() <= 0)) {
      throw ValidationError("rate limit windows need a positive count and duration; "
                            "set rate_limit.enabled = false to turn limiting off");
    }
  }
}

}  // namespace

std::optional<std::string> serialize_body(const std::optional<Json>& body) {
  if (!body || body->is_null() || (body->is_object() && body->empty())) return std::nullopt;
  return body->dump();
}

ClientCore::ClientCore(ClientOptions options) : options_(std::move(options)) {
  validate(options_);
  user_agent_ = options_.user_agent.empty() ? std::string("instantly-cpp/") + kVersion
                                            : options_.user_agent;
  transport_ = options_.transport ? options_.transport : default_transport();
  clock_ = options_.clock ? options_.clock : system_clock();
  validate_requests_ = options_.validate_requests.value_or(kValidateRequestsByDefault);
  events_ = EventSink::make(options_.observer, options_.logger ? options_.logger : default_logger());
  if (options_.rate_limit.enabled) {
    limiter_ = options_.rate_limiter ? options_.rate_limiter
                                     : shared_workspace_limits(options_.api_key, options_.workspace.value_or(""),
                                                               options_.rate_limit, clock_);
  }
}

HttpRequest ClientCore::build_request(std::string_view method, std::string_view path,
                                      const RequestOptions& options,
                                      std::optional<std::string> body) const {
  HttpRequest request;
  request.method = upper(method);
  check_http_method(request.method);
  check_path(path);
  request.url = build_url(options_.base_url, path, options.query);
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options.timeout.value_or(options_.timeout);
  request.max_response_bytes = options.max_response_bytes.value_or(options_.max_response_bytes);
  request.body = std::move(body);

  HttpHeaders& headers = request.headers;
  headers.set("User-Agent", user_agent_);
  headers.set("Accept", "application/json");
  if (options_.workspace) headers.set("x-as-workspace", *options_.workspace);
  if (request.body) headers.set("Content-Type", "application/json");
  for (const auto& [name, value] : options.headers) {
    check_http_header(name, value);  // here, so that no transport ever gets a bad one
    if (!(name.size() == 13 && upper(name) == "AUTHORIZATION")) headers.set(name, value);
  }
  headers.set("Authorization", "Bearer " + options_.api_key);
  return request;
}

double ClientCore::next_jitter() const {
  if (options_.retry.jitter) return options_.retry.jitter();
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

HttpResponse ClientCore::execute(std::string_view method, std::string_view path,
                                 const RequestOptions& options) const {
  return execute(method, path, options, serialize_body(options.body));
}

HttpResponse ClientCore::execute(std::string_view method, std::string_view path,
                                 const RequestOptions& options, std::optional<std::string> json_body,
                                 CallIdentity identity) const {
  const CallTrace trace(events_.get(), *clock_, method, path, identity, options_.rate_limit.endpoint_limits);
  if (!trace.active()) return attempt_until_done(method, path, options, std::move(json_body), trace);
  try {
    HttpResponse response = attempt_until_done(method, path, options, std::move(json_body), trace);
    trace.succeeded(response.status);
    return response;
  } catch (const std::exception& error) {
    trace.failed(error);
    throw;
  }
}

HttpResponse ClientCore::attempt_until_done(std::string_view method, std::string_view path,
                                            const RequestOptions& options, std::optional<std::string> json_body,
                                            const CallTrace& trace) const {
  HttpRequest request = build_request(method, path, options, std::move(json_body));
  const RetryPolicy& policy = options_.retry;
  const int max_retries = options.max_retries.value_or(policy.max_retries);
  const std::stop_token& stop = options.stop;
  if (!options.finish_transfer_on_stop) request.stop = stop;
  RequestInfo info{.method = request.method, .path = path_without_query(path), .attempts = 0};
  AttemptOutcome outcome{.idempotent = options.idempotent.value_or(is_idempotent_method(request.method))};
  request.replayable = outcome.idempotent;
  const RateLimitRequest slot{.method = request.method, .path = info.path};
  const std::size_t request_bytes = request.body ? request.body->size() : 0;

  // The stop came before this attempt was sent: nothing more goes out.
  auto cancelled = [&](std::string_view while_doing) {
    return CancelledError("call stopped " + std::string(while_doing), info);
  };

  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) throw cancelled("before it was sent");
    if (limiter_) {
      const auto asked_at = trace.mark();
      if (!limiter_->acquire(slot, stop)) throw cancelled("while waiting for the rate limit");
      trace.rate_limit_granted(attempt, asked_at);
    }
    info.attempts = attempt;

    std::optional<std::chrono::milliseconds> retry_after;
    RetryReason reason = RetryReason::ServerError;
    const auto sent_at = trace.sending(attempt);
    try {
      HttpResponse response = transport_->send(request);
      trace.attempt_ended(attempt, sent_at, response.status, {}, request_bytes, response.body.size());
      if (!is_error_response(response)) return response;
      retry_after = read_retry_after(response);
      outcome.status = response.status;
      reason = retry_reason_for_status(response.status);
      // A 2xx that reports an error is the server's final word: never retried. Nor is an
      // answer that came after a stop: it is reported as it is.
      const bool stopped = stop.stop_requested();
      const RetryVerdict verdict = response.status < 400 || stopped
                                       ? RetryVerdict::NotRetryable
                                       : decide_retry(outcome, attempt, max_retries);
      if (verdict != RetryVerdict::Retry) {
        info.stop_reason = stopped ? kStoppedNotRetried : stop_reason(verdict, attempt);
        throw_api_error(response, std::move(info), options_.api_key, retry_after);
      }
    } catch (const CancelledError&) {
      trace.attempt_ended(attempt, sent_at, std::nullopt, "cancelled", request_bytes, 0);
      throw CancelledError("call stopped with its request in flight", info, /*abandoned_in_flight=*/true);
    } catch (const ResponseTooLargeError& error) {
      trace.attempt_ended(attempt, sent_at, std::nullopt, "response_too_large", request_bytes, 0);
      throw ResponseTooLargeError(error.limit(), info);  // the same answer again: not retried
    } catch (const ApiConnectionError& error) {
      const bool timed_out = dynamic_cast<const ApiTimeoutError*>(&error) != nullptr;
      trace.attempt_ended(attempt, sent_at, std::nullopt, timed_out ? "timeout" : "connection_failed",
                          request_bytes, 0);
      reason = timed_out ? RetryReason::Timeout : RetryReason::ConnectionFailed;
      outcome.status.reset();
      outcome.connection_never_made = error.request_never_sent();
      const bool stopped = stop.stop_requested();
      const RetryVerdict verdict = stopped ? RetryVerdict::NotRetryable : decide_retry(outcome, attempt, max_retries);
      if (verdict != RetryVerdict::Retry) {
        info.stop_reason = stopped ? kStoppedNotRetried : stop_reason(verdict, attempt);
        rethrow_connection_error(error, std::move(info), options_.api_key);
      }
    }
    const auto delay = retry_delay(policy, attempt, next_jitter(), retry_after);
    trace.retrying(attempt, reason, outcome.status, delay, retry_after && *retry_after <= policy.max_retry_after);
    if (!clock_->wait_until(clock_->now() + delay, stop)) {
      const std::string after = outcome.status ? "HTTP " + std::to_string(*outcome.status) : "a connection failure";
      throw cancelled("while waiting to retry after " + after);
    }
  }
}

void ClientCore::report_unsent(std::string_view method, std::string_view path, CallIdentity identity,
                               const std::exception& error) const noexcept {
  if (!events_) return;
  try {
    const CallTrace trace(events_.get(), *clock_, method, path, identity, options_.rate_limit.endpoint_limits);
    trace.failed(error);
  } catch (...) {
    // Naming the call failed (out of memory): the caller still gets its error.
  }
}

std::optional<std::chrono::milliseconds> ClientCore::read_retry_after(
    const HttpResponse& response) const {
  const auto header = response.headers.get("Retry-After");
  if (!header) return std::nullopt;
  return parse_retry_after(*header, clock_->wall_now());
}

}  // namespace instantly::detail
