#include "core/json_page.hpp"

#include <algorithm>
#include <utility>

namespace instantly::detail {

RequestOptions with_cursor(const RequestOptions& options, const std::optional<std::string>& cursor,
                           CursorIn cursor_in) {
  RequestOptions call = options;
  if (!cursor) return call;
  if (cursor_in == CursorIn::Body) {
    if (!call.body || call.body->is_null()) call.body = Json::object();
    call.body->set("starting_after", *cursor);
  } else {
    std::erase_if(call.query, [](const auto& param) { return param.first == "starting_after"; });
    call.query.emplace_back("starting_after", *cursor);
  }
  return call;
}

}  // namespace instantly::detail
