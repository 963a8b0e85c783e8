"""Starts Debian's Prometheus server for a test, scraping given targets every second, and stops it.

    with PrometheusProcess(["127.0.0.1:8080"], tmp_path / "prometheus") as prometheus:
        prometheus.wait_for_value("instantly_webhook_events_stored_total", 5)

It listens on 127.0.0.1 on a free port, keeps its database in a directory of the test's, and talks
to nothing but its targets. Its output goes to a file in that directory (log()).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

PROMETHEUS_BINARY = "/usr/bin/prometheus"

CONFIG = """\
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: instantly
    static_configs:
      - targets: {targets}
"""


def prometheus_installed() -> bool:
    return os.access(PROMETHEUS_BINARY, os.X_OK)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrometheusProcess:
    def __init__(self, targets: list[str], directory, start_timeout: float = 60) -> None:
        self.targets = targets
        self.directory = str(directory)
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log_path = os.path.join(self.directory, "prometheus.log")

    def __enter__(self) -> "PrometheusProcess":
        os.makedirs(self.directory, exist_ok=True)
        config = os.path.join(self.directory, "prometheus.yml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(CONFIG.format(targets=json.dumps(self.targets)))
        # Prometheus cannot be told to pick a port and say which: take a free one. Another process
        # taking it in between is rare; the start then fails with the log in the message.
        self.port = free_port()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [PROMETHEUS_BINARY, f"--config.file={config}", f"--storage.tsdb.path={self.directory}/data",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self, timeout: float = 20) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def _get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited with {self.process.returncode}: {self.log()}")
            try:
                if self._get("/-/ready")[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"prometheus not ready after {self.start_timeout} s: {self.log()}")
            time.sleep(0.1)

    def query(self, expression: str) -> list[dict]:
        """The instant query's result vector: [{"metric": {...}, "value": [time, "text"]}, ...]."""
        status, body = self._get("/api/v1/query?" + urllib.parse.urlencode({"query": expression}))
        answer = json.loads(body)
        if status != 200 or answer.get("status") != "success":
            raise RuntimeError(f"query {expression!r}: {status} {answer}")
        return answer["data"]["result"]

    def value(self, expression: str) -> float | None:
        """The value of a query that selects one series, None while it selects none."""
        result = self.query(expression)
        if not result:
            return None
        if len(result) > 1:
            raise AssertionError(f"{expression!r} selects {len(result)} series: {result}")
        return float(result[0]["value"][1])

    def wait_for_value(self, expression: str, expected: float, timeout: float = 60) -> float | None:
        """Polls until the query's value is `expected`, or the deadline passed; returns the last
        value seen (the caller asserts on it, so a failure shows what Prometheus had)."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.value(expression)
            if seen == expected or time.monotonic() > deadline:
                return seen
            time.sleep(0.25)
