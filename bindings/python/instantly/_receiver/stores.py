"""Where the webhook receiver keeps events and engagement: SQLite (one file, one receiver; the
default; sqlite_store.py) or PostgreSQL (the pipeline's database, any number of receivers;
docs/scale-out.md; postgres_store.py).

Both keep the C++ receiver's promises (examples/webhook_receiver/receiver_store.hpp):
store_deliveries() returns once its transaction committed, each dedupe key stored once and each
unparsed body kept once; apply_pending() folds stored events into the engagement, each exactly once,
in the transaction that marks it applied. `Error` is what a failed call raises (retried later).
"""
from __future__ import annotations

from typing import Any, Union

import instantly

from .postgres_store import PostgresStore
from .rows import ENGAGEMENT_COLUMNS, MIGRATIONS, EventRow, UnparsedRow, fold
from .sqlite_store import SqliteStore

__all__ = ["Store", "errors_of", "SqliteStore", "PostgresStore", "MIGRATIONS", "ENGAGEMENT_COLUMNS", "EventRow", "UnparsedRow",
           "fold"]

Store = Union[SqliteStore, PostgresStore]


def errors_of(store: Any) -> tuple[type[BaseException], ...]:
    """What a failed call of the store may raise, flat for an `except` clause (which, unlike
    isinstance, takes no nested tuples): the store's Error and the package's own errors."""
    own = store.Error if isinstance(store.Error, tuple) else (store.Error,)
    return (*own, instantly.Error)
