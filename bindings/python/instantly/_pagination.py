"""Cursor pages. A list call returns its first page; iterating the page walks every item of
every page, fetching the next one only when the current one is used up.

    page = client.campaigns.list(limit=100)
    for campaign in page:            # all campaigns, page after page
        ...
    page.items                       # just this page
    while page.has_next_page():
        page = page.next_page()

The listing ends on an empty page (the API may hand out a cursor on its last full page) and a
cursor the server repeats raises PaginationError instead of looping.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, Generic, List, Optional, Set, Tuple, TypeVar

from ._exceptions import PaginationError

__all__ = ["SyncPage"]

T = TypeVar("T")

#: Fetches one page for a cursor (None: the first page): (JSON array text of items, next cursor).
FetchPage = Callable[[Optional[str]], Tuple[str, Optional[str]]]


class SyncPage(Generic[T]):
    """One page of a listing, and the way to the rest of it."""

    __slots__ = ("items", "next_starting_after", "_fetch", "_convert", "_seen")

    def __init__(self, items: List[T], next_starting_after: Optional[str], fetch: FetchPage,
                 convert: Callable[[Any], T], seen: Optional[Set[str]] = None) -> None:
        #: The items of this page only.
        self.items = items
        #: The cursor for the next page, as the API sent it (None when it sent none).
        self.next_starting_after = next_starting_after
        self._fetch = fetch
        self._convert = convert
        self._seen: Set[str] = set(seen or ())

    @classmethod
    def _first(cls, fetch: FetchPage, convert: Callable[[Any], T],
               cursor: Optional[str] = None) -> "SyncPage[T]":
        return cls._load(fetch, convert, cursor, set())

    @classmethod
    def _load(cls, fetch: FetchPage, convert: Callable[[Any], T], cursor: Optional[str],
              seen: Set[str]) -> "SyncPage[T]":
        items_json, next_cursor = fetch(cursor)
        items = [convert(item) for item in json.loads(items_json)]
        if cursor is not None:
            seen = seen | {cursor}
        return cls(items, next_cursor, fetch, convert, seen)

    def has_next_page(self) -> bool:
        """Whether another page may follow: this one is not empty and carries a cursor."""
        return bool(self.items) and bool(self.next_starting_after)

    def next_page(self) -> "SyncPage[T]":
        """Fetches the page after this one. Raises PaginationError when the server repeats a
        cursor, ValueError when there is no next page."""
        if not self.has_next_page():
            raise ValueError("this is the last page; check has_next_page() first")
        cursor = self.next_starting_after
        assert cursor is not None
        if cursor in self._seen:
            raise PaginationError(f"the server repeated the cursor {cursor!r}; stopped instead of looping")
        return self._load(self._fetch, self._convert, cursor, self._seen)

    def iter_pages(self) -> Iterator["SyncPage[T]"]:
        """This page and every page after it."""
        page: SyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        """Every item of this page and of all the pages after it."""
        for page in self.iter_pages():
            yield from page.items

    def __repr__(self) -> str:
        return f"SyncPage(items=<{len(self.items)} items>, next_starting_after={self.next_starting_after!r})"
