"""Emits the resource classes: one method per operation, grouped by tag.

- include/instantly/resources/<accessor>.hpp: the class (`Campaigns`, `Leads`, ...);
- src/generated/resources/<accessor>.cpp: its methods, one file per resource so builds run in parallel;
- include/instantly/resources/accessors.hpp + src/generated/resources/accessors.cpp: the
  `client.<accessor>()` methods that `instantly::Client` inherits;
- include/instantly/resources.hpp: every resource header.

The .cpp files lean on src/core/resource_call.hpp (query building, send, pagination) and on the
codec entry points the codec emitter declares in src/generated/codecs/<family>_wire.hpp:
`std::string detail::encode_body(const XxxParams&)` for every params struct of an operation with
a JSON body, and `detail::decode_document<T>` for every answer type. They include no JSON
library, which keeps each resource source a small compile.
"""
from __future__ import annotations

import re
import textwrap

from . import naming
from .cpp_types import referenced_names, value_type
from .families import assign_families
from .ir import Api, Model, Operation, Resource
from .writer import OutputTree

PATH_PARAM = re.compile(r"\{([^}]+)\}")


# ---- names and types shared with the test and docs emitters ---------------------------------

def method_name(op: Operation) -> str:
    """The C++ method name: the operation's name, made safe where it is a keyword (`export_`)."""
    return naming.member(op.name)


def class_name(api: Api, resource: Resource) -> str:
    """The resource's C++ class: its IR name, unless a model already has it
    (`InboxPlacementAnalytics`, `WorkspaceBilling`), then with `Resource` appended."""
    taken = {m.name for m in api.models} | {e.name for e in api.enums}
    name = resource.class_name
    while name in taken:
        name += "Resource"
    return name


def return_type(op: Operation) -> str:
    kind = op.response.kind
    if kind in ("model", "array"):
        return value_type(op.response.type)
    if kind == "page":
        return f"Paginator<{value_type(op.response.type)}>"
    if kind == "text":
        return "std::string"
    if kind == "json":
        return "Json"
    if kind == "empty":
        return "void"
    raise ValueError(f"{op.operation_id}: unknown response kind {kind}")


def params_required(op: Operation) -> bool:
    return op.params is not None and any(f.required for f in op.params.fields)


def arguments(op: Operation, with_defaults: bool) -> list[str]:
    """Path parameters in path order, then the params struct, then the per-call options."""
    args = [f"std::string_view {p.cpp_name}" for p in op.path_params]
    if op.params is not None:
        # A list keeps its params for every page it fetches, so it takes them by value.
        arg = f"{op.params.name} params" if op.response.kind == "page" else f"const {op.params.name}& params"
        if with_defaults and not params_required(op):
            arg += " = {}"
        args.append(arg)
    args.append("RequestOptions options = {}" if with_defaults else "RequestOptions options")
    return args


def check_supported(op: Operation) -> None:
    if op.body_kind == "json":
        # A body that is not an object has no params struct to carry it; nothing in the spec
        # needs one today. Fail loudly rather than emit a method that drops the body.
        raise NotImplementedError(f"{op.operation_id}: request bodies that are not JSON objects")


def _type_families(api: Api) -> dict[str, str]:
    return {**{m.name: m.family for m in api.models}, **{e.name: e.family for e in api.enums}}


def _used_families(op: Operation, family_of: dict[str, str]) -> set[str]:
    names: set[str] = set()
    if op.params is not None:
        names.add(op.params.name)
    if op.response.type is not None:
        names |= referenced_names(op.response.type)
    return {family_of[n] for n in names}


# ---- layout -----------------------------------------------------------------------------------

LINE_LIMIT = 100


def wrap_call(indent: str, head: str, args: list[str], tail: str) -> str:
    """`head(args)tail` on one line, or wrapped with continuation lines aligned under the first
    argument (or, when that is too far right, indented four more than `indent`)."""
    one_line = f"{indent}{head}({', '.join(args)}){tail}"
    if len(one_line) <= LINE_LIMIT:
        return one_line
    column = len(indent) + len(head) + 1
    lines, current = [], f"{indent}{head}("
    if column > LINE_LIMIT // 2 or column + max(len(a) for a in args) + 2 > LINE_LIMIT:
        lines.append(current)
        column = len(indent) + 4
        current = " " * column
    fresh = True  # nothing on the current line yet but the opener or the indent
    for i, arg in enumerate(args):
        piece = arg + (", " if i + 1 < len(args) else f"){tail}")
        if len(current) + len(piece.rstrip()) > LINE_LIMIT and not fresh:
            lines.append(current.rstrip())
            current = " " * column
        current += piece
        fresh = False
    lines.append(current)
    return "\n".join(lines)


