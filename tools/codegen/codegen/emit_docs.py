"""Emits docs/api-coverage.md: every operation of the API and the C++ call that makes it."""
from __future__ import annotations

from .emit_resources import class_name, method_name, return_type
from .ir import Api, Operation, Resource
from .writer import OutputTree


def cpp_call(resource: Resource, op: Operation) -> str:
    """`client.accounts().get(email)`, `client.campaigns().create(CampaignCreateParams)`."""
    args = [p.cpp_name for p in op.path_params]
    if op.params is not None:
        args.append(op.params.name)
    return f"client.{resource.accessor}().{method_name(op)}({', '.join(args)})"


def cell(text: str) -> str:
    # `|` would end a table cell; no operation needs one today, but the spec may change.
    return text.replace("|", "\\|")


def resource_section(api: Api, resource: Resource) -> str:
    rows = [
        f"| `{op.method}` | `{cell(op.path)}` | `{op.operation_id}` | `{cell(cpp_call(resource, op))}` "
        f"| `{cell(return_type(op))}` |"
        for op in resource.operations
    ]
    count = len(resource.operations)
    return "\n".join([
        f"## {resource.tag}",
        "",
        f"`client.{resource.accessor}()` returns `instantly::{class_name(api, resource)}` "
        f"({count} operation{'s' if count != 1 else ''}, "
        f"`include/instantly/resources/{resource.header}`).",
        "",
        "| Method | Path | operationId | C++ call | Returns |",
        "|---|---|---|---|---|",
        *rows,
    ])


def coverage(api: Api) -> str:
    total = len(api.operations)
    contents = "\n".join(f"- [{r.tag}](#{r.tag.lower()}) ({len(r.operations)})" for r in api.resources)
    sections = "\n\n".join(resource_section(api, r) for r in api.resources)
    return f"""-->
# API coverage

Every operation of Instantly's API v2 and the C++ call that makes it, generated from the OpenAPI
file this SDK is built from. Path parameters come first, then the operation's params struct (query
and body fields in one aggregate), then optional per-call `RequestOptions`. List operations return
a `Paginator<T>` that fetches pages as you iterate.

**Total: {total} operations in {len(api.resources)} resources.**

{contents}

{sections}
"""


def emit(api: Api, tree: OutputTree) -> None:
    # The banner is an HTML comment the body closes on its first line, so it stays out of the page.
    tree.add("docs/api-coverage.md", coverage(api), comment="<!--")
