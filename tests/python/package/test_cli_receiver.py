"""`instantly webhooks listen`: the package's receiver (instantly/_receiver, also behind
examples/python/webhook_receiver.py) taking a delivery from instantly-mock with the subscription's
secret header, refusing a wrong secret, and stopping cleanly; and its copy of the SQL migrations
being the repository's, byte for byte."""
from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess

from cli_process import cli_command, cli_env, run_cli
from conftest import TEST_KEY
from mock_process import ROOT

HEADER = "X-Webhook-Secret"
SECRET = "cli-receiver-secret-0123456789abcdef"


def api(mock, method, path, body=None):
    status, answer, _ = mock.request(method, path, body, headers={"Authorization": f"Bearer {TEST_KEY}"})
    assert 200 <= status < 300, (status, answer)
    return answer


def post(port: int, body: dict, secret: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/webhook/instantly", body=json.dumps(body).encode(),
                           headers={"Content-Type": "application/json", HEADER: secret})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_webhooks_listen_stores_a_delivery_with_the_secret_header(mock, tmp_path):
    api(mock, "POST", "/__mock/reset")
    db = tmp_path / "events.sqlite"
    env = cli_env(mock.url, str(tmp_path / "config"), INSTANTLY_WEBHOOK_SECRET=SECRET)
    listener = subprocess.Popen(cli_command("webhooks", "listen", "--port", "0", "--db", str(db)), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = listener.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), listener.stderr.read()
        url = line.removeprefix("listening on ")
        port = int(url.rsplit(":", 1)[1])

        # Subscribed through the command itself; the mock delivers with the subscription's headers.
        created = run_cli(env, "webhooks", "create", "--target-hook-url", url + "/webhook/instantly",
                          "--event-type", "all_events", "--headers", json.dumps({HEADER: SECRET}))
        assert created.returncode == 0, created.stderr
        api(mock, "POST", "/__mock/webhooks/emit", {"event_type": "reply_received", "lead_email": "ann@example.com",
                                                    "campaign_id": "0190aaaa-0000-7000-8000-000000000001"})
        assert api(mock, "POST", "/__mock/webhooks/flush", {"timeout_ms": 5000})["idle"] is True
        deliveries = api(mock, "GET", "/__mock/webhooks/deliveries")
        assert [d["status_code"] for d in deliveries["deliveries"]] == [200], deliveries

        assert post(port, {"event_type": "email_opened", "lead_email": "bob@example.com",
                           "timestamp": "2026-03-01T10:00:00.000Z"}, "not-the-secret") == 401
    finally:
        listener.send_signal(signal.SIGINT)
        out, err = listener.communicate(timeout=30)
    assert listener.returncode == 0, err
    assert out.strip().endswith("stopped") and "Traceback" not in err
    with sqlite3.connect(db) as connection:
        events = connection.execute("SELECT event_type, lead_email, applied FROM events").fetchall()
        engagement = connection.execute("SELECT lead_email, reply_count FROM engagement").fetchall()
    assert events == [("reply_received", "ann@example.com", 1)]
    assert engagement == [("ann@example.com", 1)]


def test_webhooks_listen_needs_a_secret(tmp_path):
    result = run_cli(cli_env(None, str(tmp_path / "config")), "webhooks", "listen", "--port", "0",
                     "--db", str(tmp_path / "e.sqlite"))
    assert result.returncode == 2 and "INSTANTLY_WEBHOOK_SECRET" in result.stderr


def test_the_package_ships_the_repositorys_migrations_unchanged():
    """migrations/ is the one source of the SQL (the C++ receiver compiles it in); the build
    copies it into the package (CMake's instantly_python_files, setup.py's build_py), so that an
    installed `instantly webhooks listen` has it."""
    import instantly._receiver.stores as stores
    repository = os.path.join(ROOT, "migrations")
    for engine in ("sqlite", "postgresql"):
        shipped = sorted(os.listdir(stores.MIGRATIONS / engine))
        source = sorted(name for name in os.listdir(os.path.join(repository, engine)) if name.endswith(".sql"))
        assert shipped == source, engine
        for name in source:
            with open(os.path.join(repository, engine, name), "rb") as f:
                assert (stores.MIGRATIONS / engine / name).read_bytes() == f.read(), name


def test_webhooks_drain_and_reparse(tmp_path):
    """`instantly webhooks drain` forwards a spool left behind (here one a receiver filled while its
    store was locked, then was killed) and `reparse` tries the unparsed bodies again."""
    import hashlib

    db = tmp_path / "events.sqlite"
    env = cli_env(None, str(tmp_path / "config"), INSTANTLY_WEBHOOK_SECRET=SECRET)
    listener = subprocess.Popen(cli_command("webhooks", "listen", "--port", "0", "--db", str(db)), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = listener.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), listener.stderr.read()
        port = int(line.rsplit(":", 1)[1])
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # the store cannot take the deliveries: they stay spooled
        try:
            for n in range(3):
                assert post(port, {"event_type": "email_opened", "lead_email": f"l{n}@example.com",
                                   "timestamp": f"2026-03-01T10:00:0{n}.000Z"}, SECRET) == 200
            listener.kill()
            listener.wait(10)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
    finally:
        if listener.poll() is None:
            listener.kill()
        listener.communicate(timeout=30)

    assert os.path.isdir(f"{db}.spool")  # the default spool, beside the database
    drained = run_cli(env, "webhooks", "drain", "--db", str(db))
    assert drained.returncode == 0 and drained.stdout == "drained 3 deliveries\n", drained.stderr
    body = json.dumps({"event_type": "email_opened", "lead_email": "late@example.com",
                       "timestamp": "2026-03-01T11:00:00.000Z"}).encode()
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO unparsed_deliveries (body_sha256, body, received_at, error)"
                           " VALUES (?, ?, '2026-03-01T11:00:00.100Z', 'an older parser failed')",
                           (hashlib.sha256(body).hexdigest(), body))
    reparsed = run_cli(env, "webhooks", "reparse", "--db", str(db))
    assert reparsed.returncode == 0, reparsed.stderr
    assert reparsed.stdout == "reparsed 1: 1 became events, 0 still unparsed\n"
    with sqlite3.connect(db) as connection:
        emails = [row[0] for row in connection.execute("SELECT lead_email FROM events ORDER BY id")]
        assert connection.execute("SELECT count(*) FROM unparsed_deliveries").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM events WHERE applied = 0").fetchone() == (0,)
    assert emails == ["l0@example.com", "l1@example.com", "l2@example.com", "late@example.com"]

    # The spool of a receiver still running is its own: drain refuses it and names the directory.
    listener = subprocess.Popen(cli_command("webhooks", "listen", "--port", "0", "--db", str(db)), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert listener.stdout.readline().startswith("listening on ")
        refused = run_cli(env, "webhooks", "drain", "--db", str(db))
        assert refused.returncode == 1 and f"{db}.spool" in refused.stderr, refused.stderr
    finally:
        listener.send_signal(signal.SIGINT)
        listener.communicate(timeout=30)
