"""`instantly.AsyncClient`: instantly.Client for asyncio. The same resources, methods, arguments,
models and errors; every call is a coroutine (list calls return an AsyncPager), and the C++ core
does the work off the event loop (`_async_bridge`)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ._answer import loads_answer
from ._async_bridge import await_core
from ._client import _ClientBase
from ._types import Query
from .resources import AsyncResourceAccessors

__all__ = ["AsyncClient"]


class AsyncClient(_ClientBase, AsyncResourceAccessors):
    """A client for the Instantly API v2, for asyncio.

        async with instantly.AsyncClient() as client:       # key from INSTANTLY_API_KEY
            campaign = await client.campaigns.get(campaign_id)
            async for lead in client.leads.list(campaign=campaign_id):
                ...

    Calls run on the C++ core's pooled worker threads, never on the loop's; their outcomes are
    posted back to the loop, which picks them up through one file descriptor. Any number of coroutines may share one client: they share its
    connections and its rate limit, which spaces requests out instead of letting a 429 through.
    Cancelling a task that awaits a call stops the call at once (a transfer, a rate-limit wait, a
    retry back-off); nothing more is sent. Constructor arguments: those of instantly.Client.
    """

    async def request(self, method: str, path: str, *, query: Optional[Query] = None, body: Any = None,
                      headers: Optional[Mapping[str, str]] = None, timeout: Optional[float] = None) -> Any:
        """Any endpoint, by hand: `await client.request("GET", "/api/v2/campaigns", query={"limit": 5})`.
        Returns the decoded JSON (text for a text answer, None for an empty one)."""
        arguments = self._request_arguments(method, path, query, body, headers, timeout)
        text = await await_core(lambda port, token: self._core.start_request(*arguments, port, token))
        return None if text is None else loads_answer(text)

    async def close(self) -> None:
        """Releases this client's connections (copies from with_options keep theirs)."""
        self._core.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
