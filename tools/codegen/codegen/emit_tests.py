"""Emits tests/generated/operations_<accessor>_test.cpp: one doctest case per operation.

Each case calls the operation through a recording fake transport and pins what goes on the wire:
the method, the exact URL (path parameters percent-encoded, the query string in order) and the
exact JSON body (or that no body and no Content-Type were sent). The params are filled the same
way everywhere: every required field gets a sample value (recursively for nested objects), plus
one optional query field and one optional body field when the operation has them; the expected
query string and body are computed here from the same choices. Samples are valid against the spec
where it says enough (Samples, ObjectRules): tests/python/test_spec_conformance.py validates the
bodies the harness records when $INSTANTLY_RECORD_REQUESTS names a file.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field as dc_field
from typing import Optional, Union
from urllib.parse import quote

from . import naming
from .cpp_types import value_type
from .emit_resources import class_name, creates_object_with_id, method_name
from .families import assign_families
from .ir import Api, Field, Model, Operation, Resource, TypeRef
from .writer import OutputTree

BASE_URL = "http://api.test"
CSV_BODY = "a,b\\n1,2\\n"  # as it appears inside a C++ string literal
CREATED_ID = "created-1"  # what a create call's canned answer names as the new object
INLINE_LIMIT = 90
MAX_DEPTH = 8


# ---- sample values ----------------------------------------------------------------------------

@dataclass
class Atom:
    text: str


@dataclass
class Braced:
    """`Type{a, b}` or, with designators, `Type{.x = a, .y = b}`."""

    head: str
    items: list[tuple[Optional[str], "Node"]] = dc_field(default_factory=list)


Node = Union[Atom, Braced]


def render(node: Node, indent: str) -> str:
    """C++ text for a sample, on one line when it fits, otherwise one item per line."""
    flat = render_flat(node)
    if isinstance(node, Atom) or len(indent) + len(flat) <= INLINE_LIMIT or not node.items:
        return flat
    inner = indent + "    "
    lines = [node.head + "{"]
    for designator, child in node.items:
        prefix = f".{designator} = " if designator else ""
        lines.append(f"{inner}{prefix}{render(child, inner)},")
    lines.append(indent + "}")
    return "\n".join(lines)


def render_flat(node: Node) -> str:
    if isinstance(node, Atom):
        return node.text
    items = [(f".{d} = " if d else "") + render_flat(child) for d, child in node.items]
    return node.head + "{" + ", ".join(items) + "}"


# String samples for formats and patterns the spec uses, so recorded bodies validate.
FORMAT_SAMPLES = {
    "email": "a@example.com",
    "date-time": "2026-01-01T00:00:00.000Z",
    "date": "2026-01-01",
    "uuid": "01234567-89ab-cdef-0123-456789abcdef",
    "uri": "https://example.com",
}
PATTERN_SAMPLES = [  # (a fragment the pattern contains, a sample that matches it)
    ("[0-9a-fA-F]{8}-", FORMAT_SAMPLES["uuid"]),
    ("([01][0-9]|2[0-3])", "09:00"),
    ("^https?://", "https://example.com"),
    ("\\.[a-zA-Z]{2,}", "example.com"),
    ("ptid_", "ptid_s"),
    ("^rule-", "rule-1"),
]


def unwrap_nullable(schema: dict) -> dict:
    """The one non-null branch of an `anyOf: [X, null]`, where the sample's hints live."""
    for key in ("anyOf", "oneOf"):
        branches = [b for b in schema.get(key, []) if b.get("type") != "null"]
        if len(branches) == 1:
            return {**branches[0], **{k: v for k, v in schema.items() if k != key}}
    return schema


def documented_values(schema: dict) -> list:
    """The spec's own sample values for a schema, best first: example, examples[0], enum[0]."""
    values = []
    if "example" in schema:
        values.append(schema["example"])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        values.append(examples[0])
    values += [v for v in schema.get("enum", [])[:1] if v is not None]
    return values


