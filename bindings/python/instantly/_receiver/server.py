"""The webhook receiver: receives Instantly webhooks and loses none it acknowledged.

Run by `instantly webhooks listen` and by examples/python/webhook_receiver.py (the same options and
behaviour; docs/webhooks.md). It is the Python counterpart of examples/webhook_receiver (C++),
sharing its SQLite schema, so either can take over the other's database, and its PostgreSQL store
(psycopg), so both kinds can share one.

POST /webhook/instantly: verify the secret header (401), parse the event (400), store it keyed by
its dedupe key (so Instantly's retries are stored once), answer 200 once the COMMIT returned.
Requests that arrive together share one commit (group commit): one fsync for many events, and still
nothing is acknowledged before it is durable. A worker thread folds stored events into the
engagement with instantly.webhooks.apply (stores.py). GET /healthz: alive, with counts. GET /readyz:
ready for deliveries (200) or not, and why (503; readiness.py). GET /metrics: Prometheus metrics
(instantly.metrics; needs prometheus_client). Every delivery is also a record of the `instantly`
logger (reporting.py).
SIGTERM/SIGINT: stop accepting, finish what is in flight, apply what is stored, exit 0.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional, Union

import instantly
from instantly import webhooks

from . import readiness
from .reporting import DeliveryReport, load_metrics
from .stores import PostgresStore, SqliteStore

__all__ = ["add_arguments", "check_arguments", "open_store", "make_verifier", "serve", "main"]

Store = Union[SqliteStore, PostgresStore]

WEBHOOK_PATH = "/webhook/instantly"
MAX_BODY_BYTES = 1 << 20

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

    def __init__(self, store: Any, on_commit: Any) -> None:
        self._store = store
        self._on_commit = on_commit
        self.batches = 0
        self.events = 0
        self.largest_batch = 0
        self._waiting = 0  # handed to store() and not yet committed (queued or in the open batch)
        self._waiting_lock = threading.Lock()
        self._queue: "queue.Queue[Optional[_Pending]]" = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self._thread.start()

    def store(self, event: webhooks.Event, body: str) -> bool:
        """Returns once the event is committed: True when it is new, False when it was stored
        before (a retry). Raises the store's Error when the commit failed."""
        pending = _Pending((event.dedupe_key(), str(event.event_type), event.campaign_id, event.lead_email,
                            event.timestamp, body))
        with self._waiting_lock:
            self._waiting += 1
        try:
            self._queue.put(pending)
            pending.done.wait()
        finally:
            with self._waiting_lock:
                self._waiting -= 1
        if pending.error is not None:
            raise pending.error
        return pending.inserted

    @property
    def depth(self) -> int:
        """Deliveries waiting for their commit now."""
        with self._waiting_lock:
            return self._waiting

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
            for p, inserted in zip(batch, self._store.store_batch([p.row for p in batch])):
                p.inserted = inserted
        except self._store.Error as e:
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
    """Folds stored events into the engagement, a batch per transaction (the store's
    apply_pending), so a crash can neither lose nor double-count an event."""

    BATCH = 256
    RETRIES_WHILE_STOPPING = 5

    def __init__(self, store):
        self._store = store
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
        failures_while_stopping = 0
        while True:
            try:
                done = self._store.apply_pending(self.BATCH)
            except self._store.Error as e:
                print(f"webhook_receiver: applying events failed (will retry): {e}", file=sys.stderr)
                done = -1
            with self._wake:
                if done < 0:
                    # A failed batch (a deadlock victim, a dropped connection) rolled back whole and is
                    # retried after a pause; on the way out only a few times, so a database that is gone
                    # cannot hold the stop forever (what is left stays stored for the next worker).
                    if self._stopping:
                        failures_while_stopping += 1
                        if failures_while_stopping > self.RETRIES_WHILE_STOPPING:
                            return
                    self._wake.wait(timeout=0.2)
                    continue
                self.applied += done
                if done == self.BATCH:
                    continue
                if self._stopping and done == 0:
                    return
                if done > 0:
                    continue
                # Idle: wait for a commit's nudge; poll now and then for events of an earlier run.
                self._wake.wait_for(lambda: self._notified or self._stopping, timeout=1.0)
                self._notified = False


