// C++ exceptions become the classes of `instantly._exceptions`, with the same names and
// every attribute those classes take (status_code, body, attempts, retry_after, ...).
#pragma once

#include <exception>

#include <pybind11/pybind11.h>

namespace instantly_python {

/// Registers the pybind11 translator; called once, at import.
void register_error_translator();

/// The Python exception object the synchronous call would have raised for `failure`: for an
/// instantly::Error the class of instantly._exceptions, for a Python error itself, otherwise a
/// RuntimeError with the message. For asyncio, where the error is handed over, not raised.
/// Call with the GIL held.
pybind11::object python_exception(std::exception_ptr failure);

}  // namespace instantly_python
