#include "call_options.hpp"

#include "core.hpp"

namespace instantly_python {

instantly::RequestOptions CallOptions::to_request_options() const {
  instantly::RequestOptions options;
  options.query = query;
  for (const auto& [name, value] : headers) options.headers.set(name, value);
  if (timeout_seconds) options.timeout = to_milliseconds(*timeout_seconds, "timeout");
  return options;
}

}  // namespace instantly_python
