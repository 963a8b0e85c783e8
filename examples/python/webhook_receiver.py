#!/usr/bin/env python3
"""webhook_receiver.py: receives Instantly webhooks and loses none it acknowledged.

The Python counterpart of examples/webhook_receiver (C++), standard library only, sharing its
SQLite schema, so either can take over the other's database:

    INSTANTLY_WEBHOOK_SECRET=... python3 webhook_receiver.py --port 8080 --db events.sqlite

POST /webhook/instantly: verify the secret header (401), parse the event (400), store it keyed by
its dedupe key (INSERT OR IGNORE, so Instantly's retries are stored once), answer 200 once the
COMMIT returned. Requests that arrive together share one commit (group commit): one fsync for many
events, and still nothing is acknowledged before it is durable. A worker thread folds stored events
into the `engagement` table with instantly.webhooks.EngagementTracker. GET /healthz: counts.
SIGTERM/SIGINT: stop accepting, finish what is in flight, apply what is stored, exit 0.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

import instantly
from instantly import webhooks

WEBHOOK_PATH = "/webhook/instantly"
MAX_BODY_BYTES = 1 << 20

# The store's schema, the same file the C++ receiver compiles in.
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "migrations" / "sqlite" / "0001_webhook_store.sql"

ENGAGEMENT_COLUMNS = ("campaign_id", "lead_email", "email_sent_at", "email_opened_at", "email_clicked_at",
                      "email_replied_at", "email_bounced_at", "unsubscribed_at", "reply_count", "email_status",
                      "interest", "interest_at")


def connect(path: str) -> sqlite3.Connection:
    # isolation_level=None: transactions are opened explicitly with BEGIN IMMEDIATE below.
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    # WAL: readers never block the writer. synchronous=FULL: every COMMIT syncs the WAL, so an
    # acknowledged event survives a power cut, not only a crash of this process.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    return db


class _Pending:
    """One event waiting for the commit that makes it durable."""

    def __init__(self, row: tuple[Any, ...]):
        self.row = row
        self.done = threading.Event()
        self.inserted = False
        self.error: Optional[BaseException] = None


class GroupCommitter:
    """The only writer of `events`: takes every event queued since its last commit and stores them
    all in one transaction, then wakes their requests. Under load a commit covers many events."""

    def __init__(self, db: sqlite3.Connection, on_commit):
        self._db = db
        self._on_commit = on_commit
        self.batches = 0
        self.events = 0
        self.largest_batch = 0
        self._queue: "queue.Queue[Optional[_Pending]]" = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self._thread.start()

    def store(self, event: webhooks.Event, body: str) -> bool:
        """Returns once the event is committed: True when it is new, False when it was stored
        before (a retry). Raises sqlite3.Error when the commit failed."""
        pending = _Pending((event.dedupe_key(), str(event.event_type), event.campaign_id, event.lead_email,
                            event.timestamp, body))
        self._queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.inserted

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stopping = None in batch
            pending = [p for p in batch if p is not None]
            if pending:
                self._commit(pending)

    def _commit(self, batch: list[_Pending]) -> None:
        error: Optional[BaseException] = None
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for p in batch:
                    cursor = self._db.execute(
                        "INSERT OR IGNORE INTO events (dedupe_key, event_type, campaign_id, lead_email, timestamp,"
                        " body) VALUES (?, ?, ?, ?, ?, ?)", p.row)
                    p.inserted = cursor.rowcount == 1
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            error = e
        for p in batch:
            p.error = error
            p.done.set()
        if error is None:
            self.batches += 1
            self.events += len(batch)
            self.largest_batch = max(self.largest_batch, len(batch))
            self._on_commit()


class EngagementWorker:
    """Applies stored events to `engagement`, oldest first, one lead row at a time: load the row into
    a tracker, apply the event, write the row back and mark the event applied in one transaction, so
    a crash between the two can neither lose nor double-count an event."""

    BATCH = 256

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._wake = threading.Condition()
        self._notified = False
        self._stopping = False
        self.applied = 0
        self._thread = threading.Thread(target=self._run, name="engagement", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        with self._wake:
            self._notified = True
            self._wake.notify()

    def stop(self) -> None:
        """Applies everything stored, then returns."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            try:
                done = self._apply_batch()
            except sqlite3.Error as e:
                print(f"webhook_receiver: applying events failed (will retry): {e}", file=sys.stderr)
                done = -1
            with self._wake:
                if done > 0:
                    self.applied += done
                if done == self.BATCH:
                    continue
                if self._stopping and done <= 0:
                    return
                if done > 0:
                    continue
                # Idle: wait for a commit's nudge; poll now and then for events of an earlier run.
                self._wake.wait_for(lambda: self._notified or self._stopping, timeout=1.0)
                self._notified = False

    def _apply_batch(self) -> int:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = db.execute("SELECT id, body FROM events WHERE applied = 0 ORDER BY id LIMIT ?",
                              (self.BATCH,)).fetchall()
            for event_id, body in rows:
                error = None
                try:
                    self._apply(webhooks.parse(body))
                except instantly.DecodeError as e:
                    error = str(e)  # it parsed when it arrived, so it was changed since: keep it, flagged
                db.execute("UPDATE events SET applied = 1, apply_error = ? WHERE id = ?", (error, event_id))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return len(rows)

    def _apply(self, event: webhooks.Event) -> None:
        # The fold, one lead at a time: its stored row (or none yet), this event, the row back. Each
        # stored event is applied once: it is marked applied in this same transaction.
        if event.lead_email is None:
            return
        row = self._db.execute(f"SELECT {', '.join(ENGAGEMENT_COLUMNS)} FROM engagement"
                               " WHERE campaign_id = ? AND lead_email = ?",
                               (event.campaign_id, webhooks.lead_key(event.lead_email))).fetchone()
        stored = dict(zip(ENGAGEMENT_COLUMNS, row)) if row is not None else None
        lead = webhooks.apply(stored, event)
        if lead is None:
            return
        values = [getattr(lead, column) for column in ENGAGEMENT_COLUMNS]
        placeholders = ", ".join("?" for _ in ENGAGEMENT_COLUMNS)
        self._db.execute(f"INSERT OR REPLACE INTO engagement ({', '.join(ENGAGEMENT_COLUMNS)}, updated_at)"
                         f" VALUES ({placeholders}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", values)