class Receiver(ThreadingHTTPServer):
    daemon_threads = False  # shutdown waits for requests in flight
    block_on_close = True

    def __init__(self, address, verifier: webhooks.SecretHeaderVerifier, store):
        super().__init__(address, Handler)
        self.verifier = verifier
        self.store = store
        self.worker = EngagementWorker(store)
        self.committer = GroupCommitter(store, self.worker.notify)
        self.stopping = threading.Event()
        self.report = DeliveryReport(load_metrics())

    def health(self) -> dict[str, Any]:
        events, unapplied, leads = self.store.counts()
        requests = self.report.counts()
        commits = self.committer
        return {"status": "ok", "events": events, "unapplied": unapplied, "leads": leads,
                "applied_since_start": self.worker.applied,
                "commits": {"batches": commits.batches, "events": commits.events,
                            "largest_batch": commits.largest_batch},
                "requests": requests}

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        ready, answer = readiness.check(self.store, self.committer.depth)
        metrics = self.report.metrics
        if metrics is not None:
            metrics.set_webhook_ready(ready)
            metrics.set_webhook_queue_depth(answer["queue_depth"])
            if answer["unapplied"] is not None:
                metrics.set_webhook_unapplied_events(answer["unapplied"])
        return ready, answer

    def close_store(self) -> None:
        self.committer.stop()
        self.worker.stop()
        self.store.close()


class Handler(BaseHTTPRequestHandler):
    server: Receiver
    protocol_version = "HTTP/1.1"  # keep-alive: Instantly and load tests reuse connections
    # An idle keep-alive connection is closed after this many seconds; SIGTERM waits for open
    # connections, so this also bounds how long a stop takes.
    timeout = 2

    def do_POST(self) -> None:  # noqa: N802 - the http.server naming
        if self.path != WEBHOOK_PATH:
            return self._answer(404, {"error": "not found"})
        # The request line and headers are read: as close to its arrival as http.server lets us see.
        arrived = time.monotonic()
        report = self.server.report
        report.received()
        try:
            self._receive(report)
        finally:
            report.answered(time.monotonic() - arrived)

    def _receive(self, report: DeliveryReport) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the body is not read
            report.refused("too_large")
            return self._answer(413, {"error": "malformed event", "detail": "body over 1 MiB"})
        body = self.rfile.read(length)
        try:
            self.server.verifier.verify(self.headers)
        except instantly.WebhookVerificationError as e:
            report.refused("unauthorized", e.reason)
            return self._answer(401, {"error": "unauthorized", "detail": e.reason})
        try:
            event = webhooks.parse(body, max_body_bytes=MAX_BODY_BYTES)
        except instantly.DecodeError as e:
            report.refused("malformed")  # not str(e) in the log: it may quote the body
            return self._answer(400, {"error": "malformed event", "detail": str(e)})
        try:
            # parse() accepted the body, so it is UTF-8.
            inserted = self.server.committer.store(event, body.decode("utf-8"))
        except self.server.store.Error as e:
            # Not stored: a 5xx makes Instantly deliver it again. The log names the error's class
            # only: a database's message may quote a value of the event.
            report.refused("not_stored", type(e).__name__)
            return self._answer(503, {"error": "not stored", "detail": str(e)})
        report.stored(inserted)
        self._answer(200, {"stored": True, "duplicate": not inserted, "dedupe_key": event.dedupe_key()})

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/readyz":
            ready, answer = self.server.readiness()
            return self._answer(200 if ready else 503, answer)
        if self.path == "/metrics":
            return self._metrics()
        if self.path != "/healthz":
            return self._answer(404, {"error": "not found"})
        try:
            health = self.server.health()
        except self.server.store.Error as e:
            return self._answer(503, {"error": "database unavailable", "detail": str(e)})
        self._answer(200, health)

    def _metrics(self) -> None:
        metrics = self.server.report.metrics
        if metrics is None:
            return self._answer(501, {"error": "metrics need prometheus_client",
                                      "detail": "apt install python3-prometheus-client"})
        self.server.readiness()  # the gauges (queue, unapplied, ready) as of this scrape
        from ..metrics import CONTENT_TYPE
        self._answer(200, metrics.render(), CONTENT_TYPE)

    def _answer(self, status: int, payload: Union[dict[str, Any], bytes],
                content_type: str = "application/json") -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
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


