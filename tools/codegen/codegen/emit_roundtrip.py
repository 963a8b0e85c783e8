"""Emits tools/roundtrip/model_registry.cpp: decode-then-encode by model name.

The spec conformance test (tests/python) feeds the spec's own examples through
`instantly_roundtrip`, which needs to reach every model's from_json/to_json from a name
read at run time; this table is that bridge.
"""
from __future__ import annotations

from .ir import Api
from .writer import OutputTree


def registry_text(api: Api) -> str:
    names = sorted(m.name for m in api.models)
    rows = "\n".join(f'    {{"{name}", &reencode<{name}>}},' for name in names)
    return f"""// Every generated model by name, for tools/roundtrip/main.cpp.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/models.hpp"

namespace instantly::roundtrip {{

namespace {{

template <class Model>
std::string reencode(std::string_view json) {{
  return Model::from_json(json).to_json();
}}

using Reencoder = std::string (*)(std::string_view);

// Sorted by name, for the binary search below.
constexpr std::array<std::pair<std::string_view, Reencoder>, {len(names)}> kModels{{{{
{rows}
}}}};

}}  // namespace

/// The model's own JSON for `json` decoded as `model`; nullopt when no model has that name.
/// Decoding errors propagate as the exceptions from_json throws.
std::optional<std::string> roundtrip(std::string_view model, std::string_view json) {{
  const auto found = std::lower_bound(kModels.begin(), kModels.end(), model,
                                      [](const auto& entry, std::string_view name) {{ return entry.first < name; }});
  if (found == kModels.end() || found->first != model) return std::nullopt;
  return found->second(json);
}}

}}  // namespace instantly::roundtrip
"""


def emit(api: Api, tree: OutputTree) -> None:
    tree.add("tools/roundtrip/model_registry.cpp", registry_text(api))
