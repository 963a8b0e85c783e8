"""Emits the request validators: every operation's body and query schemas as static data (private).

- src/generated/validation/schemas_<n>.cpp: the schema nodes of a run of resources' operations.
  A few files of similar size rather than one per resource: each file pays ~0.5 s to parse its
  headers while the data itself costs little, so four files keep a -j2 build busy at a fraction
  of the cost of thirty;
- src/generated/validation/components.cpp: component schemas a request `$ref`s, emitted once
  however many operations share them (only when some request uses a `$ref`);
- src/generated/validation/request_schemas.hpp: `extern` declarations of everything one of those
  files defines and another uses (operation roots, query tables, components);
- src/generated/validation/operation_table.cpp: the table of all operations, sorted by id, with
  `find_operation`, `match_operation` and `all_operations`;
- src/generated/validation/validate_request.cpp: `validate_request`;
- src/validation/operations.hpp: the declarations of the last two.

The data takes exactly the form src/validation/schema.hpp describes. Keywords the interpreter has
no field for are dropped here (see `normalize`); the server still checks them.
"""
from __future__ import annotations

import json
from typing import Union

from . import naming, overlay
from .ir import Api, Operation, Resource
from .writer import OutputTree

OUT = "src/generated/validation"
DECLARATIONS_HEADER = f"{OUT}/request_schemas.hpp"
NAMESPACE = "instantly::detail::validation"
# How many files the schema data is split into (see the module comment).
SCHEMA_FILES = 4

# C++ TypeSet constant for each JSON type, in the order they are written.
TYPE_SETS = {"string": "kString", "number": "kNumber", "integer": "kInteger", "boolean": "kBoolean",
             "array": "kArray", "object": "kObject", "null": "kNull"}
FORMATS = {"email": "Format::Email", "date": "Format::Date", "date-time": "Format::DateTime"}
# Keywords copied as they are (numbers and counts).
NUMERIC = ("minProperties", "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum")

Schema = Union[bool, dict]


# ---- normalising: only what the interpreter checks -----------------------------------------

def is_anything(schema: Schema) -> bool:
    return schema is True or schema == {}


def normalize(schema: Schema) -> Schema:
    """The schema with only the keywords schema.hpp models, children normalised too.

    Prose, examples, defaults and `x-` keys go, and so do formats other than email/date/date-time.
    Branches that no longer constrain anything are removed, and so is an `if` with neither `then`
    nor `else` that constrains anything.
    """
    if isinstance(schema, bool):
        return schema
    if "$ref" in schema:
        ref = {"$ref": schema["$ref"]}
        rest = normalize({k: v for k, v in schema.items() if k != "$ref"})
        return ref if is_anything(rest) else {"allOf": [ref, rest]}

    out: dict = {}
    types = schema.get("type")
    if types is not None:
        out["type"] = types if isinstance(types, list) else [types]
    if "properties" in schema:
        out["properties"] = {name: normalize(child) for name, child in schema["properties"].items()}
    if schema.get("required"):
        out["required"] = list(schema["required"])
    if "additionalProperties" in schema:
        extra = normalize(schema["additionalProperties"])
        if not is_anything(extra):
            out["additionalProperties"] = extra
    if "items" in schema and not isinstance(schema["items"], list):
        items = normalize(schema["items"])
        if not is_anything(items):
            out["items"] = items
    for key in NUMERIC:
        if isinstance(schema.get(key), (int, float)) and not isinstance(schema[key], bool):
            out[key] = schema[key]
    if isinstance(schema.get("pattern"), str):
        out["pattern"] = schema["pattern"]
    if schema.get("format") in FORMATS:
        out["format"] = schema["format"]
    if isinstance(schema.get("enum"), list):
        values = list(schema["enum"])
        # `type: ["string", "null"]` with `enum: ["a"]` means "a or null" to the spec's authors.
        if "null" in out.get("type", []) and None not in values:
            values.append(None)
        out["enum"] = values
    if "allOf" in schema:
        branches = [normalize(b) for b in schema["allOf"]]
        if any(b is False for b in branches):
            return False
        branches = [b for b in branches if not is_anything(b)]
        if branches:
            out["allOf"] = branches
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [normalize(b) for b in schema[key]]
            # One branch that takes anything makes the whole keyword a no-op.
            if not any(is_anything(b) for b in branches):
                out[key] = [b for b in branches if b is not False] or [False]
    for key in ("contains", "not"):
        if key in schema:
            out[key] = normalize(schema[key])
    if schema.get("uniqueItems") is True:
        out["uniqueItems"] = True
    if "if" in schema:
        consequences = {key: normalize(schema[key]) for key in ("then", "else") if key in schema}
        consequences = {key: branch for key, branch in consequences.items() if not is_anything(branch)}
        if consequences:
            out["if"] = normalize(schema["if"])
            out.update(consequences)
    if schema.get("readOnly") is True:
        out["readOnly"] = True
    return out


