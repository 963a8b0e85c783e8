#include "sample_responses.hpp"

#include <algorithm>

namespace instantly::mock {

// Defined in generated/response_samples.cpp, sorted by operation id.
extern const ResponseSample kResponseSamples[];
extern const std::size_t kResponseSampleCount;

const ResponseSample* find_response_sample(std::string_view operation_id) {
  const ResponseSample* end = kResponseSamples + kResponseSampleCount;
  const ResponseSample* it = std::lower_bound(kResponseSamples, end, operation_id,
                                              [](const ResponseSample& s, std::string_view id) { return s.operation_id < id; });
  return it != end && it->operation_id == operation_id ? it : nullptr;
}

Reply sample_reply(const Call& call, State&) {
  const ResponseSample* sample = find_response_sample(call.operation->operation_id);
  if (!sample) return Reply::json(Json::object());
  if (sample->body.empty()) return Reply::no_content(sample->status);
  Json body = Json::parse(sample->body);
  if (body.is_object()) {
    if (Json* id = body.find("id"); id && id->is_string() && !call.param("id").empty()) *id = call.param("id");
    // A page asked for with a cursor is the last page: the real API's way of
    // ending a listing.
    bool has_cursor = call.query_value("starting_after").has_value() ||
                      (call.field("starting_after") != nullptr);
    if (Json* items = body.find("items"); items && items->is_array() && has_cursor) {
      *items = Json::array();
      body.erase("next_starting_after");
    }
  }
  return Reply::json(std::move(body), sample->status);
}

}  // namespace instantly::mock
