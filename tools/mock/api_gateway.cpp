#include "api_gateway.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "http_error.hpp"
#include "instantly/error.hpp"
#include "sample_responses.hpp"
#include "validation/operations.hpp"

namespace instantly::mock {

namespace validation = instantly::detail::validation;

void RequestStats::count(const std::string& operation_id, int status) {
  std::lock_guard lock(mutex_);
  ++by_operation_[operation_id];
  ++by_status_[status];
  ++total_;
}

Json RequestStats::to_json() const {
  std::lock_guard lock(mutex_);
  Json operations = Json::object();
  for (const auto& [id, n] : by_operation_) operations.set(id, n);
  Json statuses = Json::object();
  for (const auto& [status, n] : by_status_) statuses.set(std::to_string(status), n);
  return Json::object({{"total", total_},
                       {"operations", std::move(operations)},
                       {"statuses", std::move(statuses)},
                       {"in_flight", in_flight_},
                       {"peak_in_flight", peak_in_flight_},
                       {"peak_per_second", peak_per_second_}});
}

void RequestStats::started() {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  peak_in_flight_ = std::max(peak_in_flight_, ++in_flight_);
  // A sliding window, as the API's own limit is: every arrival is the end of one.
  while (!last_second_.empty() && now - last_second_.front() >= std::chrono::seconds(1)) last_second_.pop_front();
  last_second_.push_back(now);
  peak_per_second_ = std::max(peak_per_second_, static_cast<long long>(last_second_.size()));
}

void RequestStats::finished() {
  std::lock_guard lock(mutex_);
  --in_flight_;
}

void RequestStats::clear() {
  std::lock_guard lock(mutex_);
  by_operation_.clear();
  by_status_.clear();
  total_ = 0;
  // Requests being served right now still count; the peak restarts from them.
  peak_in_flight_ = in_flight_;
  last_second_.clear();
  peak_per_second_ = 0;
}

bool is_blocked_user_agent(std::string_view user_agent) {
  if (user_agent.find_first_not_of(" \t") == std::string_view::npos) return true;
  for (std::string_view generic : {"Python-urllib/", "Go-http-client/", "Java/", "libwww-perl/"}) {
    if (user_agent.starts_with(generic)) return true;
  }
  return false;
}

WireResponse error_response(int status, std::string_view message) {
  WireResponse response;
  response.status = status;
  response.body = error_envelope(status, message).dump();
  return response;
}

namespace {

WireResponse reply_to_wire(Reply reply) {
  WireResponse response;
  response.status = reply.status;
  if (reply.empty) {
    response.content_type.clear();
  } else {
    response.body = reply.body.dump();
  }
  return response;
}

/// The path parameters of `operation` in `path` (already percent-decoded by httplib).
std::vector<std::pair<std::string, std::string>> path_parameters(const validation::OperationSchema& operation,
                                                                 std::string_view path) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view pattern = operation.path;
  while (!pattern.empty() && !path.empty()) {
    auto pattern_end = pattern.find('/', 1);
    auto path_end = path.find('/', 1);
    auto want = pattern.substr(0, pattern_end);
    auto got = path.substr(0, path_end);
    if (want.size() > 3 && want[1] == '{') params.emplace_back(want.substr(2, want.size() - 3), got.substr(1));
    if (pattern_end == std::string_view::npos || path_end == std::string_view::npos) break;
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return params;
}

bool has_json_content_type(const httplib::Request& request) {
  auto type = request.get_header_value("Content-Type");
  return type.find("application/json") != std::string::npos;
}

}  // namespace

WireResponse ApiGateway::handle(const httplib::Request& request) {
  stats_.started();
  struct Finished {
    RequestStats& stats;
    ~Finished() { stats.finished(); }
  } finished{stats_};
  if (options_.latency_ms > 0 || options_.latency_jitter_ms > 0) {
    int jitter = 0;
    if (options_.latency_jitter_ms > 0) {
      auto lock = state_.lock();
      jitter = static_cast<int>(state_.rng()() % static_cast<unsigned>(options_.latency_jitter_ms + 1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.latency_ms + jitter));
  }
  std::string operation_id = "(unmatched)";
  WireResponse response;
  try {
    response = respond(request, operation_id);
  } catch (const HttpError& e) {
    response = error_response(e.status(), e.what());
  } catch (const instantly::DecodeError& e) {
    // A handler read a field of the wrong type: the request's fault.
    response = error_response(400, e.what());
  } catch (const std::exception& e) {
    response = error_response(500, std::string("mock internal error: ") + e.what());
  }
  stats_.count(operation_id, response.status);
  if (options_.verbose) {
    std::fprintf(stderr, "%s %s -> %d (%s)\n", request.method.c_str(), request.path.c_str(), response.status,
                 operation_id.c_str());
  }
  return response;
}

WireResponse ApiGateway::respond(const httplib::Request& request, std::string& operation_id) {
  // Cloudflare answers before the API sees anything, in plain text.
  if (is_blocked_user_agent(request.get_header_value("User-Agent"))) {
    WireResponse blocked;
    blocked.status = 403;
    blocked.body = "error code: 1010";
    blocked.content_type = "text/plain; charset=UTF-8";
    return blocked;
  }

  auto authorization = request.get_header_value("Authorization");
  if (!authorization.starts_with("Bearer ") || authorization.size() <= 7) {
    return error_response(401, "Missing or malformed Authorization header; expected 'Bearer <API key>'");
  }
  std::string api_key = authorization.substr(7);
  if (!options_.api_keys.empty() &&
      std::find(options_.api_keys.begin(), options_.api_keys.end(), api_key) == options_.api_keys.end()) {
    return error_response(401, "Invalid API key");
  }
  std::string workspace = request.get_header_value("x-as-workspace");

  if (auto scripted = scripted_.take(request.path)) {
    WireResponse answer;
    answer.status = scripted->status;
    answer.body = std::move(scripted->body);
    answer.content_type = std::move(scripted->content_type);
    answer.headers = std::move(scripted->headers);
    return answer;
  }

  switch (Fault fault = faults_.draw()) {
    case Fault::None: break;
    case Fault::RateLimited: {
      auto limited = error_response(429, "Too Many Requests (injected fault)");
      limited.headers.emplace_back("Retry-After", "1");
      return limited;
    }
    case Fault::ServerError: return error_response(500, "Internal Server Error (injected fault)");
    case Fault::BadGateway: {
      WireResponse gateway;
      gateway.status = 502;
      gateway.body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
      gateway.content_type = "text/html";
      return gateway;
    }
    case Fault::Unavailable: return error_response(503, "Service Unavailable (injected fault)");
    case Fault::DropConnection:
    case Fault::TruncateBody: {
      // Answered normally below, then spoiled on the wire by the server.
      auto spoiled = respond_after_faults(request, operation_id, api_key, workspace);
      spoiled.fault = fault;
      return spoiled;
    }
  }
  return respond_after_faults(request, operation_id, api_key, workspace);
}

WireResponse ApiGateway::respond_after_faults(const httplib::Request& request, std::string& operation_id,
                                              const std::string& api_key, const std::string& workspace) {
  const auto* operation = validation::match_operation(request.method, request.path);
  if (!operation) {
    return error_response(404, "Route " + request.method + ":" + request.path + " not found");
  }
  operation_id = std::string(operation->operation_id);

  if (auto wait = limits_.admit(workspace.empty() ? api_key : workspace, request.method, operation->path)) {
    auto limited = error_response(429, "Rate limit exceeded, retry in " + std::to_string(*wait) + " s");
    limited.headers.emplace_back("Retry-After", std::to_string(*wait));
    return limited;
  }

  Call call;
  call.operation = operation;
  call.api_key = api_key;
  call.workspace = workspace;
  call.path_params = path_parameters(*operation, request.path);
  for (const auto& [key, value] : request.params) call.query.emplace_back(key, value);

  bool json_type = has_json_content_type(request);
  if (!request.body.empty()) {
    try {
      call.body = Json::parse(request.body);
    } catch (const instantly::DecodeError&) {
      return error_response(400, "Body is not valid JSON");
    }
  } else if (json_type) {
    // Fastify's rule, which the real API inherits: a JSON content type
    // promises a body, so an empty one is an error.
    return error_response(400, "Body cannot be empty when content-type is set to 'application/json'");
  }
  if (call.body && !operation->body) {
    return error_response(400, std::string(operation->method) + " " + std::string(operation->path) +
                                   " takes no body; send none and no Content-Type");
  }

  auto issues = validation::validate_request(*operation, call.query, call.body);
  if (!issues.empty()) return error_response(400, validation::describe_issues(issues));

  // Only the handler needs the state: work on the request alone (a preparer)
  // happens before the lock, and writing the answer out (1,000 created leads
  // make a big one) after it, while other requests may go ahead.
  if (const Preparer* prepare = router_.find_preparer(operation->operation_id)) call.prepared = (*prepare)(call);
  Reply reply;
  {
    auto lock = state_.lock();
    const Handler* handler = router_.find(operation->operation_id);
    reply = handler ? (*handler)(call, state_) : sample_reply(call, state_);
  }
  return reply_to_wire(std::move(reply));
}

}  // namespace instantly::mock