# ---- C++ text helpers ----------------------------------------------------------------------

def raw_literal(text: str, delimiter: str) -> str:
    """A raw string literal whose delimiter cannot occur in `text`."""
    candidate, n = delimiter, 0
    while f"){candidate}\"" in text:
        n += 1
        candidate = f"{delimiter}{n}"
    return f'R"{candidate}({text}){candidate}"'


def number(value: Union[int, float]) -> str:
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def braced_list(items: list[str], indent: str = "    ") -> str:
    """`{a, b}` on one line when short, otherwise one item per line."""
    one_line = "{" + ", ".join(items) + "}"
    if len(one_line) <= 80:
        return one_line
    return "{\n" + "".join(f"{indent}{item},\n" for item in items) + "}"


def component_name(ref: str) -> str:
    return "component_" + naming.snake(ref.split("/")[-1])


def body_name(op: Operation) -> str:
    return naming.snake(op.operation_id) + "_body"


def query_name(op: Operation) -> str:
    return naming.snake(op.operation_id) + "_query"


# ---- one translation unit of schema nodes ----------------------------------------------------

class NodeWriter:
    """Writes schema nodes children-first; identical subtrees within one file share a node."""

    def __init__(self) -> None:
        self.internal: list[str] = []  # lines inside the unnamed namespace
        self.exported: list[str] = []  # roots and query tables, visible to other files
        self.by_signature: dict[str, str] = {}
        self.components: set[str] = set()  # `$ref` targets used here
        self.count = 0

    def pointer(self, schema: Schema) -> str:
        """A `const Schema*` expression for a normalised child schema."""
        if is_anything(schema):
            return "&kAnyValue"
        if schema is False:
            return "&kNever"
        if set(schema) == {"$ref"}:
            self.components.add(schema["$ref"])
            return "&" + component_name(schema["$ref"])
        signature = json.dumps(schema)
        if signature not in self.by_signature:
            for child in children(schema):
                self.pointer(child)  # defined first, so that node numbers rise down the file
            name = f"s{self.count}"
            self.count += 1
            self.internal += self.define(schema, name)
            self.by_signature[signature] = "&" + name
        return self.by_signature[signature]

    def define(self, schema: Schema, name: str) -> list[str]:
        """The lines defining node `name`. Its arrays and children go to the internal lines."""
        if schema is True or schema is False or set(schema) == {"$ref"}:
            # A root that is only an alias: the node gets the alias's constraints by allOf.
            schema = {"allOf": [schema]}
        fields = self.initializers(schema, name)
        line = f"const Schema {name}{{{', '.join(fields)}}};"
        if len(line) <= 100 or len(fields) < 2:  # a long enum list stays on its line
            return [line]
        return [f"const Schema {name}{{", *[f"    {f}," for f in fields[:-1]], f"    {fields[-1]}}};"]

    def array(self, declaration: str, items: list[str]) -> None:
        self.internal.append(f"{declaration} = {braced_list(items)};")

    def initializers(self, schema: dict, name: str) -> list[str]:
        """Designated initialisers in the order `Schema` declares its fields."""
        fields = []
        if "type" in schema:
            fields.append(".types = " + " | ".join(TYPE_SETS[t] for t in TYPE_SETS if t in schema["type"]))
        if schema.get("properties"):
            entries = [f"{{{naming.cpp_string(key)}, {self.pointer(child)}}}"
                       for key, child in schema["properties"].items()]
            self.array(f"const Property {name}_properties[]", entries)
            fields.append(f".properties = {name}_properties")
        if "required" in schema:
            self.array(f"const char* const {name}_required[]", [naming.cpp_string(r) for r in schema["required"]])
            fields.append(f".required = {name}_required")
        if "additionalProperties" in schema:
            fields.append(f".additional_properties = {self.pointer(schema['additionalProperties'])}")
        if "minProperties" in schema:
            fields.append(f".min_properties = {number(schema['minProperties'])}")
        if "items" in schema:
            fields.append(f".items = {self.pointer(schema['items'])}")
        for key, field in (("minItems", "min_items"), ("maxItems", "max_items")):
            if key in schema:
                fields.append(f".{field} = {number(schema[key])}")
        if "contains" in schema:
            fields.append(f".contains = {self.pointer(schema['contains'])}")
        if schema.get("uniqueItems"):
            fields.append(".unique_items = true")
        for key, field in (("minLength", "min_length"), ("maxLength", "max_length")):
            if key in schema:
                fields.append(f".{field} = {number(schema[key])}")
        if "pattern" in schema:
            fields.append(f".pattern = {raw_literal(schema['pattern'], 're')}")
        if "format" in schema:
            fields.append(f".format = {FORMATS[schema['format']]}")
        for key in ("minimum", "maximum"):
            if key in schema:
                fields.append(f".{key} = {number(schema[key])}")
        if "enum" in schema:
            fields.append(f".enum_json = {raw_literal(json.dumps(schema['enum'], separators=(',', ':')), 'json')}")
        for key, field in (("allOf", "all_of"), ("anyOf", "any_of"), ("oneOf", "one_of")):
            if key in schema:
                self.array(f"const Schema* const {name}_{field}[]", [self.pointer(b) for b in schema[key]])
                fields.append(f".{field} = {name}_{field}")
        for key, field in (("not", "not_schema"), ("if", "if_schema"), ("then", "then_schema"),
                           ("else", "else_schema")):
            if key in schema:
                fields.append(f".{field} = {self.pointer(schema[key])}")
        if schema.get("readOnly"):
            fields.append(".read_only = true")
        return fields

    def add_operation(self, op: Operation) -> None:
        self.exported.append(f"// {op.operation_id}: {op.method} {op.path}")
        if takes_body(op):
            self.exported += self.define(normalize(body_with_rules(op)), body_name(op))
        if op.query_schemas:
            self.add_query(op)

    def add_query(self, op: Operation) -> None:
        rows = []
        for name, required, schema in op.query_schemas:
            normalized = normalize(schema)
            pointer = "nullptr" if is_anything(normalized) else self.pointer(normalized)
            repeated = isinstance(normalized, dict) and "array" in normalized.get("type", [])
            rows.append(f"{{{naming.cpp_string(name)}, {str(required).lower()}, {pointer}, "
                        f"{str(repeated).lower()}}}")
        self.exported.append(f"const QueryParam {query_name(op)}[] = {braced_list(rows)};")

    def source(self, comment: str) -> str:
        lines = [comment, '#include "generated/validation/request_schemas.hpp"', "",
                 f"namespace {NAMESPACE}::generated {{"]
        if self.internal:
            lines += ["namespace {", "", *self.internal, "", "}  // namespace"]
        lines += ["", *self.exported, "", f"}}  // namespace {NAMESPACE}::generated"]
        return "\n".join(lines) + "\n"


