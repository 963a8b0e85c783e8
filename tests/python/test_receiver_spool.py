"""Nothing lost (issue #22): both webhook receivers acknowledge from their durable spool, so the
store can be down without a delivery refused, and every body that verifies is kept.

- PostgreSQL stopped for 20 s in the middle of instantly-mock's delivery stream: every delivery
  answered 200, the subscription never disabled, every event stored exactly once afterwards.
- SIGKILL with deliveries still in the spool (the store locked): the restarted receiver stores them.
- The other kind's --drain empties a killed receiver's spool: the format on disk is shared.
- A verified body that does not parse: 200, kept byte for byte, counted; --reparse turns the bodies
  that parse now into events and leaves the rest.
- A small --spool-max-bytes and the store down: /readyz 503 from 80% (and a warning), then 503
  "spool full" counted as refused; once the store is back the spool drains and /readyz is 200.
"""
from __future__ import annotations

import collections
import hashlib
import json
import re
import subprocess
import sqlite3
import time

import pytest

from mock_process import MockProcess
from pipeline_database import ORG_A, PipelineDatabase, has_postgres_component
from receiver_process import ReceiverProcess, SECRET, kind, python_package_built, read_db, read_unparsed  # kind: the fixture
from test_receiver_metrics import get, scrape, value
from test_webhook_receiver import RATES, canonical, deliveries, ok, start_campaign, subscribe

OUTAGE_SECONDS = 20

needs_postgres = pytest.mark.skipif(not has_postgres_component(),
                                    reason="this build has no postgres component (libpq-dev not installed)")



def other(kind: str) -> str:
    return "python" if kind == "cpp" else "cpp"


def event(n: int, pad: int = 0) -> bytes:
    """A distinct event (its own email id, so its own dedupe key)."""
    return json.dumps({"timestamp": f"2026-05-01T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
                       "event_type": "email_sent", "workspace": "ws-spool", "campaign_id": "campaign-spool",
                       "lead_email": f"lead{n}@example.org", "email_id": f"email-{n}", "step": 1, "variant": 1,
                       **({"pad": "p" * pad} if pad else {})}).encode()


class LockedStore:
    """Holds a SQLite store's write lock (another writer's long transaction): nothing can be stored
    until release(), while the receiver keeps acknowledging from its spool."""

    def __init__(self, db) -> None:
        self._connection = sqlite3.connect(db, isolation_level=None)
        self._connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self._connection is not None:
            self._connection.execute("ROLLBACK")
            self._connection.close()
            self._connection = None


@needs_postgres
def test_postgres_down_for_20_seconds_mid_stream_loses_and_refuses_nothing(tmp_path, kind):
    with PipelineDatabase() as pipeline, MockProcess(["--webhook-retry-delays", "20,40,80"]) as mock, \
            ReceiverProcess(tmp_path / "r", kind=kind, database=pipeline.app_url, organization=ORG_A) as receiver:
        campaign_id = start_campaign(mock, leads=40)
        webhook_id = subscribe(mock, receiver, SECRET)
        sent = collections.Counter()
        # Step 1 "sent": its deliveries are on their way when the database goes.
        sent.update(ok(mock, "POST", "/__mock/send", {"campaign_id": campaign_id, "step": 1, "seed": 21,
                                                       "rates": RATES})["events"])
        stopped_at = time.monotonic()
        pipeline.pg.stop_server()
        try:
            # Step 2 while the database is down: every delivery of it waits in the spool.
            sent.update(ok(mock, "POST", "/__mock/send", {"campaign_id": campaign_id, "step": 2, "seed": 22,
                                                           "rates": RATES})["events"])
            assert ok(mock, "POST", "/__mock/webhooks/flush", {"timeout_ms": 15000}) == {"idle": True}
            health = receiver.health()  # alive, and says what it knows
            assert health["spooled"] > 0 and health.get("events") is None, health
            status, _, text = get(receiver, "/readyz")
            assert status == 200 and json.loads(text)["store_writable"] is False, text
            time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
        finally:
            pipeline.pg.start_server()
        health = receiver.wait_until_applied(timeout=90)
        assert health["spooled"] == 0 and health["unapplied"] == 0, health
        attempts = deliveries(mock, webhook_id)
        webhook = ok(mock, "GET", f"/api/v2/webhooks/{webhook_id}")
        assert receiver.stop() == 0, receiver.log()
        log = receiver.log()

        assert sum(sent.values()) > 0 and len(attempts) > 0
        failed = [(a["status_code"], a.get("error")) for a in attempts if not a["success"]]
        assert failed == [], f"{len(failed)} failed attempts, e.g. {failed[:3]}"
        assert webhook["status"] == 1  # never disabled
        delivered = {canonical(a["payload"]) for a in attempts}
        assert len(delivered) == len(attempts)
        [[count, keys]] = pipeline.query("SELECT count(*), count(DISTINCT dedupe_key) FROM instantly_email_events")
        assert int(count) == int(keys) == len(attempts)
        stored = {canonical("|".join(row)) for row in pipeline.query("SELECT body FROM instantly_email_events")}
        assert stored == delivered
        assert pipeline.query("SELECT count(*) FROM instantly_email_events WHERE NOT applied") == [["0"]]
        if kind == "python":  # once per outage, not once per retry
            assert log.count("webhook store unavailable") == 1, log
            assert log.count("webhook store available again") == 1, log


