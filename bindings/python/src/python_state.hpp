// Whether C++ code running on any thread may take the GIL and touch Python now.
#pragma once

#include <Python.h>

namespace instantly_python {

/// False before the interpreter is up and once it is finalizing: a C++ thread that takes the GIL
/// then would hang or crash the exit, so callers drop what they had for Python instead.
inline bool python_is_usable() noexcept {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsInitialized() != 0 && Py_IsFinalizing() == 0;
#else
  return Py_IsInitialized() != 0 && _Py_IsFinalizing() == 0;
#endif
}

}  // namespace instantly_python