def children(schema: dict) -> list[Schema]:
    """The subschemas a node points to, in the order its initialiser names them."""
    out = list(schema.get("properties", {}).values())
    out += [schema[key] for key in ("additionalProperties", "items", "contains") if key in schema]
    for key in ("allOf", "anyOf", "oneOf"):
        out += schema.get(key, [])
    out += [schema[key] for key in ("not", "if", "then", "else") if key in schema]
    return out


def body_with_rules(op: Operation) -> dict:
    """The body schema with the rules overlay.py adds for this operation (as more `allOf`)."""
    rules = overlay.REQUEST_RULES.get(op.operation_id, [])
    if not rules:
        return op.body_schema
    return {**op.body_schema, "allOf": [*op.body_schema.get("allOf", []), *rules]}


def takes_body(op: Operation) -> bool:
    return op.body_schema is not None


def has_data(op: Operation) -> bool:
    return takes_body(op) or bool(op.query_schemas)


def node_count(schema: Schema) -> int:
    return 1 + sum(node_count(child) for child in children(schema)) if isinstance(schema, dict) else 0


def data_size(resource: Resource) -> int:
    """Roughly how many schema nodes a resource's operations produce (before sharing)."""
    schemas = [op.body_schema for op in resource.operations if takes_body(op)]
    schemas += [schema for op in resource.operations for _, _, schema in op.query_schemas]
    return sum(node_count(normalize(schema)) for schema in schemas)


