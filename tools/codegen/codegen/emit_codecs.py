"""Emits the JSON codecs of every model (private to the library).

For each family:
- src/generated/codecs/<family>_wire.hpp: what resources use of the family's codecs, with no JSON
  library behind it: `encode_body` for parameter structs, and `extern template` declarations of
  `decode_document<T>` for every T an operation answers with (T, Page<T>, std::vector<T>);
- src/generated/codecs/<family>_codec.hpp declares `Codec<T>` for the family's models, so
  templates over vectors and optionals find them;
- src/generated/codecs/<family>.cpp (or <family>_1.cpp, _2.cpp, ... for large families) defines
  them, each model's `from_json`/`to_json`, and the `decode_document` instantiations the wire
  header promises.

Resource sources include only the wire headers: simdjson and RapidJSON are parsed by the codec
sources alone. A family whose codecs would make one long source is split, so that no single object
holds up a parallel build.

Decoding never fails on unknown members (kept in `extra_fields`) or unknown enum values. It does
not insist on required members either: the live API leaves some out (a draft campaign comes back
with `campaign_schedule: {}`), and refusing the whole response would help nobody. Required-ness
is enforced where it matters, on requests, by the validators.
"""
from __future__ import annotations

from .cpp_types import value_type
from .families import family_dependencies, ordered_types
from .ir import Api, Model, Operation, TypeRef
from .naming import cpp_string
from .writer import OutputTree

# Lines of generated codec code per source, beyond which a family is split. About a second of
# -O3 compile per 100 lines: this keeps each object under ~10 s on the machines we build on.
PART_LINE_LIMIT = 900


def codec_header_path(family: str) -> str:
    return f"src/generated/codecs/{family}_codec.hpp"


def wire_header_path(family: str) -> str:
    return f"src/generated/codecs/{family}_wire.hpp"


# ---- which types each family decodes whole documents of ---------------------------------------

def _innermost(t: TypeRef) -> TypeRef:
    while t.kind == "array":
        t = t.item
    return t


def decoded_type(op: Operation) -> str | None:
    """The C++ type a resource method decodes its answer into, or None when it decodes nothing
    through the codecs (text, free-form JSON, empty answers)."""
    kind = op.response.kind
    if kind == "page":
        return f"Page<{value_type(op.response.type)}>"
    if kind in ("model", "array"):
        return value_type(op.response.type)
    return None


def documents_by_family(api: Api) -> dict[str, list[str]]:
    """Family -> the answer types whose `decode_document` it instantiates, in first-use order.
    Answers of free-form JSON items are instantiated once by hand (src/json/json_documents.cpp)."""
    family_of = {m.name: m.family for m in api.models}
    out: dict[str, list[str]] = {}
    for op in api.operations:
        cpp = decoded_type(op)
        if cpp is None:
            continue
        inner = _innermost(op.response.type)
        if inner.kind == "json":
            if cpp not in ("Page<Json>", "std::vector<Json>"):
                raise NotImplementedError(f"{op.operation_id}: {cpp} answers need an instantiation")
            continue
        if inner.kind != "model":
            raise NotImplementedError(f"{op.operation_id}: answers of {inner.kind} items")
        types = out.setdefault(family_of[inner.name], [])
        if cpp not in types:
            types.append(cpp)
    return out


def _item_model(cpp: str) -> str:
    """`Page<X>` / `std::vector<X>` / `X` -> X."""
    for prefix in ("Page<", "std::vector<"):
        if cpp.startswith(prefix):
            return _item_model(cpp[len(prefix):-1])
    return cpp


# ---- the wire header ---------------------------------------------------------------------------

def _instantiation(keyword: str, cpp: str) -> str:
    """`template T decode_document<T>(std::string_view);`, on two lines when one would be long."""
    head, tail = f"{keyword} {cpp}", f"decode_document<{cpp}>(std::string_view);"
    one_line = f"{head} {tail}"
    return one_line if len(one_line) <= 100 else f"{head}\n{tail}"


