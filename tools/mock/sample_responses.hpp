// Answers for operations without a stateful handler: a body built from the
// operation's response schema (generated), so every one of the API's
// operations returns something a client can decode.
#pragma once

#include <optional>
#include <string_view>

#include "call.hpp"
#include "state.hpp"

namespace instantly::mock {

/// One operation's success status and a JSON body valid under its response
/// schema (generated/response_samples.cpp). `body` is empty for no content.
struct ResponseSample {
  std::string_view operation_id;
  int status;
  std::string_view body;
};

const ResponseSample* find_response_sample(std::string_view operation_id);

/// The sample, adjusted to the call: the path's id becomes the body's `id`,
/// and a page requested with a cursor comes back empty (the last page).
Reply sample_reply(const Call& call, State& state);

}  // namespace instantly::mock