def split_resources(resources: list[Resource], parts: int) -> list[list[Resource]]:
    """`parts` groups of resources of similar data size; each group keeps the spec's order.

    Largest resource first, each into the lightest group so far (ties: the earlier group).
    """
    sized = [(r, data_size(r)) for r in resources if any(has_data(op) for op in r.operations)]
    groups: list[list[Resource]] = [[] for _ in range(min(parts, len(sized)))]
    loads = [0] * len(groups)
    for resource, size in sorted(sized, key=lambda item: (-item[1], item[0].accessor)):
        lightest = loads.index(min(loads))
        groups[lightest].append(resource)
        loads[lightest] += size
    order = {id(r): i for i, r in enumerate(resources)}
    return [sorted(group, key=lambda r: order[id(r)]) for group in groups]


def schemas_source(resources: list[Resource]) -> tuple[str, set[str]]:
    """One file of schema data, and the components it points to."""
    writer = NodeWriter()
    for resource in resources:
        for op in resource.operations:
            if has_data(op):
                writer.add_operation(op)
    names = ", ".join(r.accessor for r in resources)
    comment = f"// Request schemas of the operations of: {names} (private)."
    return writer.source(comment), writer.components


def components_source(spec_components: dict, wanted: set[str]) -> str:
    """Each `$ref`'d component once; it may point to further components (or itself) by name."""
    writer = NodeWriter()
    done: set[str] = set()
    pending = sorted(wanted)
    while pending:
        ref = pending.pop(0)
        if ref in done:
            continue
        done.add(ref)
        schema = spec_components[ref.split("/")[-1]]
        writer.exported += writer.define(normalize(schema), component_name(ref))
        pending += sorted(writer.components - done)
    return writer.source("// Component schemas that requests share by `$ref` (private)."), done


# ---- the cross-file declarations -------------------------------------------------------------

def declarations_header(ops: list[Operation], components: set[str]) -> str:
    lines = ["// Every request schema one generated file defines and another uses (private).",
             "// Array bounds are spelled out so that spans over them are constant-initialised.",
             "#pragma once", "", '#include "validation/schema.hpp"', '#include "validation/validate.hpp"', "",
             f"namespace {NAMESPACE}::generated {{", ""]
    lines += [f"extern const Schema {component_name(ref)};" for ref in sorted(components)]
    for op in ops:
        if takes_body(op):
            lines.append(f"extern const Schema {body_name(op)};")
        if op.query_schemas:
            lines.append(f"extern const QueryParam {query_name(op)}[{len(op.query_schemas)}];")
    lines += ["", f"}}  // namespace {NAMESPACE}::generated"]
    return "\n".join(lines) + "\n"


# ---- the operation table ---------------------------------------------------------------------

