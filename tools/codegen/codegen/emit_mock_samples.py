"""Emits tools/mock/generated/response_samples.cpp: for every operation, its success status and a
JSON body that validates against its response schema.

instantly-mock answers operations it keeps no state for with these bodies, so every call a client
can make returns something shaped like the real answer. Values are synthesised from the schema:
the first enum value of the declared type, the minimum of a range, a fixed UUID or timestamp for
formatted strings, one item per array (or `minItems`), every declared property. A string with a
`pattern` takes the schema's own example when that matches (patterns can use lookaheads no simple
generator handles); a `oneOf` takes the first branch whose value no other branch accepts.
"""
from __future__ import annotations

import json
import re

from .ir import Api
from .writer import OutputTree

OUT = "tools/mock/generated/response_samples.cpp"
# Deeper than this, objects carry only their required members (and recursive schemas end).
MAX_DEPTH = 6

FORMAT_VALUES = {
    "uuid": "019a0000-0000-7000-8000-000000000000",
    "date-time": "2026-01-01T00:00:00.000Z",
    "date": "2026-01-01",
    "time": "09:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
}


class Synthesizer:
    def __init__(self, spec: dict):
        self.spec = spec

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            node = self.spec
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
            seen += 1
        return schema

    def value(self, schema, depth: int = 0):
        schema = self.resolve(schema)
        if schema is True or not isinstance(schema, dict) or schema == {}:
            return "value"
        if "const" in schema:
            return schema["const"]
        if "enum" in schema and schema["enum"]:
            typed = [v for v in schema["enum"] if v is not None and fits_type(v, schema.get("type"))]
            return typed[0] if typed else schema["enum"][0]
        if "allOf" in schema:
            merged: dict = {}
            for part in schema["allOf"]:
                v = self.value(part, depth)
                if isinstance(v, dict):
                    merged.update(v)
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            if rest.get("properties") or rest.get("type") == "object":
                v = self.value(rest, depth)
                if isinstance(v, dict):
                    merged.update(v)
            # A closed branch (additionalProperties: false) rejects the other branches' members.
            for part in map(self.resolve, schema["allOf"]):
                if isinstance(part, dict) and part.get("additionalProperties") is False:
                    merged = {k: v for k, v in merged.items() if k in part.get("properties", {})}
            return merged
        if "anyOf" in schema:
            branches = [self.resolve(b) for b in schema["anyOf"]]
            non_null = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
            return self.value((non_null or branches)[0], depth)
        if "oneOf" in schema:
            branches = [self.resolve(b) for b in schema["oneOf"]]
            non_null = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")] or branches
            values = [self.value(b, depth) for b in non_null]
            for i, value in enumerate(values):
                if not any(may_accept(other, value) for j, other in enumerate(non_null) if j != i):
                    return value
            return values[0]
        kind = schema.get("type")
        if isinstance(kind, list):
            non_null = [k for k in kind if k != "null"]
            kind = non_null[0] if non_null else "null"
        if kind is None:
            kind = "object" if "properties" in schema else "string"
        if kind == "null":
            return None
        if kind == "boolean":
            return False
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + (1 if "exclusiveMinimum" in schema else 0))
            value = max(low, 0) if "maximum" not in schema or schema["maximum"] >= 0 else low
            return int(value) if kind == "integer" else value
        if kind == "string":
            return self.string(schema)
        if kind == "array":
            count = max(1, schema.get("minItems", 0))
            if schema.get("maxItems") == 0 or depth >= MAX_DEPTH:
                count = schema.get("minItems", 0)
            return [self.value(schema.get("items", {}), depth + 1) for _ in range(count)]
        # object
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        out = {}
        for name, sub in props.items():
            if depth >= MAX_DEPTH and name not in required and len(out) >= schema.get("minProperties", 0):
                continue
            out[name] = self.value(sub, depth + 1)
        return out

    def string(self, schema: dict) -> str:
        fmt = schema.get("format")
        text = FORMAT_VALUES.get(fmt, "text")
        pattern = schema.get("pattern")
        if pattern and not re.search(pattern, text):
            examples = [schema.get("example"), *schema.get("examples", [])]
            for candidate in [e for e in examples if isinstance(e, str)] + [
                    "09:00", "0", "a", "abc", "example.com", "2026-01-01", "ABC123"]:
                if re.search(pattern, candidate):
                    text = candidate
                    break
        if len(text) < schema.get("minLength", 0):
            text = text + "x" * (schema["minLength"] - len(text))
        if "maxLength" in schema and len(text) > schema["maxLength"]:
            text = text[: schema["maxLength"]]
        return text


JSON_TYPES = {"string": str, "boolean": bool, "object": dict, "array": list, "null": type(None)}


def fits_type(value, kind) -> bool:
    """Whether `value` has the JSON type `kind` (a name, a list of names, or None for any)."""
    if kind is None:
        return True
    if isinstance(kind, list):
        return any(fits_type(value, k) for k in kind)
    if kind in ("integer", "number"):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and (
            kind == "number" or float(value).is_integer())
    return isinstance(value, JSON_TYPES.get(kind, object))


def may_accept(schema, value) -> bool:
    """A cheap over-approximation of validation: type, enum and const only."""
    if not isinstance(schema, dict):
        return True
    if "const" in schema and schema["const"] != value:
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    return fits_type(value, schema.get("type"))


def success_response(op: dict):
    codes = sorted(c for c in op.get("responses", {}) if c.startswith("2"))
    if not codes:
        return 200, None
    code = codes[0]
    content = op["responses"][code].get("content", {})
    if int(code) == 204 or "application/json" not in content:
        return int(code), None
    return int(code), content["application/json"].get("schema", {})


def cpp_string(text: str) -> str:
    delimiter = "json"
    while f"){delimiter}\"" in text:
        delimiter += "_"
    return f'R"{delimiter}({text}){delimiter}"'


def emit(api: Api, tree: OutputTree) -> None:
    if api.spec is None:
        return
    synth = Synthesizer(api.spec)
    rows = []
    for path, item in api.spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            status, schema = success_response(op)
            body = "" if schema is None else json.dumps(synth.value(schema), separators=(",", ":"))
            rows.append((op["operationId"], status, body))
    rows.sort()
    lines = [
        '#include "sample_responses.hpp"',
        "",
        "// Each operation's success status and a body valid under its response schema, sorted by id.",
        "namespace instantly::mock {",
        "",
        "extern const ResponseSample kResponseSamples[] = {",
    ]
    for op_id, status, body in rows:
        lines.append(f'    {{"{op_id}", {status}, {cpp_string(body)}}},')
    lines += ["};", "", f"extern const std::size_t kResponseSampleCount = {len(rows)};", "",
              "}  // namespace instantly::mock", ""]
    tree.add(OUT, "\n".join(lines))