def doc_lines(text: str, indent: str) -> list[str]:
    width = LINE_LIMIT - len(indent) - 4
    return [f"{indent}/// {line}" for line in textwrap.wrap(text, width, break_on_hyphens=False)]


# ---- the header -------------------------------------------------------------------------------

def _doc(op: Operation) -> list[str]:
    what = {
        "model": lambda: f"returns a `{value_type(op.response.type)}`.",
        "array": lambda: f"returns a list of `{value_type(op.response.type.item)}`.",
        "page": lambda: (f"every `{value_type(op.response.type)}`, page by page as you iterate "
                         f"(cursor in the {op.cursor_in})."),
        "text": lambda: "returns the response body as text.",
        "json": lambda: "returns the JSON body as is (the API gives it no fixed shape).",
        "empty": lambda: f"returns nothing (the API answers {op.response.status} without a body).",
    }[op.response.kind]()
    text = f"`{op.method} {op.path}`: {what}"
    if op.response.status == 202:
        text += (" The API accepts the work (202) and finishes it later: the result acknowledges"
                 " the request, it does not report the outcome.")
    if op.response.type is not None and op.response.type.name == "BackgroundJob" and op.method != "GET":
        text += " The work runs in the background: poll `client.background_jobs().get(job.id)` until it ends."
    if op.idempotent and op.method == "POST" and op.response.kind != "page":
        text += " Safe to repeat, so failures are retried as for a GET."
    return doc_lines(text, "  ")


def resource_header(api: Api, resource: Resource) -> str:
    family_of = _type_families(api)
    families: set[str] = set()
    for op in resource.operations:
        families |= _used_families(op, family_of)
    std = ["<memory>", "<utility>"]
    if any(op.path_params for op in resource.operations):
        std.append("<string_view>")
    if any(op.response.kind == "text" for op in resource.operations):
        std.append("<string>")
    if any(op.response.kind == "array" for op in resource.operations):
        std.append("<vector>")
    includes = [f"#include {h}" for h in sorted(std)] + [""]
    includes.append('#include "instantly/client.hpp"')
    includes += [f'#include "instantly/models/{f}.hpp"' for f in sorted(families)]

    methods = []
    for op in resource.operations:
        check_supported(op)
        declaration = wrap_call("  ", f"{return_type(op)} {method_name(op)}",
                                arguments(op, with_defaults=True), " const;")
        methods.append("\n".join(_doc(op)) + "\n" + declaration)

    cls = class_name(api, resource)
    return f"""// `client.{resource.accessor}()`: the API's `{resource.tag}` operations.
#pragma once

{chr(10).join(includes)}

namespace instantly {{

/// The `{resource.tag}` operations, one method per endpoint; get one from
/// `client.{resource.accessor}()`.
///
/// A cheap handle that shares the client's connections, limits and options;
/// safe to use from many threads. `options` adds query parameters, body
/// members, headers, a timeout, a retry budget or a stop token to one call.
/// Every method throws the `ApiError` subclass for an error status,
/// `ApiConnectionError` when no response came, `CancelledError` when
/// `options.stop` stopped it, `DecodeError` for a body of another shape, and
/// `ValidationError` when `ClientOptions::validate_requests` catches a bad
/// request before it is sent.
class {cls} {{
 public:
{(chr(10) + chr(10)).join(methods)}

 private:
  // Made by `client.{resource.accessor}()` only: the core is not public API.
  friend class detail::ResourceAccessors;
  explicit {cls}(std::shared_ptr<detail::ClientCore> core)
      : core_(std::move(core)) {{}}

  std::shared_ptr<detail::ClientCore> core_;
}};

}}  // namespace instantly
"""


# ---- the implementation -----------------------------------------------------------------------