def family_wire_header(family: str, models: list[Model], documents: list[str]) -> str:
    params = [m for m in models if m.is_params]
    std = ["<string>"] + (["<string_view>"] if documents else [])
    if any(d.startswith("std::vector<") for d in documents):
        std.append("<vector>")
    lines = [f"// The `{family}` codecs as resources call them: request bodies out, answers in.",
             "// Declarations only, so that no JSON library is parsed by the callers.", "#pragma once", ""]
    lines += [f"#include {h}" for h in sorted(std)] + [""]
    lines += [f'#include "instantly/models/{family}.hpp"']
    if any(d.startswith("Page<") for d in documents):
        lines.append('#include "instantly/page.hpp"')
    lines.append('#include "json/document.hpp"')
    lines += ["", "namespace instantly::detail {", ""]
    if params:
        lines.append("/// Request bodies: body-located fields and extra_fields, never query fields.")
        lines += [f"std::string encode_body(const {m.name}& params);" for m in params]
        lines.append("")
    if documents:
        lines.append("// Instantiated by the family's codec source.")
        lines += [_instantiation("extern template", d) for d in documents]
        lines.append("")
    lines.append("}  // namespace instantly::detail")
    return "\n".join(lines) + "\n"


# ---- the codec header --------------------------------------------------------------------------

def declarations(model: Model) -> list[str]:
    return [
        "template <>",
        f"struct Codec<{model.name}> {{",
        f"  static void read(ondemand::value json, {model.name}& out, DecodeContext& ctx);",
        f"  static void write(JsonWriter& writer, const {model.name}& value);",
        "};",
    ]


def family_codec_header(family: str, models: list[Model], deps: set[str]) -> str:
    lines = [f"// JSON codecs of the `{family}` models (private).", "#pragma once", "",
             '#include "json/codec.hpp"', f'#include "instantly/models/{family}.hpp"',
             f'#include "{wire_header_path(family)[len("src/"):]}"']
    lines += [f'#include "generated/codecs/{d}_codec.hpp"' for d in sorted(deps)]
    lines += ["", "namespace instantly::detail {", ""]
    for model in models:
        lines += declarations(model) + [""]
    lines.append("}  // namespace instantly::detail")
    return "\n".join(lines) + "\n"


# ---- the codec sources -------------------------------------------------------------------------

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
                  "  return write_document([&params](JsonWriter& writer) {", "    writer.StartObject();"]
        lines += [f"    write_field(writer, {cpp_string(f.json_name)}, params.{f.cpp_name});"
                  for f in model.fields if f.location == "body"]
        lines += ["    write_extra_fields(writer, params.extra_fields);", "    writer.EndObject();", "  });", "}"]
    return lines


def model_definitions(model: Model) -> list[str]:
    return read_definition(model) + [""] + write_definition(model) + [""]


def split_into_parts(models: list[Model]) -> list[list[Model]]:
    """Consecutive runs of models whose definitions stay under PART_LINE_LIMIT lines (a model
    larger than that gets a part of its own)."""
    parts: list[list[Model]] = [[]]
    lines = 0
    for model in models:
        size = len(model_definitions(model)) + 4  # + from_json / to_json
        if parts[-1] and lines + size > PART_LINE_LIMIT:
            parts.append([])
            lines = 0
        parts[-1].append(model)
        lines += size
    return parts


def family_codec_source(family: str, models: list[Model], documents: list[str], part: str) -> str:
    names = {m.name for m in models}
    instantiations = [d for d in documents if _item_model(d) in names]
    what = f"JSON codecs of the `{family}` models" + (f" (part {part})" if part else "")
    lines = [f"// {what}.", "#include <string>", "#include <string_view>", "",
             f'#include "{codec_header_path(family)[len("src/"):]}"', "", "namespace instantly {", "",
             "namespace detail {", ""]
    for model in models:
        lines += model_definitions(model)
    if instantiations:
        lines.append(f"// The answers resources decode whole (declared in {family}_wire.hpp).")
        lines += [_instantiation("template", d) for d in instantiations]
        lines.append("")
    lines += ["}  // namespace detail", ""]
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
    documents = documents_by_family(api)
    for family in api.families():
        models = [t for t in ordered_types(api, family) if isinstance(t, Model)]
        if not models:
            if family in documents:
                raise ValueError(f"{family}: answers decoded but no models")
            continue
        family_documents = documents.get(family, [])
        tree.add(wire_header_path(family), family_wire_header(family, models, family_documents))
        tree.add(codec_header_path(family), family_codec_header(family, models, deps.get(family, set()) - {family}))
        parts = split_into_parts(models)
        for number, part in enumerate(parts, start=1):
            suffix = f"_{number}" if len(parts) > 1 else ""
            label = f"{number} of {len(parts)}" if len(parts) > 1 else ""
            tree.add(f"src/generated/codecs/{family}{suffix}.cpp",
                     family_codec_source(family, part, family_documents, label))