def post_while_locked(receiver: ReceiverProcess, bodies: list[bytes]) -> None:
    """Posts every body (each answered 200) while the store cannot take them: they stay spooled."""
    for body in bodies:
        status, answer = receiver.post(body)
        assert status == 200 and answer["accepted"] is True, (status, answer)
    assert receiver.health()["spooled"] == len(bodies)


def test_sigkill_with_deliveries_in_the_spool_stores_them_after_the_restart(tmp_path, kind):
    db = tmp_path / "events.db"
    bodies = [event(n) for n in range(25)]
    receiver = ReceiverProcess(db, kind=kind).__enter__()
    try:
        lock = LockedStore(db)
        try:
            post_while_locked(receiver, bodies)
            assert receiver.kill() == -9
        finally:
            lock.release()
    finally:
        receiver.__exit__(None, None, None)
    assert read_db(db)[0] == []  # nothing reached the store before the kill

    with ReceiverProcess(db, kind=kind) as restarted:  # the same default spool, <db>.spool
        health = restarted.wait_until_applied()
        assert health["events"] == len(bodies) and health["spooled"] == 0, health
        assert restarted.stop() == 0, restarted.log()
    events, engagement = read_db(db)
    assert sorted(row["body"].encode() for row in events) == sorted(bodies)
    assert all(row["applied"] == 1 for row in events) and len(engagement) == len(bodies)


def test_the_other_kind_drains_a_killed_receivers_spool(tmp_path, kind):
    if not python_package_built():
        pytest.skip("the Python package is not built in this preset")
    db = tmp_path / "events.db"
    bodies = [event(n) for n in range(30)]
    unparseable = b'{"event_type": "email_sent", "cut": '
    receiver = ReceiverProcess(db, kind=kind).__enter__()
    try:
        lock = LockedStore(db)
        try:
            post_while_locked(receiver, [*bodies[:15], unparseable, *bodies[15:]])
            assert receiver.kill() == -9
        finally:
            lock.release()
    finally:
        receiver.__exit__(None, None, None)

    drained = receiver.run("--drain", kind=other(kind))
    assert drained.returncode == 0, drained.stderr
    assert drained.stdout == f"drained {len(bodies) + 1} deliveries\n"
    again = receiver.run("--drain", kind=other(kind))  # nothing left, nothing doubled
    assert again.returncode == 0 and again.stdout == "drained 0 deliveries\n", again
    events, _ = read_db(db)
    assert sorted(row["body"].encode() for row in events) == sorted(bodies)
    assert [row["body"] for row in read_unparsed(db)] == [unparseable]