class Receiver(ThreadingHTTPServer):
    daemon_threads = False  # shutdown waits for requests in flight
    block_on_close = True

    def __init__(self, address, verifier: webhooks.SecretHeaderVerifier, db_path: str):
        super().__init__(address, Handler)
        self.verifier = verifier
        self.db_path = db_path
        self.writer = connect(db_path)
        self.writer.executescript(SCHEMA_FILE.read_text(encoding="utf-8"))
        self.worker = EngagementWorker(connect(db_path))
        self.committer = GroupCommitter(self.writer, self.worker.notify)
        self.reader = connect(db_path)
        self.reader_lock = threading.Lock()
        self.stopping = threading.Event()
        self.counters_lock = threading.Lock()
        self.requests = dict.fromkeys(("stored", "duplicates", "unauthorized", "malformed", "not_stored"), 0)

    def count(self, name: str) -> None:
        with self.counters_lock:
            self.requests[name] += 1

    def health(self) -> dict[str, Any]:
        with self.reader_lock:
            events, unapplied = self.reader.execute(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE applied = 0) FROM events").fetchone()
            leads = self.reader.execute("SELECT COUNT(*) FROM engagement").fetchone()[0]
        with self.counters_lock:
            requests = dict(self.requests)
        commits = self.committer
        return {"status": "ok", "events": events, "unapplied": unapplied, "leads": leads,
                "applied_since_start": self.worker.applied,
                "commits": {"batches": commits.batches, "events": commits.events,
                            "largest_batch": commits.largest_batch},
                "requests": requests}

    def close_store(self) -> None:
        self.committer.stop()
        self.worker.stop()
        self.reader.close()
        self.writer.close()


