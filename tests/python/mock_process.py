"""Starts the instantly-mock binary for a test and stops it afterwards.

    with MockProcess(["--seed", "7"]) as mock:
        status, body, headers = mock.request("GET", "/api/v2/campaigns")

The mock listens on 127.0.0.1 with an OS-chosen port (its first stdout line names it) and is
stopped with SIGTERM, which also writes its --state file.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_DIR = os.path.join(ROOT, os.environ.get("INSTANTLY_BUILD_DIR", os.path.join("build", "ci")))
MOCK_BINARY = os.path.join(BUILD_DIR, "tools", "mock", "instantly-mock")

API_KEY = "mock-test-key"
USER_AGENT = "instantly-python-tests/1.0"


class MockProcess:
    def __init__(self, args: list[str] | None = None):
        self.args = args or []
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.url = ""

    def __enter__(self) -> "MockProcess":
        if not os.path.exists(MOCK_BINARY):
            raise RuntimeError(f"{MOCK_BINARY} is not built")
        self.process = subprocess.Popen([MOCK_BINARY, "--port", "0", *self.args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on http://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"unexpected first line {line!r}: {self.process.stderr.read()}")
        self.url = line.removeprefix("listening on ")
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def __exit__(self, *exc) -> None:
        self.stop()
        if self.process is not None:
            self.process.stdout.close()
            self.process.stderr.close()

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        """(status, parsed JSON or text, headers). Sends the test key and a product User-Agent
        unless `headers` says otherwise."""
        sent = {"Authorization": f"Bearer {API_KEY}", "User-Agent": USER_AGENT}
        if headers:
            sent.update(headers)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return response.status, parsed, dict(response.getheaders())
        finally:
            connection.close()
