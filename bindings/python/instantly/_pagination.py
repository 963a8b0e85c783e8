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

from collections.abc import Callable, Iterator
from typing import Any, Generic, List, Optional, Set, Tuple, TypeVar

from ._answer import loads_answer
from ._exceptions import PaginationError

__all__ = ["SyncPage"]

T = TypeVar("T")

#: Fetches one page for a cursor (None: the first page): (JSON array text of items, next cursor).
FetchPage = Callable[[Optional[str]], Tuple[str, Optional[str]]]


# The rules of a listing, shared with AsyncPage (_async_pagination.py).

def page_items(items_json: str, convert: Callable[[Any], T]) -> List[T]:
    return [convert(item) for item in loads_answer(items_json)]


def seen_after(cursor: Optional[str], seen: Set[str]) -> Set[str]:
    """The cursors used up to and including the page fetched with `cursor`."""
    return seen | {cursor} if cursor is not None else seen


def may_follow(items: List[Any], next_starting_after: Optional[str]) -> bool:
    """Whether another page may follow: this one is not empty and carries a cursor."""
    return bool(items) and bool(next_starting_after)


def next_cursor(items: List[Any], next_starting_after: Optional[str], seen: Set[str]) -> str:
    """The cursor of the page after this one. Raises ValueError when there is none,
    PaginationError when the server repeats a cursor (instead of looping)."""
    if not may_follow(items, next_starting_after):
        raise ValueError("this is the last page; check has_next_page() first")
    assert next_starting_after is not None
    if next_starting_after in seen:
        # Not quoted: the server's text could echo the API key.
        raise PaginationError(f"the server repeated a cursor ({len(next_starting_after)} characters); "
                              "stopped instead of looping")
    return next_starting_after


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
        items_json, cursor_after = fetch(cursor)
        return cls(page_items(items_json, convert), cursor_after, fetch, convert, seen_after(cursor, seen))

    def has_next_page(self) -> bool:
        """Whether another page may follow: this one is not empty and carries a cursor."""
        return may_follow(self.items, self.next_starting_after)

    def next_page(self) -> "SyncPage[T]":
        """Fetches the page after this one. Raises PaginationError when the server repeats a
        cursor, ValueError when there is no next page."""
        cursor = next_cursor(self.items, self.next_starting_after, self._seen)
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
