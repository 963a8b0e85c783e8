"""The Python receiver's readiness rule (instantly/_receiver/readiness.py): the store must take
writes and neither the group-commit queue nor the unapplied events may pass BACKLOG_LIMIT; and the
SQLite store's write check. (/readyz over HTTP, for both receivers: tests/python/test_receiver_metrics.py.)"""
from __future__ import annotations

import sqlite3

import pytest

from instantly._receiver import readiness
from instantly._receiver.stores import SqliteStore

LIMIT = readiness.BACKLOG_LIMIT


class FakeStore:
    Error = sqlite3.Error

    def __init__(self, unapplied: int = 0, writable: bool = True) -> None:
        self._unapplied = unapplied
        self._writable = writable

    def check_writable(self) -> None:
        if not self._writable:
            raise sqlite3.OperationalError("attempt to write a readonly database")

    def unapplied(self) -> int:
        return self._unapplied


def test_ready_up_to_the_limit():
    ready, answer = readiness.check(FakeStore(unapplied=LIMIT), queue_depth=LIMIT)
    assert ready is True
    assert answer == {"ready": True, "queue_depth": LIMIT, "unapplied": LIMIT}


@pytest.mark.parametrize("queue_depth, unapplied, expected", [
    (LIMIT + 1, 0, "deliveries wait for the group commit"),
    (0, LIMIT + 1, "stored events wait to be applied"),
])
def test_a_backlog_over_the_limit_is_not_ready(queue_depth, unapplied, expected):
    ready, answer = readiness.check(FakeStore(unapplied=unapplied), queue_depth=queue_depth)
    assert ready is False and answer["ready"] is False
    assert len(answer["reasons"]) == 1 and expected in answer["reasons"][0]


def test_a_store_that_refuses_writes_is_named():
    ready, answer = readiness.check(FakeStore(writable=False), queue_depth=0)
    assert ready is False
    assert answer["reasons"] == ["store not writable: attempt to write a readonly database"]


def test_sqlite_write_check_fails_while_another_writer_holds_the_lock(tmp_path):
    path = str(tmp_path / "events.db")
    store = SqliteStore(path)
    try:
        store.check_writable()  # nothing in the way
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                store.check_writable()
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        store.check_writable()
        assert store.unapplied() == 0
    finally:
        store.close()