def path_expression(op: Operation) -> str:
    """`"/api/v2/campaigns/" + detail::path_segment(id, "id") + "/pause"`."""
    by_json = {p.json_name: p.cpp_name for p in op.path_params}
    parts: list[str] = []
    pos = 0
    for match in PATH_PARAM.finditer(op.path):
        if match.start() > pos:
            parts.append(naming.cpp_string(op.path[pos:match.start()]))
        parts.append(f"detail::path_segment({by_json[match.group(1)]}, {naming.cpp_string(match.group(1))})")
        pos = match.end()
    if pos < len(op.path):
        parts.append(naming.cpp_string(op.path[pos:]))
    return " + ".join(parts)


def query_fields(op: Operation):
    return [f for f in op.params.fields if f.location == "query"] if op.params else []


def has_body(op: Operation) -> bool:
    return op.params is not None and op.body_kind == "object" and \
        any(f.location == "body" for f in op.params.fields)


def _call(op: Operation, params: str, path: str, indent: str) -> list[str]:
    """The designated initializers of the `detail::Call` for `op`."""
    idempotent = True if op.response.kind == "page" else op.idempotent
    fields = [
        f".operation_id = {naming.cpp_string(op.operation_id)},",
        f".method = {naming.cpp_string(op.method)},",
        f".path = {path},",
    ]
    if query_fields(op):
        fields.append(f".query = query_of({params}),")
    if has_body(op):
        fields.append(f".body = detail::encode_body({params}),")
    if idempotent is not None:
        fields.append(f".idempotent = {'true' if idempotent else 'false'},")
    if op.response.media_type != "application/json":
        fields.append(f".accept = {naming.cpp_string(op.response.media_type)},")
    return [indent + "    " + f for f in fields]


def _decode(op: Operation, models: dict[str, Model]) -> str:
    if op.response.kind == "json":
        return "detail::parse_json_body(response)"
    if op.response.kind == "page":
        return f"detail::decode_document<Page<{value_type(op.response.type)}>>(response.body)"
    decoded = f"detail::decode_document<{return_type(op)}>(response.body)"
    if creates_object_with_id(op, models):
        return f"detail::require_created_id({decoded}, {naming.cpp_string(op.operation_id)})"
    return decoded


def creates_object_with_id(op: Operation, models: dict[str, Model]) -> bool:
    """A create call answering with a model whose `id` the spec requires: the id must come back."""
    if not op.operation_id.startswith("create") or op.response.kind != "model":
        return False
    model = models.get(op.response.type.name)
    return model is not None and any(f.json_name == "id" and f.required for f in model.fields)


def method_definition(cls: str, op: Operation, models: dict[str, Model]) -> str:
    signature = wrap_call("", f"{return_type(op)} {cls}::{method_name(op)}",
                          arguments(op, with_defaults=False), " const {")
    kind = op.response.kind
    if kind == "page":
        item = value_type(op.response.type)
        lines = [signature]
        captures = "core = core_, options = std::move(options)"
        path = path_expression(op)
        if op.path_params:  # encoded once, then shared by every page
            lines.append(f"  std::string path = {path};")
            captures = "core = core_, path = std::move(path), options = std::move(options)"
            path = "path"
        lines += [
            wrap_call("  ", f"auto fetch_page = [{captures}]", [f"const {op.params.name}& page"], " {"),
            "    const HttpResponse response = detail::send(*core, {",
            *_call(op, "page", path, "  "),
            "    }, options);",
            f"    return {_decode(op, models)};",
            "  };",
            f"  return detail::paginate<{item}>(std::move(params), std::move(fetch_page));",
            "}",
        ]
        return "\n".join(lines)

    send = ["detail::send(*core_, {", *_call(op, "params", path_expression(op), ""),
            "  }, std::move(options));"]
    if kind == "empty":
        lines = [signature, "  " + send[0], *send[1:], "}"]
    elif kind == "text":
        lines = [signature, "  HttpResponse response = " + send[0], *send[1:],
                 "  return std::move(response.body);", "}"]
    else:
        lines = [signature, "  const HttpResponse response = " + send[0], *send[1:],
                 f"  return {_decode(op, models)};", "}"]
    return "\n".join(lines)


def query_builder(op: Operation) -> str:
    lines = [f"QueryParams query_of(const {op.params.name}& params) {{", "  QueryParams query;"]
    for f in query_fields(op):
        lines.append(f"  detail::add_query(query, {naming.cpp_string(f.json_name)}, params.{f.cpp_name});")
    lines += ["  return query;", "}"]
    return "\n".join(lines)