FORMAT_SHAPES = {  # enough to reject an example written for another format
    "email": r"^[^@\s]+@[^@\s]+$",
    "date-time": r"^\d{4}-\d\d-\d\dT\d\d:\d\d",
    "date": r"^\d{4}-\d\d-\d\d$",
}


def fits_string_schema(value: str, schema: dict) -> bool:
    """Whether a documented example honours its own schema (some contradict it: a timing
    example of "1970-01-01T00:00:00.000Z" under an HH:MM pattern)."""
    try:
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
    except re.error:
        return False
    shape = FORMAT_SHAPES.get(schema.get("format", ""))
    if shape and not re.search(shape, value):
        return False
    return schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value))


def string_sample(schema: dict) -> str:
    for value in documented_values(schema):
        if isinstance(value, str) and fits_string_schema(value, schema):
            return value
    if schema.get("format") in FORMAT_SAMPLES:
        return FORMAT_SAMPLES[schema["format"]]
    for fragment, sample in PATTERN_SAMPLES:
        if fragment in schema.get("pattern", ""):
            return sample
    return "s"


def int_sample(schema: dict) -> int:
    for value in documented_values(schema):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return max(1, int(schema.get("minimum", 1)))


def double_sample(schema: dict) -> float:
    for value in documented_values(schema):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return 1.5


