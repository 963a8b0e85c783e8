"""The Python receiver's readiness rule (instantly/_receiver/readiness.py): ready while the spool is
under 80% of its bound and at most BACKLOG_LIMIT stored events wait to be applied; a store that
cannot take writes is reported, not a reason (the spool takes the deliveries). The 80% warning,
once per crossing. And the SQLite store's write check. (/readyz over HTTP, for both receivers:
tests/python/test_receiver_metrics.py and test_receiver_spool.py.)"""
from __future__ import annotations

import logging
import sqlite3
from typing import NamedTuple

import pytest

from instantly._receiver import readiness
from instantly._receiver.stores import SqliteStore

LIMIT = readiness.BACKLOG_LIMIT


class Usage(NamedTuple):
    bytes: int = 0
    max_bytes: int = 1000
    pending: int = 0

    @property
    def fill(self) -> float:
        return self.bytes / self.max_bytes


class FakeStore:
    Error = sqlite3.Error

    def __init__(self, unapplied: int = 0, writable: bool = True, readable: bool = True) -> None:
        self._unapplied = unapplied
        self._writable = writable
        self._readable = readable

    def check_writable(self) -> None:
        if not self._writable:
            raise sqlite3.OperationalError("attempt to write a readonly database")

    def unapplied(self) -> int:
        if not self._readable:
            raise sqlite3.OperationalError("unable to open database file")
        return self._unapplied


def test_ready_up_to_the_limits():
    ready, answer = readiness.check(FakeStore(unapplied=LIMIT), Usage(bytes=799, pending=7))
    assert ready is True
    assert answer == {"ready": True, "queue_depth": 7, "unapplied": LIMIT, "spool_bytes": 799,
                      "spool_max_bytes": 1000, "store_writable": True}


@pytest.mark.parametrize("usage, unapplied, expected", [
    (Usage(bytes=800, pending=3), 0, "spool 80% full: 800 of 1000 bytes"),
    (Usage(bytes=1000), 0, "spool 80% full"),
    (Usage(), LIMIT + 1, "stored events wait to be applied"),
])
def test_a_full_spool_or_a_backlog_is_not_ready(usage, unapplied, expected):
    ready, answer = readiness.check(FakeStore(unapplied=unapplied), usage)
    assert ready is False and answer["ready"] is False
    assert len(answer["reasons"]) == 1 and expected in answer["reasons"][0]


def test_a_store_that_refuses_writes_is_reported_and_still_ready():
    ready, answer = readiness.check(FakeStore(writable=False, readable=False), Usage(pending=42))
    assert ready is True and "reasons" not in answer
    assert answer["store_writable"] is False and answer["unapplied"] is None and answer["queue_depth"] == 42


def test_the_spool_alarm_warns_once_per_crossing(caplog):
    alarm = readiness.SpoolAlarm("/var/spool/x", metrics=None)
    with caplog.at_level(logging.INFO, logger="instantly"):
        for size in (100, 790, 800, 900, 1000, 500, 100, 850, 860):
            alarm.observe(Usage(bytes=size, pending=size // 10))
    records = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "instantly"]
    assert [level for level, _ in records] == ["WARNING", "INFO", "WARNING"]
    assert "/var/spool/x passed 80% of its bound: 800 of 1000 bytes, 80 deliveries" in records[0][1]
    assert "back under 80%" in records[1][1]


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
        assert store.counts() == (0, 0, 0, 0)
    finally:
        store.close()
