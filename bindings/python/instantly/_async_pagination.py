"""Cursor pages for asyncio. A list call returns an AsyncPager at once (nothing is fetched yet):
awaiting it gives the first page, `async for` over it walks every item of every page.

    page = await client.campaigns.list(limit=100)      # the first page
    async for campaign in client.campaigns.list(limit=100):
        ...                                            # every campaign, page after page
    while page.has_next_page():
        page = await page.get_next_page()

As in SyncPage, the listing ends on an empty page and a repeated cursor raises PaginationError.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import Any, Generic, List, Optional, Set, Tuple, TypeVar

from ._pagination import may_follow, next_cursor, page_items, seen_after

__all__ = ["AsyncPage", "AsyncPager"]

T = TypeVar("T")

#: Fetches one page for a cursor (None: the first page): (JSON array of items, next cursor).
FetchPage = Callable[[Optional[str]], Awaitable[Tuple[str, Optional[str]]]]


class AsyncPage(Generic[T]):
    """One page of a listing, and the way to the rest of it."""

    __slots__ = ("items", "next_starting_after", "_fetch", "_convert", "_seen")

    def __init__(self, items: List[T], next_starting_after: Optional[str], fetch: FetchPage,
                 convert: Callable[[Any], T], seen: Set[str]) -> None:
        #: The items of this page only.
        self.items = items
        #: The cursor for the next page, as the API sent it (None when it sent none).
        self.next_starting_after = next_starting_after
        self._fetch = fetch
        self._convert = convert
        self._seen = seen

    @classmethod
    async def _load(cls, fetch: FetchPage, convert: Callable[[Any], T], cursor: Optional[str],
                    seen: Set[str]) -> "AsyncPage[T]":
        items_json, cursor_after = await fetch(cursor)
        return cls(page_items(items_json, convert), cursor_after, fetch, convert, seen_after(cursor, seen))

    def has_next_page(self) -> bool:
        """Whether another page may follow: this one is not empty and carries a cursor."""
        return may_follow(self.items, self.next_starting_after)

    async def get_next_page(self) -> "AsyncPage[T]":
        """Fetches the page after this one. Raises PaginationError when the server repeats a
        cursor, ValueError when there is no next page."""
        cursor = next_cursor(self.items, self.next_starting_after, self._seen)
        return await self._load(self._fetch, self._convert, cursor, self._seen)

    async def iter_pages(self) -> AsyncIterator["AsyncPage[T]"]:
        """This page and every page after it."""
        page: AsyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        """Every item of this page and of all the pages after it."""
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        return f"AsyncPage(items=<{len(self.items)} items>, next_starting_after={self.next_starting_after!r})"


class AsyncPager(Generic[T]):
    """What an AsyncClient list call returns: `await` it for the first page, or `async for` over
    it for every item. Each use fetches anew, from the first page."""

    __slots__ = ("_fetch", "_convert")

    def __init__(self, fetch: FetchPage, convert: Callable[[Any], T]) -> None:
        self._fetch = fetch
        self._convert = convert

    async def _first(self) -> AsyncPage[T]:
        return await AsyncPage._load(self._fetch, self._convert, None, set())

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item

    def __repr__(self) -> str:
        return "AsyncPager(<not fetched>)"
