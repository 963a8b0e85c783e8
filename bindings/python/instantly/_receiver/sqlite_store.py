"""The SQLite store: one file, one receiver (the default). Its schema is
migrations/sqlite/0001_webhook_store.sql and 0002_unparsed_deliveries.sql, shared with the C++
receiver, so either can take over the other's file.

Each method runs on a connection of its own, so that the forwarder (the only writer of events and
unparsed bodies), the engagement worker, /healthz and /readyz never share a transaction.
"""
from __future__ import annotations

import sqlite3
import threading
from typing import Any, Callable, Optional, TypeVar

import instantly

from .rows import ENGAGEMENT_COLUMNS, MIGRATIONS, EventFact, EventRow, GapRow, UnparsedRow, fold

__all__ = ["SqliteStore"]

T = TypeVar("T")

# In order; each safe to apply again.
SCHEMA = ("0001_webhook_store.sql", "0002_unparsed_deliveries.sql", "0003_reconcile.sql")

INSERT_EVENT = ("INSERT OR IGNORE INTO events (dedupe_key, event_type, campaign_id, lead_email, timestamp, body,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
INSERT_UNPARSED = ("INSERT OR IGNORE INTO unparsed_deliveries (body_sha256, body, received_at, error)"
                   " VALUES (?, ?, ?, ?)")


class SqliteStore:
    Error: Any = sqlite3.Error

    #: Seconds check_writable waits for the write lock: a forwarder's batch takes milliseconds, so a
    #: lock held longer means writes are stuck, and /readyz should say so now rather than later.
    PROBE_TIMEOUT = 1.0
    #: Seconds the forwarder and the worker wait for the write lock before their attempt fails and
    #: is retried (the deliveries wait safely in the spool meanwhile).
    WRITE_TIMEOUT = 5.0

    def __init__(self, path: str):
        try:
            self._writer = self._connect(path, self.WRITE_TIMEOUT)
            for name in SCHEMA:
                self._writer.executescript((MIGRATIONS / "sqlite" / name).read_text(encoding="utf-8"))
        except sqlite3.Error as e:
            # "file is not a database", a table of another shape the schema cannot take: name the file.
            raise instantly.DatabaseError(f"cannot open the SQLite store {path}: {e}") from None
        self._folder = self._connect(path, self.WRITE_TIMEOUT)
        self._reader = self._connect(path)
        self._reader_lock = threading.Lock()
        self._probe = self._connect(path, timeout=self.PROBE_TIMEOUT)
        self._probe_lock = threading.Lock()

    @staticmethod
    def _connect(path: str, timeout: float = 30) -> sqlite3.Connection:
        # isolation_level=None: transactions are opened explicitly with BEGIN IMMEDIATE.
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=timeout)
        # WAL: readers never block the writer. synchronous=FULL: every COMMIT syncs the WAL, so a
        # delivery the spool gave up (committed past) survives a power cut, not only a crash.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        return db

    @staticmethod
    def _in_transaction(db: sqlite3.Connection, work: Callable[[], T]) -> T:
        db.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            db.execute("COMMIT")
            return result
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def store_deliveries(self, events: list[EventRow], unparsed: list[UnparsedRow]) -> list[bool]:
        """One forwarder batch in one transaction: each event once per dedupe key, each unparsed body
        once per SHA-256. Returns, per event, whether it was new."""
        def work() -> list[bool]:
            for row in unparsed:
                self._writer.execute(INSERT_UNPARSED, row)
            return [self._writer.execute(INSERT_EVENT, row).rowcount == 1 for row in events]
        return self._in_transaction(self._writer, work)

    def unparsed_rows(self) -> list[tuple[int, bytes, str]]:
        """(id, body, received_at) of every unparsed body, oldest first (for --reparse)."""
        with self._reader_lock:
            return [(i, bytes(body), received_at) for i, body, received_at in self._reader.execute(
                "SELECT id, body, received_at FROM unparsed_deliveries ORDER BY id")]

    def resolve_unparsed(self, became: list[tuple[int, EventRow]], still: list[tuple[int, str]]) -> int:
        """In one transaction: bodies that parse now become events (deduplicated) and leave the
        unparsed table; the others keep the parser's latest message. Returns the new events."""
        def work() -> int:
            inserted = 0
            for row_id, row in became:
                inserted += self._writer.execute(INSERT_EVENT, row).rowcount
                self._writer.execute("DELETE FROM unparsed_deliveries WHERE id = ?", (row_id,))
            for row_id, error in still:
                self._writer.execute("UPDATE unparsed_deliveries SET error = ? WHERE id = ?", (error, row_id))
            return inserted
        return self._in_transaction(self._writer, work)

    def apply_pending(self, limit: int) -> int:
        db = self._folder

        def load(campaign_id: str, lead_email: str) -> Optional[dict]:
            row = db.execute(f"SELECT {', '.join(ENGAGEMENT_COLUMNS)} FROM engagement"
                             " WHERE campaign_id = ? AND lead_email = ?", (campaign_id, lead_email)).fetchone()
            return dict(zip(ENGAGEMENT_COLUMNS, row)) if row is not None else None

        def save(lead: Any) -> None:
            placeholders = ", ".join("?" for _ in ENGAGEMENT_COLUMNS)
            db.execute(f"INSERT OR REPLACE INTO engagement ({', '.join(ENGAGEMENT_COLUMNS)}, updated_at)"
                       f" VALUES ({placeholders}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                       [getattr(lead, column) for column in ENGAGEMENT_COLUMNS])

        def work() -> int:
            rows = db.execute("SELECT id, body FROM events WHERE applied = 0 ORDER BY id LIMIT ?", (limit,)).fetchall()
            for event_id, body in rows:
                db.execute("UPDATE events SET applied = 1, apply_error = ? WHERE id = ?",
                           (fold(body, load, save), event_id))
            return len(rows)
        return self._in_transaction(db, work)

    def counts(self) -> tuple[int, int, int, int]:
        """(events, unapplied events, engagement rows, unparsed bodies)."""
        with self._reader_lock:
            events, unapplied = self._reader.execute(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE applied = 0) FROM events").fetchone()
            leads = self._reader.execute("SELECT COUNT(*) FROM engagement").fetchone()[0]
            unparsed = self._reader.execute("SELECT COUNT(*) FROM unparsed_deliveries").fetchone()[0]
        return events, unapplied, leads, unparsed

    def unapplied(self) -> int:
        """Stored events not yet applied (counted on the partial index events_unapplied)."""
        with self._reader_lock:
            return self._reader.execute("SELECT COUNT(*) FROM events WHERE applied = 0").fetchone()[0]

    def check_writable(self) -> None:
        """Raises sqlite3.Error unless a write could start now: BEGIN IMMEDIATE takes the write lock
        (a read-only file, or a writer that holds it longer than PROBE_TIMEOUT, refuses it), then
        ROLLBACK. Writes nothing. On a connection of its own: the writer's belongs to the
        forwarder thread, and a transaction must not be opened under it."""
        with self._probe_lock:
            self._probe.execute("BEGIN IMMEDIATE")
            self._probe.execute("ROLLBACK")

    # ---- what the reconcile reads and writes (instantly/_workflows/reconcile*.py) ----------------

    def event_facts(self) -> list[EventFact]:
        """Every stored event, as the reconcile counts it. json_valid guards json_extract from a body
        SQLite's reader refuses (it then counts without its step or email id)."""
        with self._reader_lock:
            return [EventFact(*row) for row in self._reader.execute(
                "SELECT campaign_id, event_type, lead_email,"
                " CASE WHEN event_type = 'email_sent' AND json_valid(body) THEN json_extract(body, '$.step') END,"
                " CASE WHEN event_type IN ('reply_received', 'auto_reply_received') AND json_valid(body)"
                " THEN json_extract(body, '$.email_id') END FROM events")]

    def holds_workspace(self, workspace: str) -> bool:
        """Whether some stored event came from `workspace` (stops at the first that did)."""
        with self._reader_lock:
            return bool(self._reader.execute(
                "SELECT EXISTS (SELECT 1 FROM events WHERE json_valid(body)"
                " AND json_extract(body, '$.workspace') = ?)", (workspace,)).fetchone()[0])

    def workspaces(self, limit: int) -> list[str]:
        """Up to `limit` of the workspaces the stored events came from (their payloads' `workspace`)."""
        with self._reader_lock:
            return [row[0] for row in self._reader.execute(
                "SELECT DISTINCT json_extract(body, '$.workspace') FROM events"
                " WHERE json_valid(body) AND json_type(body, '$.workspace') = 'text' LIMIT ?", (limit,))]

    def latest_body(self, event_type: str, campaign_id: str) -> Optional[str]:
        """The body of the newest stored event of this type and campaign."""
        with self._reader_lock:
            row = self._reader.execute("SELECT body FROM events WHERE event_type = ? AND campaign_id = ?"
                                       " ORDER BY id DESC LIMIT 1", (event_type, campaign_id)).fetchone()
        return row[0] if row else None

    def record_gaps(self, gaps: list[GapRow]) -> int:
        """Keeps each gap once (by subscription and start); returns how many were new."""
        def work() -> int:
            return sum(self._writer.execute(
                "INSERT OR IGNORE INTO webhook_gaps (webhook_id, target_url, event_type, campaign_id, gap_start,"
                " gap_end, resumed) VALUES (?, ?, ?, ?, ?, ?, ?)", tuple(gap[:7])).rowcount for gap in gaps)
        return self._in_transaction(self._writer, work)

    def open_gaps(self) -> list[GapRow]:
        """The gaps no reconcile has covered yet, oldest first."""
        with self._reader_lock:
            return [GapRow(w, u, e, c, s, end, bool(r), i) for i, w, u, e, c, s, end, r in self._reader.execute(
                "SELECT id, webhook_id, target_url, event_type, campaign_id, gap_start, gap_end, resumed"
                " FROM webhook_gaps WHERE reconciled_at IS NULL ORDER BY gap_start, id")]

    def close_gaps(self, ids: list[int]) -> None:
        def work() -> None:
            for gap_id in ids:
                self._writer.execute("UPDATE webhook_gaps SET reconciled_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                                     " WHERE id = ?", (gap_id,))
        self._in_transaction(self._writer, work)

    def close(self) -> None:
        for db in (self._probe, self._reader, self._folder, self._writer):
            db.close()
