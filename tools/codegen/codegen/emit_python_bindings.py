"""Emits the C++ half of the Python package's operations, and the stub of the whole `_core` module.

- bindings/python/src/generated/bind_<n>.cpp: one `_core` function per operation, named
  `<accessor>__<cpp name>` (`campaigns__remove`). Each decodes Python's JSON parameters with the
  operation's Params codec, calls the typed resource method and re-encodes the answer as JSON
  text; list operations return a `PageFetcher`. The operations are split over a few files of
  similar size so that they compile in parallel.
- bindings/python/src/generated/operations.hpp: the files' registration functions, in a list.
- bindings/python/instantly/_core.pyi: the stub of the module, the hand-written parts from
  bindings/python/stubs/*.pyi plus one line per operation.

The registration itself (`def_call`, `def_page`), the interruptible GIL-released call and the
conversions live in the hand-written bindings/python/src/operation.hpp.
"""
from __future__ import annotations

import os
import textwrap

from .emit_python import binding_name, method_name as python_method_name
from .emit_resources import method_name, wrap_call
from .ir import Api, Operation, Resource
from .naming import cpp_string
from .writer import OutputTree

SOURCE_DIR = "bindings/python/src/generated"
STUB = "bindings/python/instantly/_core.pyi"
FILES = 6


# ---- one operation ----------------------------------------------------------------------------

def _spec(op: Operation) -> list[str]:
    """The `OperationSpec` initializer's members: binding, Python name, path parameter names, params."""
    names = ", ".join(cpp_string(p.json_name) for p in op.path_params)
    return [cpp_string(binding_name(op)), cpp_string(f"{op.resource}.{python_method_name(op)}"),
            f"{{{names}}}", "true" if op.params is not None else "false"]


def _call_arguments(op: Operation, path: str, params: str, options: str) -> list[str]:
    args = [f"{path}[{i}]" for i in range(len(op.path_params))]
    if op.params is not None:
        args.append(params)
    args.append(options)
    return args


def call_function(op: Operation) -> str:
    """`std::optional<std::string> <binding>(const OperationInput& in)`: one call, its answer as JSON."""
    # Members the params do not declare travel in the body; an operation without one cannot take them.
    body = "true" if op.body_kind != "none" else "false"
    params = f"decode_params<instantly::{op.params.name}>(in, {body})" if op.params is not None else ""
    head = f"in.client.{op.resource}().{method_name(op)}"
    args = _call_arguments(op, "in.path_args", params, "in.options")
    kind = op.response.kind
    lines = [wrap_call("", f"std::optional<std::string> {binding_name(op)}", ["const OperationInput& in"], " {")]
    if kind == "empty":
        lines += [wrap_call("  ", head, args, ";"), "  return std::nullopt;"]
    else:
        encode = {"model": "encode_model", "array": "encode_list", "json": "encode_json",
                  "text": "encode_text"}[kind]
        lines.append(wrap_call("  ", f"return {encode}({head}", args, ");"))
    lines.append("}")
    return "\n".join(lines)


def page_function(op: Operation) -> str:
    """`PageFetch <binding>(const OperationInput& in)`: the fetcher of a list operation."""
    params = f"instantly::{op.params.name}"
    path = "path_args" if op.path_params else "/*path_args*/"
    lambda_args = ["const instantly::Client& client", f"const std::vector<std::string>& {path}",
                   f"{params} params", "const instantly::RequestOptions& options"]
    call_args = _call_arguments(op, "path_args", "std::move(params)", "options")
    return "\n".join([
        wrap_call("", f"PageFetch {binding_name(op)}", ["const OperationInput& in"], " {"),
        f"  return fetch_pages<{params}>(",
        wrap_call("      ", f"in, {'true' if op.body_kind != 'none' else 'false'}, []", lambda_args, " {"),
        wrap_call("        ", f"return client.{op.resource}().{method_name(op)}", call_args, ";"),
        "      });",
        "}",
    ])


