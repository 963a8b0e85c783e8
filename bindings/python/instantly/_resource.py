"""What every generated resource method does with its arguments: drop the ones not given, turn
models and enums into JSON data, add the per-call extras, call the operation's binding in the
`_core` extension (which does the HTTP work in C++ with the GIL released) and convert the
answer."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Type, TypeVar

from . import _core
from ._answer import loads_answer
from ._models import BaseModel, to_jsonable
from ._pagination import SyncPage
from ._types import Body, Headers, NotGiven, Query

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["Resource", "list_of", "raw"]

R = TypeVar("R")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def raw(value: Any) -> Any:
    """Keeps an answer as plain JSON data (operations whose answer has no fixed shape)."""
    return value


def list_of(convert: Callable[[Any], T]) -> Callable[[Any], List[T]]:
    """Converts a JSON array item by item."""
    def convert_all(value: Any) -> List[T]:
        return [convert(item) for item in value] if isinstance(value, list) else value
    return convert_all


def query_pairs(query: Optional[Query]) -> List[Tuple[str, str]]:
    """Extra query parameters as (key, text) pairs; a list value repeats its key."""
    if not query:
        return []
    items = query.items() if isinstance(query, Mapping) else query
    pairs: List[Tuple[str, str]] = []
    for key, value in items:
        for one in (value if isinstance(value, (list, tuple)) else [value]):
            one = to_jsonable(one)
            pairs.append((str(key), "true" if one is True else "false" if one is False else str(one)))
    return pairs


def call_options(extra_headers: Optional[Headers], extra_query: Optional[Query],
                 timeout: Optional[float]) -> "_core.CallOptions":
    return _core.CallOptions(dict(extra_headers or {}), query_pairs(extra_query), timeout)


def decode_answer(text: Optional[str], convert: Optional[Callable[[Any], R]]) -> Any:
    """An operation's answer (JSON text, or None for an empty one) as what its method returns."""
    if convert is None:
        return None
    value = loads_answer(text) if text is not None else None
    return convert(value) if value is not None else None


def params_json(params: Optional[Dict[str, Any]], extra_body: Optional[Body]) -> Optional[str]:
    """The operation's parameters (query and body members by their API names) as JSON text."""
    if params is None and not extra_body:
        return None
    merged = {k: v for k, v in (params or {}).items() if not isinstance(v, NotGiven)}
    if extra_body:
        merged.update(extra_body)
    return json.dumps(to_jsonable(merged))


class Resource:
    """Base of the generated resource classes (`client.campaigns`, `client.leads`, ...)."""

    __slots__ = ("_client",)

    def __init__(self, client: "Client") -> None:
        self._client = client

    def _call(self, binding: str, path_args: Sequence[str], params: Optional[Dict[str, Any]],
              convert: Optional[Callable[[Any], R]], *, extra_headers: Optional[Headers] = None,
              extra_query: Optional[Query] = None, extra_body: Optional[Body] = None,
              timeout: Optional[float] = None) -> Any:
        function = getattr(_core, binding)
        text = function(self._client._core, [str(arg) for arg in path_args], params_json(params, extra_body),
                        call_options(extra_headers, extra_query, timeout))
        return decode_answer(text, convert)

    def _list(self, binding: str, path_args: Sequence[str], params: Optional[Dict[str, Any]],
              convert: Callable[[Any], T], *, extra_headers: Optional[Headers] = None,
              extra_query: Optional[Query] = None, extra_body: Optional[Body] = None,
              timeout: Optional[float] = None) -> SyncPage[T]:
        function = getattr(_core, binding)
        fetcher = function(self._client._core, [str(arg) for arg in path_args], params_json(params, extra_body),
                           call_options(extra_headers, extra_query, timeout))
        return SyncPage._first(fetcher.fetch, convert)
