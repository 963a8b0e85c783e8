"""`--metrics-port` and `--every` of the workflow commands (`sync analytics`, `accounts health`):
Prometheus metrics served while the command runs (GET /metrics, GET /healthz), and the command
repeated until SIGINT or SIGTERM, so that a scheduler-less deployment is one long-running process
that Prometheus scrapes.

prometheus_client is imported only when --metrics-port is given (instantly.metrics).
"""
from __future__ import annotations

import argparse
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional, TextIO

from .exit_codes import OK, CliError, UsageError, classify

__all__ = ["add_metrics_options", "metrics_for", "serving_metrics", "repeat"]


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port 0..65535 (0: the OS chooses), got {text!r}")
    return value


def add_metrics_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--metrics-port", type=_port, metavar="PORT",
                        help="serve Prometheus metrics on this port while the command runs (0: the OS chooses; "
                             "stderr names the URL); GET /metrics and /healthz")
    parser.add_argument("--metrics-host", default="127.0.0.1", metavar="ADDRESS",
                        help="address for --metrics-port (default %(default)s)")
    parser.add_argument("--every", type=_seconds, metavar="SECONDS",
                        help="run again every SECONDS until SIGINT or SIGTERM (a failed run is reported and the "
                             "next one still runs)")


def metrics_for(args: argparse.Namespace) -> Optional[Any]:
    """A PrometheusMetrics when --metrics-port was given, else None."""
    if args.metrics_port is None:
        return None
    try:
        from ..metrics import PrometheusMetrics
    except ImportError as e:
        raise UsageError(f"--metrics-port: {e}") from None
    return PrometheusMetrics()


class _Handler(BaseHTTPRequestHandler):
    server: "_MetricsHttpServer"

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        if self.path == "/metrics":
            from ..metrics import CONTENT_TYPE
            return self._answer(200, self.server.metrics.render(), CONTENT_TYPE)
        if self.path == "/healthz":
            return self._answer(200, json.dumps({"status": "ok"}).encode(), "application/json")
        self._answer(404, json.dumps({"error": "not found"}).encode(), "application/json")

    def _answer(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # a line per scrape would drown the command's own output


class _MetricsHttpServer(ThreadingHTTPServer):
    daemon_threads = True  # a scrape in flight does not hold the command's exit

    def __init__(self, address: tuple[str, int], metrics: Any) -> None:
        super().__init__(address, _Handler)
        self.metrics = metrics


class serving_metrics:  # noqa: N801 - used as a `with` statement, like contextlib's
    """Serves `metrics` on host:port for the `with` block (nothing when `metrics` is None)."""

    def __init__(self, metrics: Optional[Any], host: str, port: Optional[int], stderr: TextIO) -> None:
        self._metrics, self._host, self._port, self._stderr = metrics, host, port, stderr
        self._server: Optional[_MetricsHttpServer] = None
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> "serving_metrics":
        if self._metrics is None:
            return self
        try:
            self._server = _MetricsHttpServer((self._host, self._port or 0), self._metrics)
        except OSError as e:
            raise CliError(f"--metrics-port: cannot listen on {self._host}:{self._port}: {e.strerror}") from None
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics", daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        print(f"metrics on http://{host!s}:{port}/metrics", file=self._stderr, flush=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()


def repeat(every: Optional[float], run_once: Callable[[], int], stderr: TextIO) -> int:
    """`run_once()` once (its exit code), or every `every` seconds until SIGINT/SIGTERM (then 0,
    after the run in progress: the signal does not cut a call short). In the loop a failed run is
    one line on stderr, not the end; a usage error ends it."""
    if every is None:
        return run_once()
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.is_set():
            try:
                run_once()
            except UsageError:
                raise  # the next run would be as wrong (a bad --state file)
            except Exception as e:  # noqa: BLE001 - an API failure or --fail-on ends this run, not the loop
                print(f"instantly: error: {classify(e)[1]}", file=stderr, flush=True)
            stop.wait(every)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return OK