def double_text(value: float) -> str:
    """How std::to_chars (the shortest round trip) writes a double: 2, not 2.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class Samples:
    """Sample values for IR types: the C++ expression and the JSON it encodes to. Where the
    field's schema documents a value (example, examples, enum) of the right type it is used,
    so that what the tests send is valid against the spec; otherwise one derived from the type."""

    def __init__(self, api: Api):
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}

    def value(self, t: TypeRef, depth: int = 0, schema: Optional[dict] = None) -> tuple[Node, object]:
        if depth > MAX_DEPTH:
            raise ValueError(f"required fields nest deeper than {MAX_DEPTH} levels at {t}")
        schema = unwrap_nullable(schema or {})
        if t.kind == "string":
            text = string_sample(schema)
            return Atom(naming.cpp_string(text)), text
        if t.kind == "int":
            number = int_sample(schema)
            return Atom(str(number)), number
        if t.kind == "double":
            real = double_sample(schema)
            return Atom(repr(real)), real
        if t.kind == "bool":
            flags = [v for v in documented_values(schema) if isinstance(v, bool)]
            flag = flags[0] if flags else True
            return Atom("true" if flag else "false"), flag
        if t.kind == "json":
            documented = documented_values(schema)
            if documented:
                return Atom(f"Json::parse({raw_json(documented[0])})"), documented[0]
            return Atom('Json::object({{"key", "s"}})'), {"key": "s"}
        if t.kind == "enum":
            enum = self.enums[t.name]
            documented = [m for v in documented_values(schema) for m in enum.members
                          if m.value == v and type(m.value) is type(v)]
            member = documented[0] if documented else enum.members[0]
            return Atom(f"{enum.name}::{member.cpp_name}"), member.value
        if t.kind == "array":
            item, item_json = self.value(t.item, depth + 1, schema.get("items"))
            return Braced(value_type(t), [(None, item)]), [item_json]
        if t.kind == "model":
            return self.model(self.models[t.name], [], depth + 1, schema)
        raise ValueError(f"no sample for type kind {t.kind}")

    def model(self, model: Model, extra: list[Field], depth: int = 0,
              use_site: Optional[dict] = None) -> tuple[Braced, dict]:
        """The model with its required fields, plus `extra` fields, set (in declaration order);
        plus whatever the schema's conditions demand of those values (see ObjectRules). The
        schema where the model is used counts too: the reader drops `anyOf` branches that only
        add requirements when it names the type."""
        rules = ObjectRules([self.schema_of(model), use_site or {}])
        chosen = {f.json_name for f in model.fields if f.required or any(f is e for e in extra)}
        for _ in range(MAX_DEPTH):  # each round may set fields that change which conditions hold
            values = {f.json_name: self.value(f.type, depth, rules.field_schema(f))[1] for f in model.fields
                      if f.json_name in chosen}
            wanted, forbidden = rules.demands(values, [f.json_name for f in model.fields])
            required = {f.json_name for f in model.fields if f.required}
            settled = (chosen | wanted) - (forbidden - required)
            if settled == chosen:
                break
            chosen = settled
        node = Braced(model.name)
        body: dict = {}
        for f in model.fields:
            if f.json_name in chosen:
                child, child_json = self.value(f.type, depth, rules.field_schema(f))
                node.items.append((f.cpp_name, child))
                body[f.json_name] = child_json
        return node, body

    def schema_of(self, model: Model) -> dict:
        schema = model.schema
        while "$ref" in schema and schema["$ref"].split("/")[-1] in self.models:
            schema = self.models[schema["$ref"].split("/")[-1]].schema
        return schema


class ObjectRules:
    """The object-level constraints of a schema the IR's `required` flags do not carry, so the
    samples satisfy them too: minProperties, `anyOf` branches that each only require some
    properties (the first is satisfied), and `allOf` if/then/else on property values."""

    def __init__(self, schemas: list[dict]):
        self.schemas = schemas

    def demands(self, values: dict, field_order: list[str]) -> tuple[set[str], set[str]]:
        """(properties to add, properties to leave out) for an object holding `values`."""
        wanted: set[str] = set()
        forbidden: set[str] = set()
        for schema in self.schemas:
            self.add_demands(schema, values, wanted, forbidden)
        minimum = max(schema.get("minProperties", 0) for schema in self.schemas)
        missing = minimum - len(values | dict.fromkeys(wanted))
        wanted |= set([name for name in field_order if name not in values and name not in wanted][:max(0, missing)])
        return wanted, forbidden

    def field_schema(self, f: Field) -> dict:
        """The field's schema, plus what the `anyOf` branch the samples satisfy says of it
        (forwardEmail's first branch requires `body` and, inside it, `html` or `text`)."""
        merged = dict(f.schema)
        for schema in self.schemas:
            for key in ("anyOf", "oneOf"):
                branches = schema.get(key, [])
                if branches and all("required" in b for b in branches):
                    merged.update(branches[0].get("properties", {}).get(f.json_name, {}))
        return merged

    @staticmethod
    def add_demands(schema: dict, values: dict, wanted: set[str], forbidden: set[str]) -> None:
        for key in ("anyOf", "oneOf"):
            branches = schema.get(key, [])
            if branches and all("required" in b for b in branches) \
                    and not any(set(b["required"]) <= set(values) for b in branches):
                wanted |= set(branches[0]["required"])
        for rule in schema.get("allOf", []):
            if "if" not in rule:
                continue
            branch = rule.get("then", {}) if condition_holds(rule["if"], values) else rule.get("else", {})
            wanted |= set(branch.get("required", []))
            forbidden |= set(branch.get("not", {}).get("required", []))
            forbidden |= {name for name, prop in branch.get("properties", {}).items() if prop.get("maxLength") == 0}


def condition_holds(condition: dict, values: dict) -> bool:
    """An `if` schema over an object: required names and per-property enum/const only."""
    if not set(condition.get("required", [])) <= set(values):
        return False
    for name, prop in condition.get("properties", {}).items():
        if name in values and ("enum" in prop and values[name] not in prop["enum"]
                               or "const" in prop and values[name] != prop["const"]):
            return False
    if "anyOf" in condition and not any(condition_holds(c, values) for c in condition["anyOf"]):
        return False
    return True


def query_text(value: object) -> list[str]:
    """How a sample value appears in the query string, one entry per repeated key."""
    if isinstance(value, list):
        return [v for item in value for v in query_text(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, float):
        return [quote(double_text(value), safe="")]
    if isinstance(value, (int, str)):
        return [quote(str(value), safe="")]
    raise ValueError(f"{value!r} cannot be a query value")


# ---- one test case ----------------------------------------------------------------------------

def path_values(op: Operation) -> list[tuple[str, str]]:
    """(C++ argument, encoded path segment) per path parameter; `+` and `@` in email addresses."""
    values = []
    for i, p in enumerate(op.path_params, start=1):
        raw = "a+b@x.io" if "email" in p.json_name.lower() else f"c-{i}"
        values.append((raw, quote(raw, safe="")))
    return values


def expected_path(op: Operation) -> str:
    path = op.path
    for p, (_, encoded) in zip(op.path_params, path_values(op)):
        path = path.replace("{" + p.json_name + "}", encoded)
    return path


def first_optional(op: Operation, location: str) -> Optional[Field]:
    for f in op.params.fields if op.params else []:
        # The cursor belongs to the paginator; setting it here would only start the listing later.
        if f.location == location and not f.required and f.json_name != "starting_after":
            return f
    return None


def answer(op: Operation, samples: Samples) -> str:
    """A plausible successful response for the operation's response kind. Models decode from `{}`:
    the codecs never insist on required members (the live API leaves some out), except a create
    call's answer, which must carry the new object's id."""
    kind, status = op.response.kind, op.response.status
    if kind == "empty":
        return f"HttpResponse{{{status}, {{}}, \"\"}}"
    if kind == "text":
        return f'text_response({status}, "{CSV_BODY}")'
    body: object = {"items": []} if kind == "page" else [] if kind == "array" else {}
    if creates_object_with_id(op, samples.models):
        body = {"id": CREATED_ID}
    return f"json_response({status}, {raw_json(body)})"


def raw_json(value: object) -> str:
    return 'R"json(' + json.dumps(value, separators=(",", ":")) + ')json"'


def test_case(resource: Resource, op: Operation, samples: Samples) -> str:
    accessor = f"{resource.accessor}().{method_name(op)}"
    lines = [f'TEST_CASE("{accessor}: {op.method} {op.path}") {{',
             f"  OperationHarness api({naming.cpp_string(op.operation_id)}, {answer(op, samples)});"]

    args = [naming.cpp_string(raw) for raw, _ in path_values(op)]
    body: Optional[dict] = None
    query: list[str] = []
    if op.params is not None:
        chosen = [f for f in (first_optional(op, "query"), first_optional(op, "body")) if f]
        node, values = samples.model(op.params, chosen)
        node.head = f"const {op.params.name} params"
        if node.items:
            lines.append(f"  {render(node, '  ')};")
            args.append("params")
        for f in op.params.fields:
            if f.json_name in values and f.location == "query":
                query += [f"{quote(f.json_name, safe='')}={v}" for v in query_text(values[f.json_name])]
        body_values = {f.json_name: values[f.json_name] for f in op.params.fields
                       if f.location == "body" and f.json_name in values}
        body = body_values or None

    call = f"api.client().{accessor}({', '.join(args)})"
    kind = op.response.kind
    if kind == "page":
        item = value_type(op.response.type)
        lines += [f"  const Paginator<{item}> items = {call};",
                  "  CHECK(api.request_count() == 0);  // nothing is fetched before iterating",
                  "  CHECK(items.begin() == items.end());  // the empty first page ends the listing"]
    elif kind == "text":
        lines += [f"  const std::string text = {call};", f'  CHECK(text == "{CSV_BODY}");']
    elif kind == "array":
        lines += [f"  const {value_type(op.response.type)} list = {call};", "  CHECK(list.empty());"]
    elif kind == "json":
        lines += [f"  const Json result = {call};", "  CHECK(result == Json::object());"]
    elif creates_object_with_id(op, samples.models):
        lines += [f"  CHECK({call}.id == \"{CREATED_ID}\");"]
    else:
        lines.append(f"  {call};")

    url = BASE_URL + expected_path(op) + ("?" + "&".join(query) if query else "")
    lines += ["  const HttpRequest request = api.request();",
              f'  CHECK(request.method == "{op.method}");',
              f'  CHECK(request.url == "{url}");']
    if body is not None:
        lines += ["  REQUIRE(request.body.has_value());",
                  f"  CHECK(Json::parse(*request.body) == Json::parse({raw_json(body)}));",
                  '  CHECK(request.headers.get("Content-Type") == "application/json");']
    else:
        lines += ["  CHECK_FALSE(request.body.has_value());",
                  '  CHECK_FALSE(request.headers.contains("Content-Type"));']
    lines.append("}")
    return "\n".join(lines)


# ---- files ------------------------------------------------------------------------------------

HARNESS = f"""// What every generated operation test shares: a Client whose transport
// answers one canned response and records each request.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/json.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace instantly::testing {{

class OperationHarness {{
 public:
  /// Validation, retries and rate limiting are off: each case checks exactly
  /// what one call puts on the wire.
  OperationHarness(std::string operation_id, HttpResponse answer)
      : operation_id_(std::move(operation_id)),
        transport_(std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{{std::move(answer)}})),
        client_(ClientOptions{{.api_key = "sk_test",
                              .base_url = "{BASE_URL}",
                              .retry = {{.max_retries = 0}},
                              .rate_limit = {{.enabled = false}},
                              .transport = transport_,
                              .clock = std::make_shared<FakeClock>(),
                              .validate_requests = false}}) {{}}

  /// Appends what was sent to $INSTANTLY_RECORD_REQUESTS, where the spec
  /// conformance test (tests/python) validates each body against the spec.
  ~OperationHarness() {{ record_requests(); }}

  OperationHarness(const OperationHarness&) = delete;
  OperationHarness& operator=(const OperationHarness&) = delete;

  const Client& client() const {{ return client_; }}
  std::size_t request_count() const {{ return transport_->request_count(); }}

  /// The one request sent; fails the test when there was not exactly one.
  HttpRequest request() const {{
    const std::vector<HttpRequest> requests = transport_->requests();
    REQUIRE(requests.size() == 1);
    return requests.front();
  }}

 private:
  void record_requests() const {{
    const char* const file = std::getenv("INSTANTLY_RECORD_REQUESTS");
    if (file == nullptr || *file == '\\0') return;
    std::string lines;
    for (const HttpRequest& request : transport_->requests()) lines += request_line(request).dump() + "\\n";
    // Test cases may run on several threads; each appends its lines whole.
    static std::mutex append_mutex;
    const std::lock_guard lock(append_mutex);
    std::ofstream(file, std::ios::app) << lines;
  }}

  Json request_line(const HttpRequest& request) const {{
    std::string target = request.url.substr(request.url.rfind("{BASE_URL}", 0) == 0 ? {len(BASE_URL)} : 0);
    const std::size_t question = target.find('?');
    const std::string query = question == std::string::npos ? "" : target.substr(question + 1);
    target = target.substr(0, question);
    Json body;
    if (request.body.has_value()) {{
      try {{
        body = Json::parse(*request.body);
      }} catch (const std::exception&) {{
        body = Json(*request.body);  // not JSON (none of the API's bodies): kept as text
      }}
    }}
    return Json::object({{{{"operation_id", operation_id_}},
                         {{"method", request.method}},
                         {{"path", target}},
                         {{"query", query}},
                         {{"body", std::move(body)}}}});
  }}

  std::string operation_id_;
  std::shared_ptr<FakeTransport> transport_;
  Client client_;
}};

}}  // namespace instantly::testing
"""


def test_file(api: Api, resource: Resource, samples: Samples) -> str:
    cases = "\n\n".join(test_case(resource, op, samples) for op in resource.operations)
    return f"""// `client.{resource.accessor}()` ({class_name(api, resource)}): what each operation puts on the wire.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "generated/operation_harness.hpp"
#include "instantly/resources/{resource.header}"

namespace instantly::testing {{

{cases}

}}  // namespace instantly::testing
"""


def emit(api: Api, tree: OutputTree) -> None:
    assign_families(api)
    samples = Samples(api)
    tree.add("tests/generated/operation_harness.hpp", HARNESS)
    for resource in api.resources:
        tree.add(f"tests/generated/operations_{resource.accessor}_test.cpp", test_file(api, resource, samples))
