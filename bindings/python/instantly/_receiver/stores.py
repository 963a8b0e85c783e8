"""Where the webhook receiver keeps events and engagement: SQLite (one file, one receiver; the
default) or PostgreSQL (the pipeline's database, any number of receivers; docs/scale-out.md).

Both keep the C++ receiver's promises (examples/webhook_receiver/receiver_store.hpp): store_batch()
returns once its transaction committed, each dedupe key stored once; apply_pending() folds stored
events into the engagement, each exactly once, in the transaction that marks it applied.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any, Optional

import instantly
from instantly import webhooks

# The package's copy of the repository's migrations/ (package data, so an installed package has
# them too); tests/python/package/test_cli_receiver.py checks the copy is byte for byte the same.
MIGRATIONS = Path(__file__).resolve().parent / "sql"

# The columns of instantly.webhooks.LeadEngagement, as both engines' engagement tables hold them.
ENGAGEMENT_COLUMNS = ("campaign_id", "lead_email", "email_sent_at", "email_opened_at", "email_clicked_at",
                      "email_replied_at", "email_bounced_at", "unsubscribed_at", "reply_count", "email_status",
                      "interest", "interest_at")

Row = tuple[Any, ...]  # (dedupe_key, event_type, campaign_id, lead_email, timestamp, body)


def fold(body: str, load, save) -> Optional[str]:
    """Applies one stored event to its lead's row: `load(campaign_id, lead_key)` gives the row as a
    dict (or None), `save(lead)` writes it back. Returns why the body could not be applied."""
    try:
        event = webhooks.parse(body)
    except instantly.DecodeError as e:
        return str(e)  # it parsed when it arrived, so it was changed since: keep it, flagged
    if event.lead_email is None:
        return None
    lead = webhooks.apply(load(event.campaign_id, webhooks.lead_key(event.lead_email)), event)
    if lead is not None:
        save(lead)
    return None


class SqliteStore:
    Error: Any = sqlite3.Error

    def __init__(self, path: str):
        self._writer = self._connect(path)
        self._writer.executescript((MIGRATIONS / "sqlite" / "0001_webhook_store.sql").read_text(encoding="utf-8"))
        self._folder = self._connect(path)
        self._reader = self._connect(path)
        self._reader_lock = threading.Lock()
        self._probe = self._connect(path, timeout=self.PROBE_TIMEOUT)
        self._probe_lock = threading.Lock()

    #: Seconds check_writable waits for the write lock: a group commit takes milliseconds, so a lock
    #: held longer means writes are stuck, and /readyz should answer now rather than in 30 s.
    PROBE_TIMEOUT = 1.0

    @staticmethod
    def _connect(path: str, timeout: float = 30) -> sqlite3.Connection:
        # isolation_level=None: transactions are opened explicitly with BEGIN IMMEDIATE.
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=timeout)
        # WAL: readers never block the writer. synchronous=FULL: every COMMIT syncs the WAL, so an
        # acknowledged event survives a power cut, not only a crash of this process.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        return db

    @staticmethod
    def _in_transaction(db: sqlite3.Connection, work):
        db.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            db.execute("COMMIT")
            return result
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def store_batch(self, rows: list[Row]) -> list[bool]:
        def work() -> list[bool]:
            return [self._writer.execute(
                "INSERT OR IGNORE INTO events (dedupe_key, event_type, campaign_id, lead_email, timestamp, body)"
                " VALUES (?, ?, ?, ?, ?, ?)", row).rowcount == 1 for row in rows]
        return self._in_transaction(self._writer, work)

    def apply_pending(self, limit: int) -> int:
        db = self._folder

        def load(campaign_id: str, lead_email: str) -> Optional[dict]:
            row = db.execute(f"SELECT {', '.join(ENGAGEMENT_COLUMNS)} FROM engagement"
                             " WHERE campaign_id = ? AND lead_email = ?", (campaign_id, lead_email)).fetchone()
            return dict(zip(ENGAGEMENT_COLUMNS, row)) if row is not None else None

        def save(lead) -> None:
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

    def counts(self) -> tuple[int, int, int]:
        with self._reader_lock:
            events, unapplied = self._reader.execute(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE applied = 0) FROM events").fetchone()
            leads = self._reader.execute("SELECT COUNT(*) FROM engagement").fetchone()[0]
        return events, unapplied, leads

    def unapplied(self) -> int:
        """Stored events not yet applied (counted on the partial index events_unapplied)."""
        with self._reader_lock:
            return self._reader.execute("SELECT COUNT(*) FROM events WHERE applied = 0").fetchone()[0]

    def check_writable(self) -> None:
        """Raises sqlite3.Error unless a write could start now: BEGIN IMMEDIATE takes the write lock
        (a read-only file, or a writer that holds it longer than PROBE_TIMEOUT, refuses it), then
        ROLLBACK. Writes nothing. On a connection of its own: the writer's belongs to the group
        commit thread, and a transaction must not be opened under it."""
        with self._probe_lock:
            self._probe.execute("BEGIN IMMEDIATE")
            self._probe.execute("ROLLBACK")

    def close(self) -> None:
        for db in (self._probe, self._reader, self._folder, self._writer):
            db.close()


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class PostgresStore:
    """The organisation's rows of the pipeline's PostgreSQL database (migrations/postgresql), shared
    by any number of receivers: see examples/webhook_receiver/postgres_store.hpp for how they share."""

    def __init__(self, url: str, organization_id: str):
        try:
            import psycopg  # Debian's python3-psycopg; only this store needs it
        except ImportError:
            raise instantly.DatabaseError("--database needs psycopg 3 (Debian: apt install python3-psycopg)") from None

        self.Error: Any = psycopg.Error
        self._psycopg: Any = psycopg
        if not _UUID.match(organization_id):
            raise instantly.ValidationError("an organisation id is a UUID (8-4-4-4-12 hex digits)")
        self._organization = organization_id
        self._where, self._password = self._describe(url)
        self._writer = self._connect(url)
        self._require_current_schema()
        self._folder = self._connect(url)
        self._reader = self._connect(url)
        self._reader_lock = threading.Lock()

    def _describe(self, url: str) -> tuple[str, str]:
        try:
            info = self._psycopg.conninfo.conninfo_to_dict(url)
        except self._psycopg.ProgrammingError:
            raise instantly.ValidationError(
                "the PostgreSQL URL does not parse: expected postgresql://user:password@host:port/database") from None
        where = "postgresql://" + (f"{info['user']}@" if info.get("user") else "") + str(info.get("host", "localhost"))
        where += (f":{info['port']}" if info.get("port") else "") + (f"/{info['dbname']}" if info.get("dbname") else "")
        return where, str(info.get("password") or "")

    def _scrub(self, message: str) -> str:
        return message.replace(self._password, "***") if len(self._password) >= 4 else message

    def _connect(self, url: str):
        try:
            # autocommit: every transaction is an explicit `with db.transaction()` block.
            return self._psycopg.connect(url, application_name="instantly webhook_receiver.py", connect_timeout=10,
                                         autocommit=True)
        except self._psycopg.Error as e:
            raise instantly.DatabaseError(f"cannot connect to PostgreSQL at {self._where}: {self._scrub(str(e).strip())}",
                                          sqlstate=e.sqlstate or "") from None

    def _in_organization(self, db, work):
        # The organisation holds for this transaction only (set_config's `true`): row-level security
        # shows and lets write this organisation's rows and no other's.
        with db.transaction():
            db.execute("SELECT set_config('instantly.organization_id', %s, true)", (self._organization,))
            return work(db)

    def _require_current_schema(self) -> None:
        shipped = {int(path.name.split("_", 1)[0]): path for path in (MIGRATIONS / "postgresql").glob("*.sql")}
        how = "apply the migrations as the tables' owner (examples/postgres_migrate)"
        with self._writer.transaction():
            present = self._writer.execute("SELECT to_regclass('instantly_schema_migrations') IS NOT NULL").fetchone()[0]
            if not present:
                raise instantly.SchemaError(f"{self._where} has no instantly schema: {how}")
            applied = dict(self._writer.execute("SELECT version, sha256 FROM instantly_schema_migrations").fetchall())
        for version, digest in applied.items():
            if version not in shipped:
                raise instantly.SchemaError(f"{self._where} holds migration {version}, which this receiver does not know")
            if hashlib.sha256(shipped[version].read_bytes()).hexdigest() != digest:
                raise instantly.SchemaError(f"{self._where}: migration {shipped[version].name} was applied from other"
                                            " contents")
        missing = [shipped[v].name for v in sorted(shipped) if v not in applied]
        if missing:
            raise instantly.SchemaError(f"{self._where} is missing {', '.join(missing)}: {how}")

    def store_batch(self, rows: list[Row]) -> list[bool]:
        def work(db) -> list[bool]:
            return [db.execute(
                "INSERT INTO instantly_email_events (organization_id, dedupe_key, event_type, campaign_id, lead_email,"
                " occurred_at, body) VALUES (instantly_current_organization(), %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (organization_id, dedupe_key) DO NOTHING", row).rowcount == 1 for row in rows]
        return self._in_organization(self._writer, work)

    def apply_pending(self, limit: int) -> int:
        def load(db, campaign_id: str, lead_email: str) -> dict:
            # The row exists before it is locked, so two receivers folding a new lead's first events
            # both wait on one row instead of each writing its own.
            db.execute("INSERT INTO instantly_lead_engagement (organization_id, campaign_id, lead_email)"
                       " VALUES (instantly_current_organization(), %s, %s) ON CONFLICT DO NOTHING",
                       (campaign_id, lead_email))
            row = db.execute(f"SELECT {', '.join(ENGAGEMENT_COLUMNS)} FROM instantly_lead_engagement"
                             " WHERE campaign_id = %s AND lead_email = %s FOR UPDATE", (campaign_id, lead_email)).fetchone()
            return dict(zip(ENGAGEMENT_COLUMNS, row))

        def save(db, lead) -> None:
            values = {column: getattr(lead, column) for column in ENGAGEMENT_COLUMNS}
            db.execute("UPDATE instantly_lead_engagement SET " +
                       ", ".join(f"{column} = %({column})s" for column in ENGAGEMENT_COLUMNS[2:]) +
                       ", updated_at = now() WHERE campaign_id = %(campaign_id)s AND lead_email = %(lead_email)s",
                       values)
            db.execute("UPDATE businesses SET email_sent_at = instantly_try_timestamptz(%(email_sent_at)s),"
                       " email_opened_at = instantly_try_timestamptz(%(email_opened_at)s),"
                       " email_replied_at = instantly_try_timestamptz(%(email_replied_at)s),"
                       " email_bounced_at = instantly_try_timestamptz(%(email_bounced_at)s),"
                       " unsubscribed_at = instantly_try_timestamptz(%(unsubscribed_at)s),"
                       " reply_count = %(reply_count)s, email_status = %(email_status)s, updated_at = now()"
                       " WHERE lower(btrim(email)) = %(lead_email)s", values)

        def work(db) -> int:
            # SKIP LOCKED: events another receiver's worker is folding right now are its own.
            rows = db.execute("SELECT id, body, campaign_id, lead_email FROM instantly_email_events"
                              " WHERE NOT applied ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", (limit,)).fetchall()
            # Every worker (C++ or Python) locks lead rows in one order, (campaign, lead key), so two
            # folding overlapping leads wait for each other instead of deadlocking. The sort is
            # stable, so one lead's events keep their arrival order. Python compares str by code
            # point, as C++ compares UTF-8 bytes: the same order.
            rows.sort(key=lambda row: (row[2] or "", webhooks.lead_key(row[3] or "")))
            for event_id, body, _, _ in rows:
                error = fold(body, lambda c, e: load(db, c, e), lambda lead: save(db, lead))
                db.execute("UPDATE instantly_email_events SET applied = true, apply_error = %s WHERE id = %s",
                           (error, event_id))
            return len(rows)
        return self._in_organization(self._folder, work)

    def counts(self) -> tuple[int, int, int]:
        with self._reader_lock:
            return self._in_organization(self._reader, lambda db: db.execute(
                "SELECT (SELECT count(*) FROM instantly_email_events),"
                " (SELECT count(*) FROM instantly_email_events WHERE NOT applied),"
                " (SELECT count(*) FROM instantly_lead_engagement)").fetchone())

    def unapplied(self) -> int:
        """Stored events of the organisation not yet applied."""
        with self._reader_lock:
            return self._in_organization(self._reader, lambda db: db.execute(
                "SELECT count(*) FROM instantly_email_events WHERE NOT applied").fetchone()[0])

    def check_writable(self) -> None:
        """Raises psycopg.Error (or DatabaseError for a read-only database) unless the store's
        transactions could write now: a transaction opened as the writer opens them asks whether it is
        read-only (and writes nothing). `BEGIN READ WRITE` alone would pass on a server with
        default_transaction_read_only, where every store_batch fails; on a standby it fails too."""
        def probe(db) -> bool:
            return db.execute("SELECT current_setting('transaction_read_only') = 'off'"
                              " AND NOT pg_is_in_recovery()").fetchone()[0]
        with self._reader_lock:
            writable = self._in_organization(self._reader, probe)
        if not writable:
            raise instantly.DatabaseError(f"{self._where} is read-only")

    def close(self) -> None:
        for db in (self._reader, self._folder, self._writer):
            db.close()
