// C++ bytes as Python text. Server bodies and messages are not guaranteed UTF-8, and a
// UnicodeDecodeError would hide the real answer, so bad bytes become U+FFFD.
#pragma once

#include <string_view>

#include <pybind11/pybind11.h>

namespace instantly_python {

inline pybind11::str python_text(std::string_view text) {
  PyObject* decoded = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (decoded == nullptr) throw pybind11::error_already_set();
  return pybind11::reinterpret_steal<pybind11::str>(decoded);
}

}  // namespace instantly_python
