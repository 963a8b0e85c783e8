// The sealed-key functions' C++ half (instantly/secrets.hpp), used by `instantly.secrets`:
// `_core.SealingKeyRing`, `_core.secrets_*`, and the translation of
// instantly::secrets::SealError into `instantly.secrets.SealError` (with its reason).
//
// Nothing here puts key material or plaintext into a repr or a message. Plaintext does cross
// into Python as a str (that is what open_sealed is for); Python cannot wipe its strings.
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "instantly/json.hpp"
#include "instantly/secrets.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace secrets = instantly::secrets;

void register_seal_error_translator() {
  // Newer translators are tried first; anything but a SealError goes on to the library's.
  py::register_exception_translator([](std::exception_ptr pending) {
    if (!pending) return;
    try {
      std::rethrow_exception(pending);
    } catch (const secrets::SealError& e) {
      try {
        const py::object cls = py::module_::import("instantly.secrets").attr("SealError");
        py::dict kwargs;
        kwargs["reason"] = secrets::to_string(e.reason());
        const py::object error = cls(python_text(e.what()), **kwargs);
        PyErr_SetObject(cls.ptr(), error.ptr());
      } catch (py::error_already_set& failure) {
        failure.restore();
      }
    }
  });
}

/// (document as JSON text, [(organization, json_path, sealed, workspace)], changed)
using AppStateTuple =
    std::tuple<std::string, std::vector<std::tuple<std::string, std::string, std::string, std::optional<std::string>>>,
               bool>;

AppStateTuple to_tuple(const secrets::AppState& state) {
  std::vector<std::tuple<std::string, std::string, std::string, std::optional<std::string>>> keys;
  keys.reserve(state.keys.size());
  for (const secrets::AppStateKey& key : state.keys) {
    keys.emplace_back(key.organization, key.json_path, key.sealed, key.workspace);
  }
  return {state.document.dump(), std::move(keys), state.changed};
}

std::string ring_repr(const secrets::KeyRing& ring) {
  std::string ids;
  for (const std::string& id : ring.ids()) ids += (ids.empty() ? "'" : ", '") + id + "'";
  return "KeyRing(current='" + ring.current().id() + "', ids=[" + ids + "])";
}

}  // namespace

void bind_secrets(py::module_& module) {
  register_seal_error_translator();

  py::class_<secrets::KeyRing>(module, "SealingKeyRing",
                               "The C++ KeyRing; instantly.secrets.KeyRing wraps it. Never shows key material.")
      .def(py::init([](const std::string& spec, const std::string& source) {
             return secrets::KeyRing::parse(spec, source);
           }),
           py::arg("spec"), py::arg("source") = "key ring")
      .def_static("from_env", &secrets::KeyRing::from_env,
                  "From INSTANTLY_SEALING_KEYS or INSTANTLY_SEALING_KEY; raises SealError.")
      .def_static(
          "generate", [](const std::string& key_id) { return secrets::KeyRing(secrets::Key::generate(key_id)); },
          py::arg("key_id"), "A ring of one fresh random key (for tests and first setup).")
      .def_property_readonly(
          "current_id", [](const secrets::KeyRing& ring) { return ring.current().id(); }, "The id that seals.")
      .def_property_readonly("ids", &secrets::KeyRing::ids, "Every key id, current first.")
      .def("__repr__", &ring_repr);

  module.def(
      "secrets_seal",
      [](const std::string& plaintext, const secrets::KeyRing& ring) { return secrets::seal(plaintext, ring); },
      py::arg("plaintext"), py::arg("ring"), "Seals under the ring's current key.");
  module.def(
      "secrets_open",
      [](const std::string& sealed, const secrets::KeyRing& ring) { return secrets::open(sealed, ring); },
      py::arg("sealed"), py::arg("ring"), "The plaintext; raises SealError.");
  module.def(
      "secrets_reseal",
      [](const std::string& sealed, const secrets::KeyRing& ring) { return secrets::reseal(sealed, ring); },
      py::arg("sealed"), py::arg("ring"), "Sealed under the current key (unchanged when it already is).");
  module.def(
      "secrets_is_sealed", [](const std::string& text) { return secrets::is_sealed(text); }, py::arg("text"),
      "Whether the text starts like a sealed secret.");
  module.def(
      "secrets_sealed_key_id", [](const std::string& sealed) { return secrets::sealed_key_id(sealed); },
      py::arg("sealed"), "The id of the key that sealed it; raises SealError (malformed).");
  module.def("secrets_generate_key_material", &secrets::generate_key_material,
             "32 random bytes as base64, for INSTANTLY_SEALING_KEY(S).");
  module.def(
      "secrets_reseal_app_state",
      [](const std::string& document_json, const secrets::KeyRing& ring) {
        return to_tuple(secrets::reseal_app_state(instantly::Json::parse(document_json), ring));
      },
      py::arg("document_json"), py::arg("ring"),
      "(document JSON, [(organization, json_path, sealed, workspace)], changed).");
  module.def(
      "secrets_load_app_state",
      [](const std::string& path, const secrets::KeyRing& ring) {
        py::gil_scoped_release release;
        return to_tuple(secrets::load_app_state(std::filesystem::path(path), ring));
      },
      py::arg("path"), py::arg("ring"), "The same as secrets_reseal_app_state, from a file.");
  module.def(
      "secrets_write_app_state",
      [](const std::string& path, const std::string& document_json) {
        const instantly::Json document = instantly::Json::parse(document_json);
        py::gil_scoped_release release;
        secrets::write_app_state(std::filesystem::path(path), document);
      },
      py::arg("path"), py::arg("document_json"), "Writes atomically (temp file 0600, fsync, rename).");
}

}  // namespace instantly_python
