"""What the SDK sends and decodes, checked against the OpenAPI spec itself.

- Every request body the generated operation tests send validates against its operation's
  requestBody schema (the tests record them through $INSTANTLY_RECORD_REQUESTS).
- Every object example the spec gives for a schema the generator turned into a model survives
  `from_json` then `to_json` unchanged (through the instantly_roundtrip tool).

Binaries come from $INSTANTLY_BUILD_DIR (default build/ci); ctest sets it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The spec is not part of the repository: scripts/test passes it in INSTANTLY_SPEC when it has it.
SPEC_PATH = os.environ.get("INSTANTLY_SPEC", "")

if not os.path.exists(SPEC_PATH):
    pytest.skip(f"no spec (INSTANTLY_SPEC={SPEC_PATH!r})", allow_module_level=True)

jsonschema = pytest.importorskip("jsonschema")

sys.path.insert(0, os.path.join(ROOT, "tools", "codegen"))
from codegen.reader import Reader, read_spec  # noqa: E402  (the generator's own model names)

BUILD_DIR = os.path.join(ROOT, os.environ.get("INSTANTLY_BUILD_DIR", os.path.join("build", "ci")))
OPERATION_TESTS = os.path.join(BUILD_DIR, "tests", "operation_tests")
ROUNDTRIP = os.path.join(BUILD_DIR, "tools", "roundtrip", "instantly_roundtrip")
HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# Spec examples that contradict the spec's own schema, so no faithful model can round-trip
# them. Keyed by (model, JSON pointer of the example); each entry says why.
KNOWN_BAD_EXAMPLES: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def spec() -> dict:
    with open(SPEC_PATH, encoding="utf-8") as f:
        return json.load(f)


def binary(path: str) -> str:
    if not os.path.exists(path):
        pytest.fail(f"{path} is not built; build the `all` target of {BUILD_DIR} first")
    return path


# ---- request bodies -----------------------------------------------------------------------

def body_schemas(spec: dict) -> dict[str, dict]:
    """operationId -> its JSON requestBody schema, for operations that take one."""
    schemas = {}
    for item in spec["paths"].values():
        for method in HTTP_METHODS:
            op = item.get(method)
            schema = (op or {}).get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if schema is not None and schema.get("type") != "null":
                schemas[op["operationId"]] = schema
    return schemas


def validator_for(spec: dict, schema: dict):
    # `#/components/...` refs resolve against the root of the schema being validated, so the
    # components ride along inside it.
    document = {**schema, "components": spec["components"]}
    # Only formats our sample values can honour and jsonschema checks without extra packages.
    formats = jsonschema.FormatChecker(formats=("email", "date"))
    return jsonschema.Draft202012Validator(document, format_checker=formats)


def recorded_requests() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        record = os.path.join(tmp, "requests.jsonl")
        env = {**os.environ, "INSTANTLY_RECORD_REQUESTS": record}
        run = subprocess.run([binary(OPERATION_TESTS)], env=env, capture_output=True, text=True)
        assert run.returncode == 0, f"operation_tests failed:\n{run.stdout[-4000:]}{run.stderr[-2000:]}"
        with open(record, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


def test_recorded_bodies_match_the_spec(spec):
    schemas = body_schemas(spec)
    requests = recorded_requests()
    failures = []
    with_body = set()
    for request in requests:
        op_id, body = request["operation_id"], request["body"]
        if body is None:
            continue
        with_body.add(op_id)
        if op_id not in schemas:
            failures.append(f"{op_id}: sent a body the spec does not describe")
            continue
        for error in validator_for(spec, schemas[op_id]).iter_errors(body):
            where = "/".join(str(p) for p in error.absolute_path) or "(body)"
            failures.append(f"{op_id} {where}: {error.message}")
    missing = sorted(set(schemas) - with_body)
    failures += [f"{op_id}: takes a body but no test recorded one" for op_id in missing]
    print(f"{len(with_body)} operations' request bodies validated against the spec")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


# ---- examples round-trip --------------------------------------------------------------------

def object_examples(schema: dict) -> list[tuple[str, dict]]:
    """(where, example) for each object value among the schema's example/examples."""
    found = []
    if isinstance(schema.get("example"), dict):
        found.append(("example", schema["example"]))
    examples = schema.get("examples")
    if isinstance(examples, list):
        found += [(f"examples/{i}", e) for i, e in enumerate(examples) if isinstance(e, dict)]
    return found


def media_examples(content: dict) -> list[tuple[str, dict]]:
    """A body's media-type examples (the schema's own are found with every other schema)."""
    media = content.get("application/json", {})
    found = [("example", media["example"])] if isinstance(media.get("example"), dict) else []
    named = media.get("examples") if isinstance(media.get("examples"), dict) else {}
    for name, example in named.items():
        if isinstance(example, dict) and isinstance(example.get("value"), dict):
            found.append((f"examples/{name}", example["value"]))
    return found


def schemas_with_examples(node, pointer: str = "#"):
    """(pointer, schema) for every object schema in the spec that carries an object example."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and object_examples(node):
            yield pointer, node
        for key, child in node.items():
            yield from schemas_with_examples(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from schemas_with_examples(child, f"{pointer}/{i}")


def examples_by_model(spec: dict) -> list[tuple[str, str, dict]]:
    """(model, where, example): examples on every object schema the generator made a model of
    (components and inline objects alike) and on operations' request and response bodies.

    The generator gives identical inline shapes one model, so a schema finds its model by the
    generator's own shape signature, wherever in the spec it sits."""
    api = read_spec(SPEC_PATH)
    by_shape: dict[str, str] = {}
    for model in api.models:
        if not model.is_params:
            by_shape.setdefault(Reader.shape_signature(model.schema), model.name)
    cases = []
    for pointer, schema in schemas_with_examples(spec):
        name = by_shape.get(Reader.shape_signature(schema))
        if name is not None:
            cases += [(name, f"{pointer}/{where}", e) for where, e in object_examples(schema)]
    for op in api.operations:
        raw = spec["paths"][op.path][op.method.lower()]
        if op.params is not None and op.body_kind == "object" and not op.query_schemas:
            content = raw.get("requestBody", {}).get("content", {})
            cases += [(op.params.name, f"{op.operation_id} body {where}", e) for where, e in media_examples(content)]
        if op.response.kind == "model":
            content = raw["responses"][str(op.response.status)].get("content", {})
            cases += [(op.response.type.name, f"{op.operation_id} response {where}", e)
                      for where, e in media_examples(content)]
    return cases


def same_json(a, b) -> bool:
    """Equal as JSON: numbers by value (1 == 1.0), but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def test_examples_round_trip(spec):
    cases = examples_by_model(spec)
    assert cases, "the spec has no object examples on any generated model"
    lines = "".join(f"{model}\t{json.dumps(example)}\n" for model, _, example in cases)
    run = subprocess.run([binary(ROUNDTRIP)], input=lines, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    answers = run.stdout.splitlines()
    assert len(answers) == len(cases), "instantly_roundtrip must answer every line"

    failures = []
    for (model, where, example), answer in zip(cases, answers):
        if (model, where) in KNOWN_BAD_EXAMPLES:
            continue
        if answer.startswith("ERROR "):
            failures.append(f"{model} ({where}): {answer}")
        elif not same_json(json.loads(answer), example):
            failures.append(f"{model} ({where}):\n  example  {json.dumps(example)}\n  re-coded {answer}")
    print(f"{len(cases)} spec examples round-tripped through the models")
    assert not failures, f"{len(failures)} examples changed:\n" + "\n".join(failures)
