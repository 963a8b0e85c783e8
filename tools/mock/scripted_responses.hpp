// Answers queued by a test: "the next 2 requests to /api/v2/campaigns get
// 402 with this body". Covers statuses no fault or state produces (402, 409,
// 422, a 200 whose body is only {"error": ...}) without special cases in
// the handlers. Set through POST /__mock/responses.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace instantly::mock {

struct ScriptedResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string path_prefix;  ///< only requests whose path starts with this ("" = any)
  int times = 1;            ///< how many requests it answers
};

class ScriptedResponses {
 public:
  void push(ScriptedResponse response);
  void clear();
  /// The first queued answer for `path`, used up one time; nothing when none matches.
  std::optional<ScriptedResponse> take(std::string_view path);

 private:
  std::mutex mutex_;
  std::deque<ScriptedResponse> queue_;
};

}  // namespace instantly::mock
