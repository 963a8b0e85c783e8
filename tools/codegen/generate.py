#!/usr/bin/env python3
"""Generates the SDK's API surface from Instantly's OpenAPI file.

    tools/codegen/generate.py [--spec PATH] [--check]

Writes models, codecs, resources, request validators, per-operation tests,
docs/api-coverage.md, the round-trip tool's model registry, instantly-mock's response samples
and the Python package's types, resources and `_core` bindings. With --check nothing is
written; the exit status is 1 when the committed files differ from what the spec produces now.
"""
from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from codegen import (emit_codecs, emit_docs, emit_mock_samples, emit_models, emit_python,  # noqa: E402
                     emit_python_bindings, emit_resources, emit_roundtrip, emit_tests, emit_validators)
from codegen.families import assign_families  # noqa: E402
from codegen.reader import read_spec  # noqa: E402
from codegen.writer import OutputTree  # noqa: E402

DEFAULT_SPEC = os.path.join(ROOT, "..", "shared", "spec", "instantly-api-v2.openapi.json")

# Each emitter adds its files to the tree; the order does not matter.
EMITTERS = [emit_models.emit, emit_codecs.emit, emit_resources.emit, emit_tests.emit, emit_docs.emit,
            emit_validators.emit, emit_roundtrip.emit, emit_mock_samples.emit, emit_python.emit,
            emit_python_bindings.emit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", default=DEFAULT_SPEC, help="the OpenAPI file (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    parser.add_argument("--root", default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()

    api = read_spec(args.spec)
    assign_families(api)
    tree = OutputTree(args.root, api.spec_sha256)
    for emit in EMITTERS:
        emit(api, tree)

    if args.check:
        changed = tree.differences()
        for rel in changed:
            print(f"out of date: {rel}")
        if changed:
            print(f"{len(changed)} generated files differ; run tools/codegen/generate.py", file=sys.stderr)
            return 1
        print(f"generated code is current ({len(tree.files)} files, {len(api.operations)} operations)")
        return 0
    written = tree.write()
    print(f"{written} of {len(tree.files)} files written ({len(api.operations)} operations, "
          f"{len(api.models)} models, {len(api.enums)} enums)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
