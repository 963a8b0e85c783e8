// C++ bytes as Python text. Server bodies and messages are not guaranteed UTF-8, and a
// UnicodeDecodeError would hide the real answer, so bad bytes become U+FFFD.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <pybind11/pybind11.h>

namespace instantly_python {

inline pybind11::str python_text(std::string_view text) {
  PyObject* decoded = PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (decoded == nullptr) throw pybind11::error_already_set();
  return pybind11::reinterpret_steal<pybind11::str>(decoded);
}

/// An optional answer (JSON text, or none for an empty one) as str or None.
inline pybind11::object python_text_or_none(const std::optional<std::string>& text) {
  return text ? pybind11::object(python_text(*text)) : pybind11::object(pybind11::none());
}

}  // namespace instantly_python