def resource_source(api: Api, resource: Resource) -> str:
    family_of = _type_families(api)
    families: set[str] = set()
    for op in resource.operations:
        families |= _used_families(op, family_of)
    std = {"<utility>"}
    if any(op.response.kind == "page" and op.path_params for op in resource.operations) or \
            any(op.response.kind == "text" for op in resource.operations):
        std.add("<string>")
    includes = [f"#include {h}" for h in sorted(std)] + [""]
    includes.append('#include "core/resource_call.hpp"')
    with_codecs = {m.family for m in api.models}  # a family of enums alone has no wire header
    includes += [f'#include "generated/codecs/{f}_wire.hpp"' for f in sorted(families & with_codecs)]

    sections = []
    builders = [query_builder(op) for op in resource.operations if query_fields(op)]
    if builders:
        sections.append("namespace {\n\n" + "\n\n".join(builders) + "\n\n}  // namespace")
    cls = class_name(api, resource)
    models = {m.name: m for m in api.models}
    sections += [method_definition(cls, op, models) for op in resource.operations]
    return (f"// `{cls}`: builds each request from its typed params, sends it, "
            f"decodes the answer.\n"
            f'#include "instantly/resources/{resource.header}"\n\n'
            + "\n".join(includes) + "\n\nnamespace instantly {\n\n"
            + "\n\n".join(sections) + "\n\n}  // namespace instantly\n")


# ---- the client's accessors -------------------------------------------------------------------

def accessors_header(api: Api) -> str:
    forward = "\n".join(f"class {class_name(api, r)};" for r in api.resources)
    methods = "\n".join(f"  {class_name(api, r)} {r.accessor}() const;" for r in api.resources)
    return f"""// The `client.<resource>()` accessors that `instantly::Client` inherits.
//
// The resource classes are only declared here, so that client.hpp stays light;
// include "instantly/resources.hpp" (or one resource's header) to call them.
#pragma once

#include <memory>
#include <utility>

namespace instantly {{

{forward}

namespace detail {{

class ClientCore;

/// One accessor per API resource, each returning a cheap handle that shares
/// the client's core (connections, limits, options).
class ResourceAccessors {{
 public:
{methods}

 protected:
  explicit ResourceAccessors(std::shared_ptr<ClientCore> core) : core_(std::move(core)) {{}}
  // Protected and non-virtual: only `Client` derives from this, and nothing
  // owns a Client through a pointer to this base.
  ~ResourceAccessors() = default;
  ResourceAccessors(const ResourceAccessors&) = default;
  ResourceAccessors(ResourceAccessors&&) noexcept = default;
  ResourceAccessors& operator=(const ResourceAccessors&) = default;
  ResourceAccessors& operator=(ResourceAccessors&&) noexcept = default;

  const std::shared_ptr<ClientCore>& shared_core() const noexcept {{ return core_; }}

 private:
  std::shared_ptr<ClientCore> core_;
}};

}}  // namespace detail
}}  // namespace instantly
"""


def accessors_source(api: Api) -> str:
    bodies = "\n\n".join(
        f"{class_name(api, r)} ResourceAccessors::{r.accessor}() const {{\n"
        f"  return {class_name(api, r)}(core_);\n}}"
        for r in api.resources)
    return f"""// `Client`'s resource accessors: each wraps the shared core in a resource handle.
#include "instantly/resources/accessors.hpp"

#include "instantly/resources.hpp"

namespace instantly::detail {{

{bodies}

}}  // namespace instantly::detail
"""


def umbrella(api: Api) -> str:
    lines = ["// Every resource of the API: `client.campaigns()`, `client.leads()`, ...", "#pragma once", ""]
    lines += [f'#include "instantly/resources/{r.header}"' for r in sorted(api.resources, key=lambda r: r.header)]
    return "\n".join(lines) + "\n"


def emit(api: Api, tree: OutputTree) -> None:
    assign_families(api)  # the model headers' grouping, whichever emitter runs first
    for resource in api.resources:
        tree.add(f"include/instantly/resources/{resource.header}", resource_header(api, resource))
        tree.add(f"src/generated/resources/{resource.accessor}.cpp", resource_source(api, resource))
    tree.add("include/instantly/resources/accessors.hpp", accessors_header(api))
    tree.add("src/generated/resources/accessors.cpp", accessors_source(api))
    tree.add("include/instantly/resources.hpp", umbrella(api))