OPERATIONS_HEADER = f"""\
// The API's operations as data, for request validation in the SDK and in the
// mock server (private). Defined in src/generated/validation/.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/json.hpp"
#include "validation/schema.hpp"
#include "validation/validate.hpp"

namespace {NAMESPACE} {{

/// One operation: where it lives and what its request may carry.
struct OperationSchema {{
  std::string_view operation_id;  ///< "createCampaign"
  std::string_view method;        ///< "POST"
  std::string_view path;          ///< "/api/v2/campaigns/{{id}}", as the spec writes it
  const Schema* body;             ///< nullptr when the operation takes no body
  std::span<const QueryParam> query;
  std::span<const std::string_view> path_params;  ///< in path order
}};

/// The operation with this id; nullptr if unknown.
const OperationSchema* find_operation(std::string_view operation_id);

/// For the mock server: the operation a request path matches, e.g.
/// ("GET", "/api/v2/campaigns/abc"); nullptr if none. A literal segment beats
/// a `{{param}}` one (`/campaigns/analytics` is not `/campaigns/{{id}}`), a
/// parameter never matches an empty segment, and a trailing slash counts.
/// Anything after `?` is ignored.
const OperationSchema* match_operation(std::string_view method, std::string_view path);

/// Every operation, sorted by id.
std::span<const OperationSchema> all_operations();

/// `instantly::QueryParams`, spelled out: instantly/client.hpp would more than
/// double the compile time of every file that includes this one.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Validates one request; returns the issues (empty = valid), at most kMaxIssues.
/// `body` is what goes on the wire: std::nullopt when nothing is sent. A body
/// for an operation that takes none is an issue; so is a missing body when
/// the schema requires members (each missing member is reported).
std::vector<Issue> validate_request(const OperationSchema& operation, const QueryParams& query,
                                    const std::optional<Json>& body);

}}  // namespace {NAMESPACE}
"""

OPERATION_LOOKUP = r"""
bool is_parameter(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether `path` fits `templ`, segment by segment. The score has one bit per
// `{param}` segment, earlier segments on higher bits, so of two templates that
// fit, the one with the lower score is literal where the other first is not.
std::optional<std::uint64_t> fit(std::string_view templ, std::string_view path) {
  std::uint64_t score = 0;
  for (int bit = 63;; --bit) {
    const std::size_t templ_end = templ.find('/');
    const std::size_t path_end = path.find('/');
    const std::string_view expected = templ.substr(0, templ_end);
    const std::string_view actual = path.substr(0, path_end);
    if (is_parameter(expected)) {
      if (actual.empty()) return std::nullopt;
      if (bit >= 0) score |= std::uint64_t{1} << bit;
    } else if (expected != actual) {
      return std::nullopt;
    }
    if ((templ_end == std::string_view::npos) != (path_end == std::string_view::npos)) return std::nullopt;
    if (templ_end == std::string_view::npos) return score;
    templ.remove_prefix(templ_end + 1);
    path.remove_prefix(path_end + 1);
  }
}

}  // namespace

const OperationSchema* find_operation(std::string_view operation_id) {
  const auto found = std::ranges::lower_bound(kOperations, operation_id, {}, &OperationSchema::operation_id);
  if (found == std::end(kOperations) || found->operation_id != operation_id) return nullptr;
  return found;
}

const OperationSchema* match_operation(std::string_view method, std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  const OperationSchema* best = nullptr;
  std::uint64_t best_score = 0;
  for (const OperationSchema& operation : kOperations) {
    if (operation.method != method) continue;
    const std::optional<std::uint64_t> score = fit(operation.path, path);
    if (score && (best == nullptr || *score < best_score)) {
      best = &operation;
      best_score = *score;
    }
  }
  return best;
}

std::span<const OperationSchema> all_operations() { return kOperations; }
"""

