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

Page<Json> decode_json_page(Json body) {
  Page<Json> page;
  if (body.is_array()) {
    page.items = std::move(body.as_array());
    return page;
  }
  if (!body.is_object()) {
    throw DecodeError("expected a page object with \"items\", got " +
                      std::string(body.is_null() ? "an empty body" : "another JSON value"));
  }
  if (Json* items = body.find("items")) {
    if (!items->is_array()) throw DecodeError("\"items\" is not an array", "$.items");
    page.items = std::move(items->as_array());
  }
  if (const Json* next = body.find("next_starting_after"); next && !next->is_null()) {
    if (!next->is_string()) {
      throw DecodeError("\"next_starting_after\" is not a string", "$.next_starting_after");
    }
    if (!next->as_string().empty()) page.next_starting_after = next->as_string();
  }
  return page;
}

}  // namespace instantly::detail
