#include "plain_lead.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/json.hpp"
#include "instantly/nullable.hpp"

namespace instantly_python {
namespace {

using instantly::Json;
using instantly::LeadAddParamsLead;
using TextField = instantly::Nullable<std::string> LeadAddParamsLead::*;

struct NamedField {
  std::string_view name;
  TextField field;
};

// The text fields of LeadAddParamsLead. lt_interest_status (an enum) and members the model does
// not list (kept in extra_fields) are left to the general path.
constexpr auto kTextFields = std::to_array<NamedField>({
    {"email", &LeadAddParamsLead::email},
    {"first_name", &LeadAddParamsLead::first_name},
    {"last_name", &LeadAddParamsLead::last_name},
    {"company_name", &LeadAddParamsLead::company_name},
    {"personalization", &LeadAddParamsLead::personalization},
    {"website", &LeadAddParamsLead::website},
    {"phone", &LeadAddParamsLead::phone},
    {"job_title", &LeadAddParamsLead::job_title},
    {"pl_value_lead", &LeadAddParamsLead::pl_value_lead},
    {"assigned_to", &LeadAddParamsLead::assigned_to},
});

// The UTF-8 of an exact str. Nothing for str subclasses (enums and the like, whose JSON form
// the Python side decides) and for text UTF-8 cannot hold (lone surrogates).
std::optional<std::string_view> utf8_of(PyObject* object) {
  if (!PyUnicode_CheckExact(object)) return std::nullopt;
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(object, &size);
  if (data == nullptr) {
    PyErr_Clear();
    return std::nullopt;
  }
  return std::string_view(data, static_cast<std::size_t>(size));
}

bool read_text(PyObject* value, instantly::Nullable<std::string>& out) {
  if (value == Py_None) {
    out = nullptr;
    return true;
  }
  std::optional<std::string_view> text = utf8_of(value);
  if (!text) return false;
  out = std::string(*text);
  return true;
}

// A custom variable's value. Floats are left to the general path so their digits are exactly
// the ones Python's JSON encoder writes.
std::optional<Json> read_scalar(PyObject* value) {
  if (value == Py_None) return Json(nullptr);
  if (value == Py_True) return Json(true);
  if (value == Py_False) return Json(false);
  if (PyLong_CheckExact(value)) {
    int overflow = 0;
    const long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow != 0 || (number == -1 && PyErr_Occurred() != nullptr)) {
      PyErr_Clear();
      return std::nullopt;
    }
    return Json(static_cast<std::int64_t>(number));
  }
  if (std::optional<std::string_view> text = utf8_of(value)) return Json(*text);
  return std::nullopt;
}

bool read_custom_variables(PyObject* value, std::optional<Json>& out) {
  if (!PyDict_CheckExact(value)) return false;
  Json::Object members;
  members.reserve(static_cast<std::size_t>(PyDict_Size(value)));
  Py_ssize_t position = 0;
  PyObject* key = nullptr;
  PyObject* member = nullptr;
  while (PyDict_Next(value, &position, &key, &member)) {
    std::optional<std::string_view> name = utf8_of(key);
    if (!name) return false;
    std::optional<Json> scalar = read_scalar(member);
    if (!scalar) return false;
    members.emplace_back(std::string(*name), std::move(*scalar));
  }
  out = Json(std::move(members));
  return true;
}

bool read_member(std::string_view key, PyObject* value, LeadAddParamsLead& lead) {
  if (key == "custom_variables") return read_custom_variables(value, lead.custom_variables);
  for (const NamedField& text : kTextFields) {
    if (key == text.name) return read_text(value, lead.*text.field);
  }
  return false;
}

}  // namespace

std::optional<LeadAddParamsLead> plain_lead_from_dict(pybind11::handle item) {
  PyObject* dict = item.ptr();
  if (!PyDict_CheckExact(dict)) return std::nullopt;
  LeadAddParamsLead lead;
  Py_ssize_t position = 0;
  PyObject* key = nullptr;
  PyObject* value = nullptr;
  while (PyDict_Next(dict, &position, &key, &value)) {
    std::optional<std::string_view> name = utf8_of(key);
    if (!name || !read_member(*name, value, lead)) return std::nullopt;
  }
  return lead;
}

}  // namespace instantly_python
