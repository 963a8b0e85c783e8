"""The webhook receiver: receives Instantly webhooks and loses none it acknowledged.

Run by `instantly webhooks listen` and by examples/python/webhook_receiver.py (the same options and
behaviour; docs/webhooks.md, docs/nothing-lost.md). It is the Python counterpart of
examples/webhook_receiver (C++), sharing its SQLite schema, its PostgreSQL store (psycopg) and its
spool format, so either can take over the other's database or drain the other's spool.

POST /webhook/instantly: verify the secret header (401), refuse a body over 1 MiB (413), append it
to the durable spool (instantly.webhooks.Spool: on disk, fdatasync'd) and answer 200, whether the
body parses or not (it is kept raw either way). A full spool is 503 "spool full". A forwarder thread
moves spooled deliveries into the store (forwarder.py), so the database may be down or slow without
a single delivery refused; a worker thread folds stored events into the engagement (worker.py).
GET /healthz: alive, with counts. GET /readyz: ready for deliveries (200) or not, and why (503;
readiness.py). GET /metrics: Prometheus metrics (instantly.metrics; needs prometheus_client). Every
refused delivery is a warning of the `instantly` logger (reporting.py).
SIGTERM/SIGINT: stop accepting, answer what is in flight, forward the spool, apply what is stored,
exit 0.
--drain and --reparse: one-shot commands without HTTP (commands.py).
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional, Union

import instantly
from instantly import webhooks

from . import commands, readiness
from .forwarder import Forwarder
from .options import add_arguments, check_arguments, make_verifier, open_spool, open_store
from .reporting import DeliveryReport, load_metrics
from .stores import Store, errors_of
from .worker import EngagementWorker

__all__ = ["add_arguments", "check_arguments", "open_store", "open_spool", "make_verifier", "serve", "main",
           "log_to_stderr"]

WEBHOOK_PATH = "/webhook/instantly"
MAX_BODY_BYTES = 1 << 20


class Receiver(ThreadingHTTPServer):
    daemon_threads = False  # shutdown waits for requests in flight
    block_on_close = True

    def __init__(self, address: Any, verifier: webhooks.SecretHeaderVerifier, store: Store,
                 spool: webhooks.Spool) -> None:
        super().__init__(address, Handler)
        self.verifier = verifier
        self.store = store
        self.spool = spool
        self.stopping = threading.Event()
        self.report = DeliveryReport(load_metrics())
        self.alarm = readiness.SpoolAlarm(spool.directory, self.report.metrics)
        self.worker = EngagementWorker(store)
        self.forwarder = Forwarder(spool, store, self.report, self._forwarded)
        self.forwarder.start()

    def _forwarded(self) -> None:
        self.worker.notify()
        self.alarm.observe(self.spool.usage())  # a draining spool re-arms the 80% warning

    def health(self) -> dict[str, Any]:
        """Alive: what the receiver knows. With the database down the store's counts are null."""
        counts: tuple[Optional[int], ...] = (None, None, None, None)
        try:
            counts = tuple(self.store.counts())
        except errors_of(self.store):
            pass
        events, unapplied, leads, unparsed = counts
        forwarder = self.forwarder
        return {"status": "ok", "events": events, "unapplied": unapplied, "leads": leads, "unparsed": unparsed,
                "spooled": self.spool.usage().pending, "applied_since_start": self.worker.applied,
                "commits": {"batches": forwarder.batches, "events": forwarder.deliveries,
                            "largest_batch": forwarder.largest_batch},
                "requests": self.report.counts()}

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        usage = self.spool.usage()
        self.alarm.observe(usage)
        ready, answer = readiness.check(self.store, usage)
        metrics = self.report.metrics
        if metrics is not None:
            metrics.set_webhook_ready(ready)
            metrics.set_webhook_queue_depth(answer["queue_depth"])
            if answer["unapplied"] is not None:
                metrics.set_webhook_unapplied_events(answer["unapplied"])
        return ready, answer

    def close_spool_and_store(self) -> None:
        self.forwarder.stop()  # forwards the spool while the store takes it
        self.spool.close()
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
        spool = self.server.spool
        try:
            spool.append(body, self.headers.get("Content-Type", ""))
        except instantly.SpoolFullError:
            # Instantly retries; a load balancer has seen /readyz say 503 since the spool's 80%.
            report.refused("spool_full")
            self.server.alarm.observe(spool.usage())
            return self._answer(503, {"error": "spool full"})
        except instantly.SpoolError as e:
            report.refused("not_stored", type(e).__name__)  # the message names paths, not the body
            return self._answer(503, {"error": "not spooled"})
        report.accepted()
        self.server.alarm.observe(spool.usage())
        # On disk: acknowledged whatever the body is. Parsed here only to answer with its key; the
        # forwarder parses it again to store it.
        try:
            key: Optional[str] = webhooks.parse(body, max_body_bytes=MAX_BODY_BYTES).dedupe_key()
        except instantly.DecodeError:
            key = None
        self._answer(200, {"accepted": True, "parsed": key is not None, "dedupe_key": key})

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/readyz":
            ready, answer = self.server.readiness()
            return self._answer(200 if ready else 503, answer)
        if self.path == "/metrics":
            return self._metrics()
        if self.path != "/healthz":
            return self._answer(404, {"error": "not found"})
        self._answer(200, self.server.health())

    def _metrics(self) -> None:
        metrics = self.server.report.metrics
        if metrics is None:
            return self._answer(501, {"error": "metrics need prometheus_client",
                                      "detail": "apt install python3-prometheus-client"})
        self.server.readiness()  # the gauges (queue, unapplied, ready, spool) as of this scrape
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
        pass  # one line per request would drown the log; what matters is logged where it happens