def add_arguments(parser: argparse.ArgumentParser, *, default_port: int = 8080) -> None:
    """The receiver's options, shared by the example script and `instantly webhooks listen`."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=default_port,
                        help='port; 0 lets the OS choose. The first stdout line is "listening on URL"')
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--db", help="SQLite file (created when missing)")
    store.add_argument("--database", metavar="URL",
                       help="PostgreSQL URL, shared by any number of receivers (default: $INSTANTLY_DATABASE_URL,"
                            " which keeps the password out of `ps`)")
    parser.add_argument("--organization", metavar="UUID",
                        help="with --database: the organisation whose rows this receiver writes")
    parser.add_argument("--secret-header", default="X-Webhook-Secret",
                        help="header carrying the subscription's secret (default %(default)s)")
    parser.add_argument("--secret", action="append", default=[],
                        help="accepted secret (repeat for rotation); default: $INSTANTLY_WEBHOOK_SECRET")


def check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace,
                    default_db: Optional[str] = None) -> argparse.Namespace:
    """Fills in the environment's defaults and refuses incomplete choices (parser.error).
    `default_db`: the SQLite file used when neither --db nor a PostgreSQL URL is given (None: one
    of them is required)."""
    if args.db is None and args.database is None:
        args.database = os.environ.get("INSTANTLY_DATABASE_URL") or None
    if args.db is None and args.database is None:
        if default_db is None:
            parser.error("give --db FILE (SQLite) or --database URL (PostgreSQL, or INSTANTLY_DATABASE_URL)")
        args.db = default_db
    if args.database is not None and not args.organization:
        parser.error("--database needs --organization UUID: the organisation whose events this receives")
    if args.database is None and args.organization:
        parser.error("--organization goes with --database (a SQLite file holds one organisation)")
    if not args.secret:
        from_env = os.environ.get("INSTANTLY_WEBHOOK_SECRET", "")
        if not from_env:
            parser.error("no secret: pass --secret or set INSTANTLY_WEBHOOK_SECRET")
        args.secret = [from_env]
    return args


def make_verifier(args: argparse.Namespace) -> webhooks.SecretHeaderVerifier:
    """Raises instantly.WebhookVerificationError for an unusable secret."""
    return webhooks.SecretHeaderVerifier(args.secret_header, args.secret)


def open_store(args: argparse.Namespace) -> Store:
    """Raises instantly.DatabaseError (cannot connect, wrong schema) or ValidationError (bad URL
    or organisation id)."""
    if args.db is not None:
        return SqliteStore(args.db)
    return PostgresStore(args.database, args.organization)


def serve(args: argparse.Namespace, verifier: webhooks.SecretHeaderVerifier, store: Store) -> int:
    """Serves until SIGTERM or SIGINT, then stops cleanly (see the module's docstring); returns 0."""
    server = Receiver((args.host, args.port), verifier, store)
    # The handlers go in before the "listening on" line: whoever reads that line may signal at
    # once, and a SIGTERM before them would kill the process without closing the store.
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    host, port = server.server_address[:2]
    print(f"listening on http://{host!s}:{port}", flush=True)

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


def main(argv: Optional[list[str]] = None, prog: Optional[str] = None) -> int:
    """examples/python/webhook_receiver.py: the receiver as a script of its own."""
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Receives Instantly webhooks into SQLite or PostgreSQL.")
    add_arguments(parser)
    args = check_arguments(parser, parser.parse_args(argv))
    try:
        verifier = make_verifier(args)
    except instantly.WebhookVerificationError as e:
        print(f"webhook_receiver: {e}", file=sys.stderr)
        return 2
    try:
        store = open_store(args)
    except (instantly.DatabaseError, instantly.ValidationError) as e:
        print(f"webhook_receiver: {e}", file=sys.stderr)
        return 1
    return serve(args, verifier, store)
