// `_core.CallOptions`: the per-call extras every generated method accepts
// (`extra_headers`, `extra_query`, `timeout`), as plain C++ values.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instantly/client.hpp"

namespace instantly_python {

struct CallOptions {
  std::vector<std::pair<std::string, std::string>> headers;
  instantly::QueryParams query;
  std::optional<double> timeout_seconds;

  /// Throws `instantly::ValidationError` for a timeout that is not a positive number.
  instantly::RequestOptions to_request_options() const;
};

}  // namespace instantly_python