def log_to_stderr() -> None:
    """A server's warnings must be seen (a store outage, a filling spool): unless INSTANTLY_LOG set up
    a handler of the `instantly` logger already, info and above go to stderr."""
    logger = logging.getLogger("instantly")
    if any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def serve(args: argparse.Namespace, verifier: webhooks.SecretHeaderVerifier, store: Store,
          spool: webhooks.Spool) -> int:
    """Serves until SIGTERM or SIGINT, then stops cleanly (see the module's docstring); returns 0."""
    log_to_stderr()
    server = Receiver((args.host, args.port), verifier, store, spool)
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
    server.close_spool_and_store()  # the spool forwarded, then every stored event applied
    print("stopped", flush=True)
    return 0


def run_command(args: argparse.Namespace, store: Store) -> int:
    """--drain or --reparse: 0 when done, 1 when the store or the spool failed (the message says so)."""
    log_to_stderr()
    try:
        if args.reparse:
            commands.reparse(store, lambda line: print(line, flush=True))
            return 0
        with open_spool(args) as spool:
            commands.drain(spool, store, lambda line: print(line, flush=True))
        return 0
    finally:
        store.close()


def main(argv: Optional[list[str]] = None, prog: Optional[str] = None) -> int:
    """examples/python/webhook_receiver.py: the receiver as a script of its own."""
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Receives Instantly webhooks into SQLite or PostgreSQL.")
    add_arguments(parser)
    args = check_arguments(parser, parser.parse_args(argv))
    name = "webhook_receiver"
    verifier = None
    if not (args.drain or args.reparse):
        try:
            verifier = make_verifier(args)
        except instantly.WebhookVerificationError as e:
            print(f"{name}: {e}", file=sys.stderr)
            return 2
    try:
        store = open_store(args)
    except (instantly.DatabaseError, instantly.ValidationError) as e:
        print(f"{name}: {e}", file=sys.stderr)
        return 1
    if verifier is None:
        try:
            return run_command(args, store)
        except (instantly.SpoolError, instantly.DatabaseError) as e:
            print(f"{name}: {e}", file=sys.stderr)
            return 1
        except store.Error as e:
            print(f"{name}: the store failed: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    try:
        spool = open_spool(args)
    except instantly.SpoolError as e:
        store.close()
        print(f"{name}: {e}", file=sys.stderr)
        return 1
    return serve(args, verifier, store, spool)