class Handler(BaseHTTPRequestHandler):
    server: Receiver
    protocol_version = "HTTP/1.1"  # keep-alive: Instantly and load tests reuse connections
    # An idle keep-alive connection is closed after this many seconds; SIGTERM waits for open
    # connections, so this also bounds how long a stop takes.
    timeout = 2

    def do_POST(self) -> None:  # noqa: N802 - the http.server naming
        if self.path != WEBHOOK_PATH:
            return self._answer(404, {"error": "not found"})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the body is not read
            self.server.count("malformed")
            return self._answer(413, {"error": "malformed event", "detail": "body over 1 MiB"})
        body = self.rfile.read(length)
        try:
            self.server.verifier.verify(self.headers)
        except instantly.WebhookVerificationError as e:
            self.server.count("unauthorized")
            return self._answer(401, {"error": "unauthorized", "detail": e.reason})
        try:
            event = webhooks.parse(body, max_body_bytes=MAX_BODY_BYTES)
        except instantly.DecodeError as e:
            self.server.count("malformed")
            return self._answer(400, {"error": "malformed event", "detail": str(e)})
        try:
            # parse() accepted the body, so it is UTF-8.
            inserted = self.server.committer.store(event, body.decode("utf-8"))
        except sqlite3.Error as e:
            # Not stored: a 5xx makes Instantly deliver it again.
            self.server.count("not_stored")
            return self._answer(503, {"error": "not stored", "detail": str(e)})
        self.server.count("stored" if inserted else "duplicates")
        self._answer(200, {"stored": True, "duplicate": not inserted, "dedupe_key": event.dedupe_key()})

    def do_GET(self) -> None:  # noqa: N802
        if self.path != "/healthz":
            return self._answer(404, {"error": "not found"})
        try:
            health = self.server.health()
        except sqlite3.Error as e:
            return self._answer(503, {"error": "database unavailable", "detail": str(e)})
        self._answer(200, health)

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.server.stopping.is_set():
            # Stopping: this answer is the connection's last, or a busy keep-alive client would
            # keep its handler thread (and so the shutdown) going forever.
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would drown the log; errors are printed where they happen


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Receives Instantly webhooks into SQLite.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=8080,
                        help='port; 0 lets the OS choose. The first stdout line is "listening on URL"')
    parser.add_argument("--db", required=True, help="SQLite file (created when missing)")
    parser.add_argument("--secret-header", default="X-Webhook-Secret",
                        help="header carrying the subscription's secret (default %(default)s)")
    parser.add_argument("--secret", action="append", default=[],
                        help="accepted secret (repeat for rotation); default: $INSTANTLY_WEBHOOK_SECRET")
    args = parser.parse_args(argv)
    if not args.secret:
        from_env = os.environ.get("INSTANTLY_WEBHOOK_SECRET", "")
        if not from_env:
            parser.error("no secret: pass --secret or set INSTANTLY_WEBHOOK_SECRET")
        args.secret = [from_env]
    return args


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    try:
        verifier = webhooks.SecretHeaderVerifier(args.secret_header, args.secret)
    except instantly.WebhookVerificationError as e:
        print(f"webhook_receiver: {e}", file=sys.stderr)
        return 2
    server = Receiver((args.host, args.port), verifier, args.db)
    # The handlers go in before the "listening on" line: whoever reads that line may signal at
    # once, and a SIGTERM before them would kill the process without closing the store.
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    host, port = server.server_address[:2]
    print(f"listening on http://{host}:{port}", flush=True)

    # serve_forever runs on a thread so the main thread can wait for the stop signal.
    serving = threading.Thread(target=server.serve_forever, name="http")
    serving.start()
    stop.wait()
    server.stopping.set()  # open connections close after their current request
    server.shutdown()      # no new connections
    server.server_close()  # waits for the ones in flight (block_on_close)
    serving.join()
    server.close_store()   # last commits, then every stored event applied
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
