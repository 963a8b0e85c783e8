// The path every API request takes, in the real service's order:
//   Cloudflare's User-Agent check (403 "error code: 1010") → Bearer auth (401)
//   → answers a test queued (/__mock/responses) → injected faults → rate limits (429) → route (404) → JSON body and the
//   content-type rule → request validation (400) → handler (or schema sample).
// Admin requests (/__mock/...) never come here.
#pragma once

#include <httplib.h>

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "faults.hpp"
#include "mock_options.hpp"
#include "rate_limits.hpp"
#include "router.hpp"
#include "scripted_responses.hpp"
#include "state.hpp"

namespace instantly::mock {

/// A finished answer, ready for the wire (or for a fault that spoils it).
struct WireResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  Fault fault = Fault::None;  ///< DropConnection / TruncateBody are applied by the server
};

/// How often each operation was called (GET /__mock/stats), so tests can
/// assert how many requests a workflow made, how many were in flight at
/// once (the peak proves a client really overlaps its calls, which a wall
/// clock on a busy machine cannot), and the most that arrived within any one
/// second (what several processes sharing one rate limit must keep at 100).
class RequestStats {
 public:
  void count(const std::string& operation_id, int status);
  /// Marks a request as being served; call `finished()` when its answer is ready.
  void started();
  void finished();
  Json to_json() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, long long> by_operation_;
  std::map<int, long long> by_status_;
  long long total_ = 0;
  long long in_flight_ = 0;
  long long peak_in_flight_ = 0;
  std::deque<std::chrono::steady_clock::time_point> last_second_;  ///< arrivals, oldest first
  long long peak_per_second_ = 0;
};

class ApiGateway {
 public:
  ApiGateway(const MockOptions& options, State& state, const Router& router, FaultInjector& faults,
             RateLimits& limits, RequestStats& stats, ScriptedResponses& scripted)
      : options_(options),
        state_(state),
        router_(router),
        faults_(faults),
        limits_(limits),
        stats_(stats),
        scripted_(scripted) {}

  WireResponse handle(const httplib::Request& request);

 private:
  WireResponse respond(const httplib::Request& request, std::string& operation_id);
  WireResponse respond_after_faults(const httplib::Request& request, std::string& operation_id,
                                    const std::string& api_key, const std::string& workspace);

  const MockOptions& options_;
  State& state_;
  const Router& router_;
  FaultInjector& faults_;
  RateLimits& limits_;
  RequestStats& stats_;
  ScriptedResponses& scripted_;
};

/// True for a missing User-Agent or one of the generic library defaults
/// Cloudflare blocks in front of the real API (Python's urllib, Go, Java...).
bool is_blocked_user_agent(std::string_view user_agent);

/// An error answer in the API's envelope.
WireResponse error_response(int status, std::string_view message);

}  // namespace instantly::mock
