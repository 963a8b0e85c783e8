"""Emits tests/generated/operations_<accessor>_test.cpp: one doctest case per operation.

Each case calls the operation through a recording fake transport and pins what goes on the wire:
the method, the exact URL (path parameters percent-encoded, the query string in order) and the
exact JSON body (or that no body and no Content-Type were sent). The params are filled the same
way everywhere: every required field gets a sample value derived from its type (recursively for
nested objects), plus one optional query field and one optional body field when the operation has
them; the expected query string and body are computed here from the same choices.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field as dc_field
from typing import Optional, Union
from urllib.parse import quote

from . import naming
from .cpp_types import value_type
from .emit_resources import class_name, method_name
from .families import assign_families
from .ir import Api, Field, Model, Operation, Resource, TypeRef
from .writer import OutputTree

BASE_URL = "http://api.test"
CSV_BODY = "a,b\\n1,2\\n"  # as it appears inside a C++ string literal
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


class Samples:
    """Sample values for IR types: the C++ expression and the JSON it encodes to."""

    def __init__(self, api: Api):
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}

    def value(self, t: TypeRef, depth: int = 0) -> tuple[Node, object]:
        if depth > MAX_DEPTH:
            raise ValueError(f"required fields nest deeper than {MAX_DEPTH} levels at {t}")
        if t.kind == "string":
            return Atom('"s"'), "s"
        if t.kind == "int":
            return Atom("1"), 1
        if t.kind == "double":
            return Atom("1.5"), 1.5
        if t.kind == "bool":
            return Atom("true"), True
        if t.kind == "json":
            return Atom('Json::object({{"key", "s"}})'), {"key": "s"}
        if t.kind == "enum":
            enum = self.enums[t.name]
            first = enum.members[0]
            return Atom(f"{enum.name}::{first.cpp_name}"), first.value
        if t.kind == "array":
            item, item_json = self.value(t.item, depth + 1)
            return Braced(value_type(t), [(None, item)]), [item_json]
        if t.kind == "model":
            return self.model(self.models[t.name], [], depth + 1)
        raise ValueError(f"no sample for type kind {t.kind}")

    def model(self, model: Model, extra: list[Field], depth: int = 0) -> tuple[Braced, dict]:
        """The model with its required fields, plus `extra` fields, set (in declaration order)."""
        node = Braced(model.name)
        body: dict = {}
        for f in model.fields:
            if f.required or any(f is e for e in extra):
                child, child_json = self.value(f.type, depth)
                node.items.append((f.cpp_name, child))
                body[f.json_name] = child_json
        return node, body


def query_text(value: object) -> list[str]:
    """How a sample value appears in the query string, one entry per repeated key."""
    if isinstance(value, list):
        return [v for item in value for v in query_text(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (int, float, str)):
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


def answer(op: Operation) -> str:
    """A plausible successful response for the operation's response kind. Models decode from `{}`:
    the codecs never insist on required members (the live API leaves some out)."""
    kind, status = op.response.kind, op.response.status
    if kind == "empty":
        return f"HttpResponse{{{status}, {{}}, \"\"}}"
    if kind == "text":
        return f'text_response({status}, "{CSV_BODY}")'
    body = {"items": []} if kind == "page" else [] if kind == "array" else {}
    return f"json_response({status}, {raw_json(body)})"


def raw_json(value: object) -> str:
    return 'R"json(' + json.dumps(value, separators=(",", ":")) + ')json"'


def test_case(resource: Resource, op: Operation, samples: Samples) -> str:
    accessor = f"{resource.accessor}().{method_name(op)}"
    lines = [f'TEST_CASE("{accessor}: {op.method} {op.path}") {{',
             f"  OperationHarness api({answer(op)});"]

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
#include <memory>
#include <utility>
#include <vector>

#include "instantly/client.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace instantly::testing {{

class OperationHarness {{
 public:
  /// Validation, retries and rate limiting are off: each case checks exactly
  /// what one call puts on the wire.
  explicit OperationHarness(HttpResponse answer)
      : transport_(std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{{std::move(answer)}})),
        client_(ClientOptions{{.api_key = "sk_test",
                              .base_url = "{BASE_URL}",
                              .retry = {{.max_retries = 0}},
                              .rate_limit = {{.enabled = false}},
                              .transport = transport_,
                              .clock = std::make_shared<FakeClock>(),
                              .validate_requests = false}}) {{}}

  const Client& client() const {{ return client_; }}
  std::size_t request_count() const {{ return transport_->request_count(); }}

  /// The one request sent; fails the test when there was not exactly one.
  HttpRequest request() const {{
    const std::vector<HttpRequest> requests = transport_->requests();
    REQUIRE(requests.size() == 1);
    return requests.front();
  }}

 private:
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
