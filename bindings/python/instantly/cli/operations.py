"""The API operations as the command line sees them, found by introspection: every property of
`ResourceAccessors` is a resource, every generated public method of its class an operation, and
`inspect.signature` + `typing.get_type_hints` give the parameters. Nothing here is hard-coded per
operation, so a regenerated client brings its new operations to the command line by itself."""
from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import typing
from typing import Any, Dict, List, Optional, Tuple

from .._pagination import SyncPage
from ..resources import ResourceAccessors

__all__ = ["Param", "Operation", "resources", "resource_summary", "operations", "command_name", "PER_CALL_EXTRAS"]

#: Keyword arguments every generated method takes that are not API parameters.
PER_CALL_EXTRAS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})

# Generated methods document themselves as "`METHOD /api/v2/...`: returns ..."; the hand-written
# ones (leads.import_leads, reached through `instantly import`) do not.
_GENERATED_DOC = re.compile(r"^`(GET|POST|PUT|PATCH|DELETE) /api/")


def command_name(python_name: str) -> str:
    """`email_verifications` → `email-verifications`, `from_` → `from`."""
    return python_name.rstrip("_").replace("_", "-")


@dataclasses.dataclass(frozen=True)
class Param:
    name: str          # the Python keyword
    api_name: str      # the JSON member (`from` for `from_`)
    hint: Any
    required: bool
    positional: bool   # a path parameter: before the `*` in the signature

    @property
    def flag(self) -> str:
        return "--" + command_name(self.name)

    @property
    def dest(self) -> str:
        # Prefixed so that no API name can collide with the command's own options (output, all...).
        return "param_" + self.name


@dataclasses.dataclass(frozen=True)
class Operation:
    resource: str      # the client attribute: `campaigns`
    name: str          # the method: `list`
    summary: str       # from the method's docstring: "GET /api/v2/campaigns: returns ..."
    params: Tuple[Param, ...]
    paginated: bool    # returns a SyncPage

    @property
    def command(self) -> str:
        return command_name(self.name)

    @property
    def positional(self) -> List[Param]:
        return [p for p in self.params if p.positional]

    @property
    def keywords(self) -> List[Param]:
        return [p for p in self.params if not p.positional]

    def by_json_key(self) -> Dict[str, Param]:
        """--json members → parameters; both spellings (`from`, `from_`) are accepted."""
        keys: Dict[str, Param] = {}
        for param in self.params:
            keys[param.api_name] = param
            keys[param.name] = param
        return keys


def _first_sentence(doc: Optional[str]) -> str:
    paragraph = " ".join((doc or "").strip().split("\n\n", 1)[0].split())
    cut = paragraph.find(". ")
    sentence = paragraph[:cut + 1] if cut >= 0 else paragraph
    return sentence.replace("`", "")


@functools.lru_cache(maxsize=None)
def resources() -> Dict[str, type]:
    """Client attribute → resource class, in the order the client declares them."""
    found: Dict[str, type] = {}
    for name, member in vars(ResourceAccessors).items():
        if isinstance(member, property) and member.fget is not None:
            found[name] = typing.get_type_hints(member.fget)["return"]
    return found


def resource_summary(resource: str) -> str:
    # "The `Campaign` operations, one method per endpoint." → "The Campaign operations."
    return _first_sentence(resources()[resource].__doc__).replace(", one method per endpoint", "")


def _is_page(annotation: Any) -> bool:
    return annotation is SyncPage or typing.get_origin(annotation) is SyncPage


@functools.lru_cache(maxsize=None)
def operations(resource: str) -> Tuple[Operation, ...]:
    """The generated operations of one resource, by method name."""
    cls = resources()[resource]
    found: List[Operation] = []
    for name, function in sorted(inspect.getmembers(cls, inspect.isfunction)):
        if name.startswith("_") or not _GENERATED_DOC.match(function.__doc__ or ""):
            continue
        hints = typing.get_type_hints(function)
        params: List[Param] = []
        for p in list(inspect.signature(function).parameters.values())[1:]:  # skip self
            if p.name in PER_CALL_EXTRAS:
                continue
            params.append(Param(name=p.name, api_name=p.name.rstrip("_"), hint=hints.get(p.name, Any),
                                required=p.default is inspect.Parameter.empty,
                                positional=p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)))
        paginated = _is_page(hints.get("return"))
        summary = _first_sentence(function.__doc__)
        if paginated:  # the SDK's wording is about iterating a page object; here it is --all
            summary = summary.split("; ")[0].rstrip(".") + " (--all: every page)."
        found.append(Operation(resource=resource, name=name, summary=summary, params=tuple(params),
                               paginated=paginated))
    return tuple(found)
