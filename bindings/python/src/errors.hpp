// C++ exceptions become the classes of `instantly._exceptions`, with the same names and
// every attribute those classes take (status_code, body, attempts, retry_after, ...).
#pragma once

namespace instantly_python {

/// Registers the pybind11 translator; called once, at import.
void register_error_translator();

}  // namespace instantly_python