VALIDATE_REQUEST = f"""\
// validate_request: one request's body and query against its operation.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "validation/operations.hpp"

namespace {NAMESPACE} {{

std::vector<Issue> validate_request(const OperationSchema& operation, const QueryParams& query,
                                    const std::optional<Json>& body) {{
  std::vector<Issue> issues;
  if (operation.body == nullptr) {{
    if (body) {{
      std::string message = "body is not allowed: ";
      message += operation.method;
      message += ' ';
      message += operation.path;
      message += " takes no request body";
      issues.push_back({{"body", std::move(message)}});
    }}
  }} else if (body) {{
    issues = validate(*body, *operation.body, "body");
  }} else if (!operation.body->required.empty()) {{
    // Nothing sent where members are required: name each missing one, as for `{{}}`.
    issues = validate(Json::object(), *operation.body, "body");
  }}
  for (Issue& issue : validate_query(query, operation.query)) {{
    if (issues.size() >= kMaxIssues) break;
    issues.push_back(std::move(issue));
  }}
  return issues;
}}

}}  // namespace {NAMESPACE}
"""


def path_params_name(names: list[str]) -> str:
    return "kPath_" + "_".join(naming.snake(n) for n in names)


def operation_row(op: Operation) -> str:
    body = f"&generated::{body_name(op)}" if takes_body(op) else "nullptr"
    query = f"generated::{query_name(op)}" if op.query_schemas else "{}"
    params = path_params_name([p.json_name for p in op.path_params]) if op.path_params else "{}"
    return (f"    {{{naming.cpp_string(op.operation_id)}, {naming.cpp_string(op.method)}, "
            f"{naming.cpp_string(op.path)}, {body}, {query}, {params}}},")


def operation_table_source(ops: list[Operation]) -> str:
    ordered = sorted(ops, key=lambda op: op.operation_id.encode())  # byte order, as string_view compares
    param_lists: dict[str, list[str]] = {}
    for op in ordered:
        names = [p.json_name for p in op.path_params]
        if names:
            param_lists.setdefault(path_params_name(names), names)
    lines = ["// The table of all operations, sorted by id, and the lookups over it (private).",
             "#include <algorithm>", "#include <cstdint>", "#include <iterator>", "#include <optional>",
             "#include <span>", "#include <string_view>", "",
             '#include "generated/validation/request_schemas.hpp"', '#include "validation/operations.hpp"', "",
             f"namespace {NAMESPACE} {{", "namespace {", ""]
    for name, names in sorted(param_lists.items()):
        lines.append(f"constexpr std::string_view {name}[] = {braced_list([naming.cpp_string(n) for n in names])};")
    lines += ["", "constexpr OperationSchema kOperations[] = {"]
    lines += [operation_row(op) for op in ordered]
    lines += ["};", "static_assert(std::ranges::is_sorted(kOperations, {}, &OperationSchema::operation_id),",
              '              "find_operation searches the table by id");', ""]
    lines += OPERATION_LOOKUP.rstrip("\n").split("\n")
    lines += ["", f"}}  // namespace {NAMESPACE}"]
    return "\n".join(lines) + "\n"


# ---- everything --------------------------------------------------------------------------------

def emit(api: Api, tree: OutputTree) -> None:
    ops = api.operations
    names = [n for op in ops for n in (body_name(op), query_name(op))]
    if len(set(names)) != len(names):
        raise ValueError("two operations map to the same validator name")

    components: set[str] = set()
    for number_, resources in enumerate(split_resources(api.resources, SCHEMA_FILES), start=1):
        source, used = schemas_source(resources)
        components |= used
        tree.add(f"{OUT}/schemas_{number_}.cpp", source)
    if components:
        source, components = components_source(api_components(api), components)
        tree.add(f"{OUT}/components.cpp", source)

    tree.add(DECLARATIONS_HEADER, declarations_header(ops, components))
    tree.add(f"{OUT}/operation_table.cpp", operation_table_source(ops))
    tree.add(f"{OUT}/validate_request.cpp", VALIDATE_REQUEST)
    tree.add("src/validation/operations.hpp", OPERATIONS_HEADER)


def api_components(api: Api) -> dict:
    """The spec's component schemas, as the reader kept them on the component models."""
    return {m.name: m.schema for m in api.models if m.origin == f"schema {m.name}"}
