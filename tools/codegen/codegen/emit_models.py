"""Emits include/instantly/models/<family>.hpp: the model structs and open enums."""
from __future__ import annotations

from .cpp_types import field_type, referenced_names
from .families import family_dependencies, ordered_types
from .ir import Api, Enum, Model
from .writer import OutputTree


def header_path(family: str) -> str:
    return f"include/instantly/models/{family}.hpp"


def describe(model: Model) -> str:
    if model.is_params:
        return f"Parameters of `{model.origin.removesuffix(' parameters')}`: query and body fields in one aggregate."
    if model.origin.startswith("schema "):
        return f"The `{model.origin.removeprefix('schema ')}` object."
    return f"The object at `{model.origin}`."


def enum_text(enum: Enum) -> str:
    lines = [f"/// Open enumeration: values other than these survive decoding and re-encoding."]
    if enum.kind == "int":
        lines.append(f"enum class {enum.name} : std::int64_t {{")
        lines += [f"  {m.cpp_name} = {m.value}," for m in enum.members]
        lines.append("};")
        lines.append("")
        lines.append(f"/// The constant's name, or an empty view for a value the spec does not list.")
        lines.append(f"constexpr std::string_view name_of({enum.name} value) noexcept {{")
        lines.append("  switch (value) {")
        lines += [f"    case {enum.name}::{m.cpp_name}: return \"{m.cpp_name}\";" for m in enum.members]
        lines.append("  }")
        lines.append("  return {};")
        lines.append("}")
        return "\n".join(lines)
    lines.append(f"class {enum.name} : public StringEnum<{enum.name}> {{")
    lines.append(" public:")
    lines.append("  using StringEnum::StringEnum;")
    lines += [f"  static const {enum.name} {m.cpp_name};" for m in enum.members]
    lines.append("};")
    lines += [f'inline const {enum.name} {enum.name}::{m.cpp_name}{{"{m.value}"}};' for m in enum.members]
    return "\n".join(lines)


def model_text(model: Model, enum_kinds: dict[str, str]) -> str:
    lines = [f"/// {describe(model)}", f"struct {model.name} {{"]
    for f in model.fields:
        note = ""
        if model.is_params and f.location == "query":
            note = "  // query"
        elif f.read_only:
            note = "  // read-only"
        # Required scalars start at zero, so `Campaign c;` never holds garbage.
        scalar = f.required and not f.nullable and (
            f.type.kind in ("int", "double", "bool") or (f.type.kind == "enum" and enum_kinds[f.type.name] == "int"))
        init = "{}" if scalar else ""
        lines.append(f"  {field_type(f)} {f.cpp_name}{init};{note}")
    extra_note = "additional body members, sent as given" if model.is_params else \
        "members the spec does not list, kept so a read-modify-write loses nothing"
    lines.append(f"  /// JSON object of {extra_note}; null when there are none.")
    lines.append("  Json extra_fields;")
    lines.append("")
    lines.append("  const Json& extra() const noexcept { return extra_fields; }")
    lines.append("  Json& extra() noexcept { return extra_fields; }")
    lines.append("  /// Throws DecodeError naming the JSON path of a wrong-typed field.")
    lines.append(f"  static {model.name} from_json(std::string_view text);")
    lines.append("  std::string to_json() const;")
    lines.append(f"  friend bool operator==(const {model.name}&, const {model.name}&) = default;")
    lines.append("};")
    return "\n".join(lines)


def family_header(api: Api, family: str, deps: set[str]) -> str:
    includes = [
        "#include <cstdint>",
        "#include <optional>",
        "#include <string>",
        "#include <string_view>",
        "#include <vector>",
        "",
        '#include "instantly/json.hpp"',
        '#include "instantly/nullable.hpp"',
        '#include "instantly/open_enum.hpp"',
    ]
    includes += [f'#include "instantly/models/{d}.hpp"' for d in sorted(deps)]
    enum_kinds = {e.name: e.kind for e in api.enums}
    body = "\n\n".join(enum_text(t) if isinstance(t, Enum) else model_text(t, enum_kinds)
                       for t in ordered_types(api, family))
    return (f"// Models of the `{family}` family.\n#pragma once\n\n" + "\n".join(includes) +
            "\n\nnamespace instantly {\n\n" + body + "\n\n}  // namespace instantly\n")


def emit(api: Api, tree: OutputTree) -> None:
    deps = family_dependencies(api)
    families = api.families()
    for family in families:
        tree.add(header_path(family), family_header(api, family, deps.get(family, set()) - {family}))
    umbrella = ["// Every model of the API.", "#pragma once", ""]
    umbrella += [f'#include "instantly/models/{f}.hpp"' for f in sorted(families)]
    tree.add("include/instantly/models.hpp", "\n".join(umbrella) + "\n")


__all__ = ["emit", "header_path", "referenced_names"]