def registration(op: Operation) -> str:
    define = "def_page" if op.response.kind == "page" else "def_call"
    spec = _spec(op)
    one_line = wrap_call("  ", define, ["module", "{" + ", ".join(spec) + "}", f"&{binding_name(op)}"], ";")
    if "\n" not in one_line:
        return one_line
    indent = " " * (len(define) + 3)
    return "\n".join([f"  {define}(module,", f"{indent}{{{spec[0]},", f"{indent} {', '.join(spec[1:])}}},",
                      f"{indent}&{binding_name(op)});"])


# ---- files ------------------------------------------------------------------------------------

def split(resources: list[Resource], count: int) -> list[list[Resource]]:
    """Resources in `count` groups of about equal operation counts (largest first into the
    lightest group), each group in API order so that a new operation moves little."""
    groups: list[list[Resource]] = [[] for _ in range(count)]
    sizes = [0] * count
    for resource in sorted(resources, key=lambda r: -len(r.operations)):
        lightest = sizes.index(min(sizes))
        groups[lightest].append(resource)
        sizes[lightest] += len(resource.operations)
    order = {r.accessor: i for i, r in enumerate(resources)}
    return [sorted(g, key=lambda r: order[r.accessor]) for g in groups if g]


def bind_source(number: int, resources: list[Resource]) -> str:
    ops = [op for r in resources for op in r.operations]
    functions = [page_function(op) if op.response.kind == "page" else call_function(op) for op in ops]
    includes = [f'#include "instantly/resources/{r.header}"' for r in sorted(resources, key=lambda r: r.header)]
    accessors = textwrap.wrap(f"`_core` functions of the {', '.join(r.accessor for r in resources)} operations.",
                              97)
    return f"""{chr(10).join('// ' + line for line in accessors)}
#include <optional>
#include <string>
#include <utility>
#include <vector>

{chr(10).join(includes)}
#include "generated/operations.hpp"
#include "operation.hpp"

namespace instantly_python::generated {{
namespace {{

{(chr(10) + chr(10)).join(functions)}

}}  // namespace

void bind_operations_{number}(pybind11::module_& module) {{
{chr(10).join(registration(op) for op in ops)}
}}

}}  // namespace instantly_python::generated
"""


def operations_header(count: int) -> str:
    declarations = "\n".join(f"void bind_operations_{n}(pybind11::module_& module);" for n in range(count))
    names = "".join(f"\n    bind_operations_{n}," for n in range(count))
    return f"""// The generated operation bindings: one registration function per file, all in one list.
#pragma once

namespace pybind11 {{
class module_;
}}  // namespace pybind11

namespace instantly_python::generated {{

{declarations}

/// Every registration function; the module calls each once.
inline constexpr void (*const kBindOperations[])(pybind11::module_&) = {{{names}
}};

}}  // namespace instantly_python::generated
"""


# ---- the stub ---------------------------------------------------------------------------------

STUB_PARTS = "bindings/python/stubs"


def stub_head(root: str) -> str:
    """The hand-written part of the stub: bindings/python/stubs/*.pyi in name order, one per
    hand-written binding file, so that several can change at once without touching this file."""
    folder = os.path.join(root, STUB_PARTS)
    parts = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".pyi"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                parts.append(f.read().rstrip("\n") + "\n")
    return "\n".join(parts)


def stub(api: Api, root: str) -> str:
    lines = [stub_head(root)]
    for op in api.operations:
        result = "PageFetcher" if op.response.kind == "page" else "Optional[str]"
        lines.append(f"def {binding_name(op)}(core: Core, path_args: List[str], params_json: Optional[str], "
                     f"options: CallOptions) -> {result}: ...")
    return "\n".join(lines) + "\n"


def emit(api: Api, tree: OutputTree) -> None:
    groups = split(api.resources, FILES)
    for number, resources in enumerate(groups):
        tree.add(f"{SOURCE_DIR}/bind_{number}.cpp", bind_source(number, resources))
    tree.add(f"{SOURCE_DIR}/operations.hpp", operations_header(len(groups)))
    tree.add(STUB, stub(api, tree.root), comment="#")
