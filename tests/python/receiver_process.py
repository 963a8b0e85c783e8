"""Starts a webhook receiver (examples/webhook_receiver, or the Python one) for a test and stops it
afterwards.

    with ReceiverProcess(tmp_path / "events.db") as receiver:
        status, answer = receiver.post(body, {HEADER: SECRET})

The receiver listens on 127.0.0.1 with an OS-chosen port (its first stdout line names it). Its
stderr goes to a file next to the database, so a chatty receiver can never block on a full pipe.
"""
from __future__ import annotations

import glob
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from mock_process import BUILD_DIR, ROOT

RECEIVER_BINARY = os.path.join(BUILD_DIR, "examples", "webhook_receiver")
PYTHON_RECEIVER = os.path.join(ROOT, "examples", "python", "webhook_receiver.py")
PYTHON_DIR = os.path.join(BUILD_DIR, "python")  # the package as the build tree has it
HEADER = "X-Webhook-Secret"
SECRET = "receiver-test-secret-0123456789abcdef"
PATH = "/webhook/instantly"


def python_package_built() -> bool:
    return bool(glob.glob(os.path.join(PYTHON_DIR, "instantly", "_core*.so")))


@pytest.fixture(params=["cpp", "python"])
def kind(request) -> str:
    """Each test that takes it runs against both receivers: examples/webhook_receiver (C++) and
    examples/python/webhook_receiver.py (the Python package; not built in the ASan preset).
    Test modules import it: `from receiver_process import kind`."""
    if request.param == "python" and not python_package_built():
        pytest.skip("the Python package is not built in this preset")
    return request.param


def receiver_program(kind: str) -> tuple[list[str], dict[str, str] | None]:
    """(command, environment) that start a receiver of this kind."""
    if kind == "cpp":
        return [RECEIVER_BINARY], None
    if kind == "python":
        return [sys.executable, PYTHON_RECEIVER], {**os.environ, "PYTHONPATH": PYTHON_DIR}
    raise ValueError(f"unknown receiver kind {kind!r}")


class ReceiverProcess:
    def __init__(self, db, args: list[str] | None = None, secrets: tuple[str, ...] = (SECRET,), kind: str = "cpp",
                 database: str | None = None, organization: str | None = None, spool: str | None = None,
                 port: int = 0):
        """`kind`: "cpp" (examples/webhook_receiver) or "python" (examples/python/webhook_receiver.py
        on the package in the build tree). Both take the same options and answer alike.

        `db` is the SQLite file; with `database` (a postgresql:// URL, handed over in
        INSTANTLY_DATABASE_URL so the password stays out of `ps`) and `organization`, the receiver
        stores into PostgreSQL instead and `db` only names its log file (`db`.stderr).

        `spool`: the receiver's --spool. By default `db`.spool, the receivers' own default beside a
        SQLite file, passed explicitly with PostgreSQL (whose default, ./instantly-webhooks.spool,
        several receivers of one test would share).

        `port`: 0 lets the OS choose; a test restarting a receiver where its subscription points
        passes the previous run's port."""
        self.kind = kind
        self.program, self.env = receiver_program(kind)
        self.database = database
        self.organization = organization
        if database is not None:
            self.env = {**(self.env or os.environ), "INSTANTLY_DATABASE_URL": database}
        self.db = str(db)
        self.args = args or []
        self.secrets = secrets
        self.process: subprocess.Popen | None = None
        self.port = port
        self.url = ""
        self.log_path = self.db + ".stderr"
        self.spool = spool or self.db + ".spool"
        self.explicit_spool = spool is not None or database is not None

    def __enter__(self) -> "ReceiverProcess":
        if not os.path.exists(self.program[-1]):
            raise RuntimeError(f"{self.program[-1]} does not exist (not built?)")
        command = [*self.program, "--port", str(self.port), *self.store_args(), "--secret-header", HEADER]
        for secret in self.secrets:
            command += ["--secret", secret]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([*command, *self.args], stdout=subprocess.PIPE, stderr=log, text=True,
                                            env=self.env)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on http://127.0.0.1:"):
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"unexpected first line {line!r}: {self.log()}")
        self.url = line.removeprefix("listening on ")
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def store_args(self) -> list[str]:
        """The store and spool options, as a receiver and its --drain/--reparse take them."""
        store = ["--db", self.db] if self.database is None else ["--organization", self.organization]
        spool = ["--spool", self.spool] if self.explicit_spool else []
        return [*store, *spool]

    def run(self, *args: str, kind: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        """Runs a receiver (of this kind, or `kind`) on this one's store and spool without HTTP:
        `--drain`, `--reparse`."""
        program, env = receiver_program(kind or self.kind)
        if self.database is not None:
            env = {**(env or os.environ), "INSTANTLY_DATABASE_URL": self.database}
        return subprocess.run([*program, *self.store_args(), *args], env=env, capture_output=True, text=True,
                              timeout=timeout)

    def __exit__(self, *exc) -> None:
        self.stop()
        if self.process is not None:
            self.process.stdout.close()

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()

    def kill(self) -> int:
        """kill -9: no chance to flush or close anything."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(10)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, parsed JSON body or None)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text
        finally:
            connection.close()

    def post(self, body: bytes, headers: dict | None = None):
        sent = {"Content-Type": "application/json"}
        sent.update(headers if headers is not None else {HEADER: SECRET})
        return self.request("POST", PATH, body, sent)

    def health(self) -> dict:
        status, answer = self.request("GET", "/healthz")
        assert status == 200, answer
        return answer

    def wait_until_applied(self, timeout: float = 30) -> dict:
        """Polls /healthz until the forwarder has moved every spooled delivery into the store and
        the worker has applied every stored event (or `timeout` passed: the caller's asserts say what
        is missing)."""
        deadline = time.monotonic() + timeout
        while True:
            health = self.health()
            if (health.get("spooled") == 0 and health["unapplied"] == 0) or time.monotonic() > deadline:
                return health
            time.sleep(0.05)


def read_unparsed(path) -> list[dict]:
    """The unparsed_deliveries rows of a SQLite store, oldest first (body as bytes)."""
    connection = sqlite3.connect(str(path))
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute("SELECT * FROM unparsed_deliveries ORDER BY id")]
    finally:
        connection.close()


def read_db(path) -> tuple[list[dict], list[dict]]:
    """(events rows, engagement rows) as dicts, read with Python's own sqlite3."""
    connection = sqlite3.connect(str(path))
    connection.row_factory = sqlite3.Row
    try:
        events = [dict(row) for row in connection.execute("SELECT * FROM events ORDER BY id")]
        engagement = [dict(row) for row in connection.execute("SELECT * FROM engagement")]
        return events, engagement
    finally:
        connection.close()