def test_a_body_that_does_not_parse_is_kept_counted_and_parsed_again(tmp_path, kind):
    db = tmp_path / "events.db"
    stored_event = event(1)
    # Verified, and no event: not even UTF-8. Kept byte for byte all the same.
    garbage = b'\xff\xfe{"event_type": "email_opened", "lead_email": "x@example.org"}\x00'
    with ReceiverProcess(db, kind=kind) as receiver:
        assert receiver.post(stored_event)[0] == 200
        assert receiver.post(garbage) == (200, {"accepted": True, "parsed": False, "dedupe_key": None})
        health = receiver.wait_until_applied()
        assert health["unparsed"] == 1 and health["requests"]["unparsed"] == 1, health
        found = scrape(receiver)
        assert value(found, "instantly_webhook_events_unparsed_total") == 1
        assert value(found, "instantly_webhook_events_refused_total", reason="malformed") in (None, 0)
        assert receiver.stop() == 0, receiver.log()

    [row] = read_unparsed(db)
    assert row["body"] == garbage and row["body_sha256"] == hashlib.sha256(garbage).hexdigest()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", row["received_at"]), row["received_at"]
    assert row["error"] and "x@example.org" not in row["error"]

    # Bodies an older parser failed on, put there by hand: one new event, and one a re-formatted
    # delivery of the event stored above (a duplicate once parsed).
    new_event = event(2)
    duplicate = json.dumps(json.loads(stored_event), indent=2).encode()
    with sqlite3.connect(db) as connection:
        for body in (new_event, duplicate):
            connection.execute("INSERT INTO unparsed_deliveries (body_sha256, body, received_at, error)"
                               " VALUES (?, ?, '2026-05-01T10:00:00.000Z', 'an older parser failed')",
                               (hashlib.sha256(body).hexdigest(), body))

    reparsed = receiver.run("--reparse")
    assert reparsed.returncode == 0, reparsed.stderr
    assert reparsed.stdout == "reparsed 3: 2 became events, 1 still unparsed\n"
    events, _ = read_db(db)
    assert [row["body"].encode() for row in events] == [stored_event, new_event]  # the duplicate: no second row
    assert [row["body"] for row in read_unparsed(db)] == [garbage]  # still does not parse: still kept
    again = receiver.run("--reparse")
    assert again.returncode == 0 and again.stdout == "reparsed 1: 0 became events, 1 still unparsed\n", again


@needs_postgres
def test_a_small_spool_says_not_ready_at_80_percent_then_refuses_when_full(tmp_path, kind):
    bound = 16 * 1024
    with PipelineDatabase() as pipeline, \
            ReceiverProcess(tmp_path / "r", ["--spool-max-bytes", str(bound)], kind=kind, database=pipeline.app_url,
                            organization=ORG_A) as receiver:
        pipeline.pg.stop_server()
        try:
            accepted: list[bytes] = []
            not_ready_after = None  # deliveries accepted when /readyz first said 503
            full = 0
            n = 0
            while full < 3:
                assert n < 200, "the spool never filled"
                body = event(n, pad=200)
                n += 1
                status, answer = receiver.post(body)
                if status == 200:
                    assert full == 0, "a delivery was accepted after the spool was full"
                    accepted.append(body)
                else:
                    assert status == 503 and answer["error"] == "spool full", (status, answer)
                    full += 1
                if not_ready_after is None:
                    status, _, text = get(receiver, "/readyz")
                    if status == 503:
                        not_ready_after = len(accepted)
                        answer = json.loads(text)
                        assert answer["ready"] is False and answer["spool_max_bytes"] == bound, answer
                        assert answer["spool_bytes"] >= 0.8 * bound and answer["store_writable"] is False, answer
                        assert any(re.match(r"spool \d+% full", reason) for reason in answer["reasons"]), answer
                    else:
                        assert status == 200, text
            # /readyz said 503 while deliveries were still accepted: a balancer had time to react.
            assert not_ready_after is not None and 0 < not_ready_after < len(accepted)
            found = scrape(receiver)
            assert value(found, "instantly_webhook_events_refused_total", reason="spool_full") == 3
            assert value(found, "instantly_webhook_spool_bytes") >= 0.8 * bound
            assert value(found, "instantly_webhook_ready") == 0
            assert receiver.health()["requests"]["spool_full"] == 3
            assert "80%" in receiver.log()  # the warning, before the refusals
        finally:
            pipeline.pg.start_server()

        # The database is back: the spool drains, and the receiver is ready again.
        health = receiver.wait_until_applied(timeout=90)
        assert health["events"] == len(accepted) and health["spooled"] == 0, health
        status, _, text = get(receiver, "/readyz")
        assert status == 200, text
        assert receiver.stop() == 0, receiver.log()
    # (the database is gone with the `with`; its rows were counted by /healthz above)


