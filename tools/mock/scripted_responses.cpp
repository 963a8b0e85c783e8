#include "scripted_responses.hpp"

namespace instantly::mock {

void ScriptedResponses::push(ScriptedResponse response) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(response));
}

void ScriptedResponses::clear() {
  std::lock_guard lock(mutex_);
  queue_.clear();
}

std::optional<ScriptedResponse> ScriptedResponses::take(std::string_view path) {
  std::lock_guard lock(mutex_);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (!path.starts_with(it->path_prefix)) continue;
    ScriptedResponse answer = *it;
    if (--it->times <= 0) queue_.erase(it);
    return answer;
  }
  return std::nullopt;
}

}  // namespace instantly::mock
