"""Emits the JSON codecs of every model (private to the library).

For each family:
- src/generated/codecs/<family>_codec.hpp declares `Codec<T>` for the family's models (and
  `encode_body` for parameter structs), so templates over vectors and optionals find them;
- src/generated/codecs/<family>.cpp defines them, plus each model's `from_json`/`to_json`.

Decoding never fails on unknown members (kept in `extra_fields`) or unknown enum values. It does
not insist on required members either: the live API leaves some out (a draft campaign comes back
with `campaign_schedule: {}`), and refusing the whole response would help nobody. Required-ness
is enforced where it matters, on requests, by the validators.
"""
from __future__ import annotations

from .families import family_dependencies, ordered_types
from .ir import Api, Model
from .naming import cpp_string
from .writer import OutputTree


def codec_header_path(family: str) -> str:
    return f"src/generated/codecs/{family}_codec.hpp"


def declarations(model: Model) -> list[str]:
    lines = [
        "template <>",
        f"struct Codec<{model.name}> {{",
        f"  static void read(ondemand::value json, {model.name}& out, DecodeContext& ctx);",
        f"  static void write(JsonWriter& writer, const {model.name}& value);",
        "};",
    ]
    if model.is_params:
        lines.append(f"/// The request body: body-located fields and extra_fields, never query fields.")
        lines.append(f"std::string encode_body(const {model.name}& params);")
    return lines


def read_definition(model: Model) -> list[str]:
    lines = [f"void Codec<{model.name}>::read(ondemand::value json, {model.name}& out, DecodeContext& ctx) {{"]
    if not model.fields:
        lines.append("  for_each_field(json, ctx, [&](std::string_view key, ondemand::value field) {")
        lines.append("    read_extra_field(key, field, out.extra_fields, ctx);")
        lines.append("  });")
        lines.append("}")
        return lines
    lines.append("  for_each_field(json, ctx, [&](std::string_view key, ondemand::value field) {")
    for i, f in enumerate(model.fields):
        keyword = "if" if i == 0 else "} else if"
        lines.append(f"    {keyword} (key == {cpp_string(f.json_name)}) {{")
        lines.append(f"      read_value(field, out.{f.cpp_name}, ctx);")
    lines.append("    } else {")
    lines.append("      read_extra_field(key, field, out.extra_fields, ctx);")
    lines.append("    }")
    lines.append("  });")
    lines.append("}")
    return lines


def write_definition(model: Model) -> list[str]:
    lines = [f"void Codec<{model.name}>::write(JsonWriter& writer, const {model.name}& value) {{",
             "  writer.StartObject();"]
    lines += [f"  write_field(writer, {cpp_string(f.json_name)}, value.{f.cpp_name});" for f in model.fields]
    lines += ["  write_extra_fields(writer, value.extra_fields);", "  writer.EndObject();", "}"]
    if model.is_params:
        lines += ["", f"std::string encode_body(const {model.name}& params) {{",
                  "  rapidjson::StringBuffer buffer;", "  JsonWriter writer(buffer);", "  writer.StartObject();"]
        lines += [f"  write_field(writer, {cpp_string(f.json_name)}, params.{f.cpp_name});"
                  for f in model.fields if f.location == "body"]
        lines += ["  write_extra_fields(writer, params.extra_fields);", "  writer.EndObject();",
                  "  return std::string(buffer.GetString(), buffer.GetSize());", "}"]
    return lines


def family_codec_header(family: str, models: list[Model], deps: set[str]) -> str:
    lines = [f"// JSON codecs of the `{family}` models (private).", "#pragma once", "", "#include <string>", "",
             '#include "json/codec.hpp"', f'#include "instantly/models/{family}.hpp"']
    lines += [f'#include "generated/codecs/{d}_codec.hpp"' for d in sorted(deps)]
    lines += ["", "namespace instantly::detail {", ""]
    for model in models:
        lines += declarations(model) + [""]
    lines.append("}  // namespace instantly::detail")
    return "\n".join(lines) + "\n"


def family_codec_source(family: str, models: list[Model]) -> str:
    lines = ["#include <string>", "#include <string_view>", "",
             f'#include "generated/codecs/{family}_codec.hpp"', "", "namespace instantly {", ""]
    lines.append("namespace detail {")
    lines.append("")
    for model in models:
        lines += read_definition(model) + [""] + write_definition(model) + [""]
    lines.append("}  // namespace detail")
    lines.append("")
    for model in models:
        lines.append(f"{model.name} {model.name}::from_json(std::string_view text) {{")
        lines.append(f"  return detail::decode_document<{model.name}>(text);")
        lines.append("}")
        lines.append(f"std::string {model.name}::to_json() const {{ return detail::encode_document(*this); }}")
        lines.append("")
    lines.append("}  // namespace instantly")
    return "\n".join(lines) + "\n"


def emit(api: Api, tree: OutputTree) -> None:
    deps = family_dependencies(api)
    for family in api.families():
        models = [t for t in ordered_types(api, family) if isinstance(t, Model)]
        if not models:
            continue
        tree.add(codec_header_path(family), family_codec_header(family, models, deps.get(family, set()) - {family}))
        tree.add(f"src/generated/codecs/{family}.cpp", family_codec_source(family, models))
