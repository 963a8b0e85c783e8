"""The asyncio twin of `_resource.Resource`: the same arguments, the same conversions, but the
call goes through `_core.start_call` and is awaited (`_async_bridge`) instead of blocking."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, TypeVar

from . import _core
from ._async_bridge import await_core
from ._async_pagination import AsyncPager
from ._resource import call_options, decode_answer, params_json
from ._types import Body, Headers, Query

if TYPE_CHECKING:
    from ._async_client import AsyncClient

__all__ = ["AsyncResource"]

R = TypeVar("R")
T = TypeVar("T")


class AsyncResource:
    """Base of the generated async resource classes (`client.campaigns` of an AsyncClient, ...)."""

    __slots__ = ("_client",)

    def __init__(self, client: "AsyncClient") -> None:
        self._client = client

    async def _call(self, binding: str, path_args: Sequence[str], params: Optional[Dict[str, Any]],
                    convert: Optional[Callable[[Any], R]], *, extra_headers: Optional[Headers] = None,
                    extra_query: Optional[Query] = None, extra_body: Optional[Body] = None,
                    timeout: Optional[float] = None) -> Any:
        # Arguments are checked and converted here, before anything starts (as in the sync client).
        args = (binding, self._client._core, [str(arg) for arg in path_args], params_json(params, extra_body),
                call_options(extra_headers, extra_query, timeout))
        text = await await_core(lambda port, token: _core.start_call(*args, port, token))
        return decode_answer(text, convert)

    def _list(self, binding: str, path_args: Sequence[str], params: Optional[Dict[str, Any]],
              convert: Callable[[Any], T], *, extra_headers: Optional[Headers] = None,
              extra_query: Optional[Query] = None, extra_body: Optional[Body] = None,
              timeout: Optional[float] = None) -> AsyncPager[T]:
        # Making the fetcher sends nothing; bad parameters raise here, at the call.
        fetcher = getattr(_core, binding)(self._client._core, [str(arg) for arg in path_args],
                                          params_json(params, extra_body),
                                          call_options(extra_headers, extra_query, timeout))

        async def fetch(cursor: Optional[str]) -> Tuple[str, Optional[str]]:
            return await await_core(lambda port, token: fetcher.start_fetch(cursor, port, token))  # type: ignore[no-any-return]

        return AsyncPager(fetch, convert)
