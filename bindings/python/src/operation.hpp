// What the generated bindings (generated/bind_*.cpp) are made of: the inputs of one call, the
// conversions between Python's JSON text and the typed C++ API, and the two ways to register
// an operation with the module. Free of pybind11, so that those many files compile fast.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/page.hpp"

namespace pybind11 {
class module_;
}  // namespace pybind11

namespace instantly_python {

/// One call, as C++ copies only: it runs on a worker thread that may outlive the Python call.
struct OperationInput {
  const char* operation;  ///< "campaigns.delete": the Python method, for messages
  instantly::Client client;
  std::vector<std::string> path_args;  ///< checked: as many as the path has, none empty
  std::optional<std::string> params_json;
  instantly::RequestOptions options;
};

/// Fetches the page after `cursor` (none: the first page), stopped by `stop`: the page's
/// items as a JSON array and the API's next cursor.
using PageFetch = std::function<std::pair<std::string, std::optional<std::string>>(std::optional<std::string>,
                                                                                 std::stop_token)>;

/// An operation that answers once: its result as JSON text, or nothing (void).
/// `input.options.stop` stops it.
using CallFunction = std::optional<std::string> (*)(const OperationInput&);
/// A list operation: builds the page fetcher (network work happens in the fetcher).
using PageFunction = PageFetch (*)(const OperationInput&);

struct OperationSpec {
  const char* binding;    ///< the module function, "campaigns__remove"
  const char* operation;  ///< "campaigns.delete"
  std::vector<const char*> path_params;  ///< names, in path order
  /// False when the C++ method takes no params struct: any members Python sends then
  /// (`extra_body`) become the request body as they are.
  bool takes_params;
};

/// Registers `binding(core, path_args, params_json, options) -> str | None`.
void def_call(pybind11::module_& module, OperationSpec spec, CallFunction call);
/// Registers `binding(core, path_args, params_json, options) -> PageFetcher`.
void def_page(pybind11::module_& module, OperationSpec spec, PageFunction pages);

/// The operation's params struct from Python's JSON (default ones when there is none).
/// Members the params do not declare (from `extra_body`) are sent in the body; for an
/// operation that sends no body they would be lost, so they are refused instead.
/// Throws `instantly::ValidationError` naming the operation when the JSON does not fit.
template <class Params>
Params decode_params(const OperationInput& input, bool has_body) {
  if (!input.params_json) return Params{};
  Params params;
  try {
    params = Params::from_json(*input.params_json);
  } catch (const instantly::DecodeError& e) {
    throw instantly::ValidationError(std::string(input.operation) + ": invalid parameters: " +
                                     e.what());
  }
  if (!has_body && params.extra_fields.is_object() && !params.extra_fields.empty()) {
    std::string names;
    for (const auto& member : params.extra_fields.as_object()) {
      names += (names.empty() ? "" : ", ") + member.first;
    }
    throw instantly::ValidationError(std::string(input.operation) + " sends no body, so it cannot take " +
                                     names + " (extra_body); use extra_query for query parameters");
  }
  return params;
}

inline std::string encode_item(const instantly::Json& value) { return value.dump(); }

template <class Model>
std::string encode_item(const Model& model) {
  return model.to_json();
}

template <class Item>
std::string encode_items(const std::vector<Item>& items) {
  std::string out = "[";
  for (const Item& item : items) {
    if (out.size() > 1) out += ',';
    out += encode_item(item);
  }
  return out + "]";
}

template <class Model>
std::optional<std::string> encode_model(const Model& model) {
  return model.to_json();
}

template <class Item>
std::optional<std::string> encode_list(const std::vector<Item>& items) {
  return encode_items(items);
}

inline std::optional<std::string> encode_json(const instantly::Json& value) { return value.dump(); }

/// A text answer (CSV, ...) as a JSON string, so Python reads every answer the same way.
inline std::optional<std::string> encode_text(std::string text) {
  return instantly::Json(std::move(text)).dump();
}

/// The fetcher of a list operation. `list(client, path_args, params, options)` calls the typed
/// resource method; each fetch copies the params and starts them at the cursor it is given
/// (with no cursor, at the caller's own `starting_after`, if any).
template <class Params, class List>
PageFetch fetch_pages(const OperationInput& input, bool has_body, List list) {
  return [client = input.client, path_args = input.path_args, options = input.options,
          params = decode_params<Params>(input, has_body), list](std::optional<std::string> cursor,
                                                                  std::stop_token stop) {
    Params page = params;
    if (cursor) page.starting_after = std::move(cursor);
    instantly::RequestOptions page_options = options;
    page_options.stop = std::move(stop);
    auto first = list(client, path_args, std::move(page), page_options).first_page();
    return std::pair<std::string, std::optional<std::string>>(
        encode_items(first.items), std::move(first.next_starting_after));
  };
}

}  // namespace instantly_python