@needs_postgres
def test_unparsed_bodies_on_postgresql_belong_to_the_organisation_and_parse_again(tmp_path, kind):
    garbage = b'{"event_type": 7, "bytes": "\xc3\x28"}'  # not an event, nor valid UTF-8
    with PipelineDatabase() as pipeline:
        with ReceiverProcess(tmp_path / "r", kind=kind, database=pipeline.app_url, organization=ORG_A) as receiver:
            assert receiver.post(garbage)[1] == {"accepted": True, "parsed": False, "dedupe_key": None}
            assert receiver.post(garbage)[0] == 200  # the same body again: one row
            health = receiver.wait_until_applied()
            assert health["unparsed"] == 1 and health["requests"]["unparsed"] == 2, health
            assert receiver.stop() == 0, receiver.log()
        [[organization, body_hex, sha, has_error]] = pipeline.query(
            "SELECT organization_id, encode(body, 'hex'), body_sha256, error <> '' FROM instantly_unparsed_deliveries")
        assert (organization, bytes.fromhex(body_hex), sha, has_error) == (
            ORG_A, garbage, hashlib.sha256(garbage).hexdigest(), "t")

        body = event(7)  # as if an older parser had failed on it
        pipeline.query(f"INSERT INTO instantly_unparsed_deliveries (organization_id, body_sha256, body, received_at,"
                       f" error) VALUES ('{ORG_A}', '{hashlib.sha256(body).hexdigest()}',"
                       f" decode('{body.hex()}', 'hex'), now(), 'an older parser failed')")
        reparsed = receiver.run("--reparse")
        assert reparsed.returncode == 0, reparsed.stderr
        assert reparsed.stdout == "reparsed 2: 1 became events, 1 still unparsed\n"
        assert pipeline.query("SELECT organization_id, body FROM instantly_email_events") == [[ORG_A, body.decode()]]
        assert pipeline.query("SELECT count(*) FROM instantly_unparsed_deliveries") == [["1"]]


def test_a_spool_or_store_that_cannot_be_used_is_a_clear_error_at_start(tmp_path, kind):
    """Bad input at start: the receiver exits 1 with one line naming the path, before it listens."""
    from receiver_process import receiver_program
    program, env = receiver_program(kind)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a SQLite database, whatever its name says " * 4)
    other_shape = tmp_path / "other.db"
    with sqlite3.connect(other_shape) as db:  # an `events` table of someone else's design
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT)")
    cases = {
        "spool under a file": (["--db", str(tmp_path / "ok.db"), "--spool", str(a_file / "spool")],
                               f"cannot create the spool {a_file / 'spool'}"),
        "not a database": (["--db", str(garbage)], f"cannot open the SQLite store {garbage}: file is not a database"),
        "a table of another shape": (["--db", str(other_shape)], f"cannot open the SQLite store {other_shape}: "),
    }
    for name, (args, message) in cases.items():
        result = subprocess.run([*program, "--port", "0", "--secret", SECRET, *args], env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr and "listening on" not in result.stdout, (name, result.stderr)
