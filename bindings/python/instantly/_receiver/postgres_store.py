"""The PostgreSQL store: the organisation's rows of the pipeline's database (migrations/postgresql),
shared by any number of receivers: see examples/webhook_receiver/postgres_store.hpp for how they
share. Row-level security binds every transaction to the receiver's organisation.

The database may restart under a running receiver (the spool takes the deliveries meanwhile): each
of the store's connections is opened again on its next use after the server dropped it.
"""
from __future__ import annotations

import hashlib
import re
import threading
from typing import Any, Callable, Optional

import instantly
from instantly import webhooks

from .rows import ENGAGEMENT_COLUMNS, MIGRATIONS, EventFact, EventRow, GapRow, UnparsedRow, fold

__all__ = ["PostgresStore"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

INSERT_EVENT = ("INSERT INTO instantly_email_events (organization_id, dedupe_key, event_type, campaign_id,"
                " lead_email, occurred_at, body, received_at) VALUES (instantly_current_organization(),"
                " %s, %s, %s, %s, %s, %s, %s::timestamptz) ON CONFLICT (organization_id, dedupe_key) DO NOTHING")
INSERT_UNPARSED = ("INSERT INTO instantly_unparsed_deliveries (organization_id, body_sha256, body, received_at, error)"
                   " VALUES (instantly_current_organization(), %s, %s, %s::timestamptz, %s)"
                   " ON CONFLICT (organization_id, body_sha256) DO NOTHING")


class _Link:
    """One connection, (re)opened on demand: after the server dropped it (a restart, a failover, an
    idle timeout) the next transaction connects anew instead of failing forever."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect = connect
        self._db: Any = None

    def get(self) -> Any:
        if self._db is None or self._db.closed or self._db.broken:
            self.reset()
            self._db = self._connect()
        return self._db

    def reset(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # noqa: BLE001 - a dead connection may fail to close; it is gone either way
                pass
            self._db = None

    close = reset


class PostgresStore:
    def __init__(self, url: str, organization_id: str):
        try:
            import psycopg  # Debian's python3-psycopg; only this store needs it
        except ImportError:
            raise instantly.DatabaseError("--database needs psycopg 3 (Debian: apt install python3-psycopg)") from None

        # What a failed transaction raises: psycopg's errors, or DatabaseError when connecting again failed.
        self.Error: Any = (psycopg.Error, instantly.DatabaseError)
        self._psycopg: Any = psycopg
        if not _UUID.match(organization_id):
            raise instantly.ValidationError("an organisation id is a UUID (8-4-4-4-12 hex digits)")
        self._organization = organization_id
        self._where, self._password = self._describe(url)
        self._writer = _Link(lambda: self._connect(url))
        self._require_current_schema()
        self._folder = _Link(lambda: self._connect(url))
        self._reader = _Link(lambda: self._connect(url))
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

    def _connect(self, url: str) -> Any:
        try:
            # autocommit: every transaction is an explicit `with db.transaction()` block.
            return self._psycopg.connect(url, application_name="instantly webhook_receiver.py", connect_timeout=10,
                                         autocommit=True)
        except self._psycopg.Error as e:
            raise instantly.DatabaseError(f"cannot connect to PostgreSQL at {self._where}: {self._scrub(str(e).strip())}",
                                          sqlstate=e.sqlstate or "") from None

    def _in_organization(self, link: _Link, work: Callable[[Any], Any]) -> Any:
        # The organisation holds for this transaction only (set_config's `true`): row-level security
        # shows and lets write this organisation's rows and no other's.
        db = link.get()
        try:
            with db.transaction():
                db.execute("SELECT set_config('instantly.organization_id', %s, true)", (self._organization,))
                return work(db)
        except self._psycopg.OperationalError:
            link.reset()  # the connection may be dead: the next transaction opens a new one
            raise

    def _require_current_schema(self) -> None:
        shipped = {int(path.name.split("_", 1)[0]): path for path in (MIGRATIONS / "postgresql").glob("*.sql")}
        how = "apply the migrations as the tables' owner (examples/postgres_migrate)"
        db = self._writer.get()
        with db.transaction():
            present = db.execute("SELECT to_regclass('instantly_schema_migrations') IS NOT NULL").fetchone()[0]
            if not present:
                raise instantly.SchemaError(f"{self._where} has no instantly schema: {how}")
            applied = dict(db.execute("SELECT version, sha256 FROM instantly_schema_migrations").fetchall())
        for version, digest in applied.items():
            if version not in shipped:
                raise instantly.SchemaError(f"{self._where} holds migration {version}, which this receiver does not know")
            if hashlib.sha256(shipped[version].read_bytes()).hexdigest() != digest:
                raise instantly.SchemaError(f"{self._where}: migration {shipped[version].name} was applied from other"
                                            " contents")
        missing = [shipped[v].name for v in sorted(shipped) if v not in applied]
        if missing:
            raise instantly.SchemaError(f"{self._where} is missing {', '.join(missing)}: {how}")

    def store_deliveries(self, events: list[EventRow], unparsed: list[UnparsedRow]) -> list[bool]:
        """One forwarder batch in one transaction; per event, whether it was new."""
        def work(db: Any) -> list[bool]:
            for row in unparsed:
                db.execute(INSERT_UNPARSED, row)
            return [db.execute(INSERT_EVENT, row).rowcount == 1 for row in events]
        return self._in_organization(self._writer, work)

    def unparsed_rows(self) -> list[tuple[int, bytes, Any]]:
        """(id, body, received_at) of the organisation's unparsed bodies, oldest first."""
        with self._reader_lock:
            return [(i, bytes(body), received_at) for i, body, received_at in self._in_organization(
                self._reader, lambda db: db.execute(
                    "SELECT id, body, received_at FROM instantly_unparsed_deliveries ORDER BY id").fetchall())]

    def resolve_unparsed(self, became: list[tuple[int, EventRow]], still: list[tuple[int, str]]) -> int:
        """The same as SqliteStore.resolve_unparsed, in the organisation."""
        def work(db: Any) -> int:
            inserted = 0
            for row_id, row in became:
                inserted += db.execute(INSERT_EVENT, row).rowcount
                db.execute("DELETE FROM instantly_unparsed_deliveries WHERE id = %s", (row_id,))
            for row_id, error in still:
                db.execute("UPDATE instantly_unparsed_deliveries SET error = %s WHERE id = %s", (error, row_id))
            return inserted
        return self._in_organization(self._writer, work)

    def apply_pending(self, limit: int) -> int:
        def load(db: Any, campaign_id: str, lead_email: str) -> dict:
            # The row exists before it is locked, so two receivers folding a new lead's first events
            # both wait on one row instead of each writing its own.
            db.execute("INSERT INTO instantly_lead_engagement (organization_id, campaign_id, lead_email)"
                       " VALUES (instantly_current_organization(), %s, %s) ON CONFLICT DO NOTHING",
                       (campaign_id, lead_email))
            row = db.execute(f"SELECT {', '.join(ENGAGEMENT_COLUMNS)} FROM instantly_lead_engagement"
                             " WHERE campaign_id = %s AND lead_email = %s FOR UPDATE", (campaign_id, lead_email)).fetchone()
            return dict(zip(ENGAGEMENT_COLUMNS, row))

        def save(db: Any, lead: Any) -> None:
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

        def work(db: Any) -> int:
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

    def counts(self) -> tuple[int, int, int, int]:
        """(events, unapplied events, engagement rows, unparsed bodies) of the organisation."""
        with self._reader_lock:
            return self._in_organization(self._reader, lambda db: db.execute(
                "SELECT (SELECT count(*) FROM instantly_email_events),"
                " (SELECT count(*) FROM instantly_email_events WHERE NOT applied),"
                " (SELECT count(*) FROM instantly_lead_engagement),"
                " (SELECT count(*) FROM instantly_unparsed_deliveries)").fetchone())

    def unapplied(self) -> int:
        """Stored events of the organisation not yet applied."""
        with self._reader_lock:
            return self._in_organization(self._reader, lambda db: db.execute(
                "SELECT count(*) FROM instantly_email_events WHERE NOT applied").fetchone()[0])

    def check_writable(self) -> None:
        """Raises psycopg.Error or DatabaseError (unreachable, or read-only) unless the store's
        transactions could write now: a transaction opened as the writer opens them asks whether it is
        read-only (and writes nothing). `BEGIN READ WRITE` alone would pass on a server with
        default_transaction_read_only, where every write fails; on a standby it fails too."""
        def probe(db: Any) -> bool:
            return db.execute("SELECT current_setting('transaction_read_only') = 'off'"
                              " AND NOT pg_is_in_recovery()").fetchone()[0]
        with self._reader_lock:
            writable = self._in_organization(self._reader, probe)
        if not writable:
            raise instantly.DatabaseError(f"{self._where} is read-only")

    # ---- what the reconcile reads and writes (instantly/_workflows/reconcile*.py) ----------------
    # instantly_try_jsonb (migration 0004) reads a body jsonb refuses as NULL, so one odd body
    # cannot fail a query over all of them.

    def _read(self, query: str, params: tuple = ()) -> list[tuple]:
        with self._reader_lock:
            return self._in_organization(self._reader, lambda db: db.execute(query, params).fetchall())

    def event_facts(self) -> list[EventFact]:
        """The organisation's stored events, as the reconcile counts them."""
        return [EventFact(c, t, l, int(s) if s is not None and s.lstrip("-").isdigit() else None, e)
                for c, t, l, s, e in self._read(
                    "SELECT campaign_id, event_type, lead_email,"
                    " CASE WHEN event_type = 'email_sent' THEN instantly_try_jsonb(body) ->> 'step' END,"
                    " CASE WHEN event_type IN ('reply_received', 'auto_reply_received')"
                    " THEN instantly_try_jsonb(body) ->> 'email_id' END FROM instantly_email_events")]

    def holds_workspace(self, workspace: str) -> bool:
        """Whether some stored event of the organisation came from `workspace`."""
        return bool(self._read("SELECT EXISTS (SELECT FROM instantly_email_events"
                               " WHERE instantly_try_jsonb(body) ->> 'workspace' = %s)", (workspace,))[0][0])

    def workspaces(self, limit: int) -> list[str]:
        """Up to `limit` of the workspaces the organisation's stored events came from."""
        return [row[0] for row in self._read(
            "SELECT DISTINCT instantly_try_jsonb(body) ->> 'workspace' FROM instantly_email_events"
            " WHERE jsonb_typeof(instantly_try_jsonb(body) -> 'workspace') = 'string' LIMIT %s", (limit,))]

    def latest_body(self, event_type: str, campaign_id: str) -> Optional[str]:
        rows = self._read("SELECT body FROM instantly_email_events WHERE event_type = %s AND campaign_id = %s"
                          " ORDER BY id DESC LIMIT 1", (event_type, campaign_id))
        return rows[0][0] if rows else None

    def record_gaps(self, gaps: list[GapRow]) -> int:
        """Keeps each gap once (by subscription and start); returns how many were new."""
        def work(db: Any) -> int:
            return sum(db.execute(
                "INSERT INTO instantly_webhook_gaps (organization_id, webhook_id, target_url, event_type, campaign_id,"
                " gap_start, gap_end, resumed) VALUES (instantly_current_organization(), %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (organization_id, webhook_id, gap_start) DO NOTHING", tuple(gap[:7])).rowcount
                for gap in gaps)
        return self._in_organization(self._writer, work)

    def open_gaps(self) -> list[GapRow]:
        return [GapRow(w, u, e, c, s, end, bool(r), i) for i, w, u, e, c, s, end, r in self._read(
            "SELECT id, webhook_id, target_url, event_type, campaign_id, gap_start, gap_end, resumed"
            " FROM instantly_webhook_gaps WHERE reconciled_at IS NULL ORDER BY gap_start, id")]

    def close_gaps(self, ids: list[int]) -> None:
        def work(db: Any) -> None:
            for gap_id in ids:
                db.execute("UPDATE instantly_webhook_gaps SET reconciled_at = now() WHERE id = %s", (gap_id,))
        self._in_organization(self._writer, work)

    def close(self) -> None:
        for link in (self._reader, self._folder, self._writer):
            link.close()
