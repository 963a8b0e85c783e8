"""examples/webhook_receiver as Instantly and a crash would treat it.

End to end against instantly-mock: a campaign "sends", the mock delivers its events to the receiver
(with retries when the receiver fails), and every event a delivery succeeded for is stored exactly
once and folded into the engagement table. A wrong secret gets 401 and stores nothing; a verified
body that is not an event is acknowledged and kept raw. Under load, a kill -9 loses no acknowledged
event: the restarted receiver forwards its spool, and the worker catches up.
"""
from __future__ import annotations

import collections
import http.client
import json
import signal
import threading
import time

import pytest

from mock_process import MockProcess
from receiver_process import HEADER, PATH, ReceiverProcess, SECRET, kind, python_package_built, read_db, read_unparsed  # kind: the fixture

SENDER = "sam@sender.example.com"
SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True, "2": True, "3": True, "4": True, "5": True},
                           "timezone": "America/Detroit"}]}
RATES = {"opened": 0.6, "clicked": 0.3, "replied": 0.2, "bounced": 0.05, "unsubscribed": 0.05, "auto_reply": 0.1}



def canonical(payload) -> str:
    if isinstance(payload, (str, bytes)):
        payload = json.loads(payload)
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def ok(mock: MockProcess, method: str, path: str, body=None):
    status, answer, _ = mock.request(method, path, body)
    assert 200 <= status < 300, f"{method} {path}: {status} {answer}"
    return answer


def start_campaign(mock: MockProcess, leads: int = 30) -> str:
    """An active two-step campaign with `leads` leads, some with custom variables."""
    ok(mock, "POST", "/api/v2/accounts", {
        "email": SENDER, "first_name": "Sam", "last_name": "Sender", "provider_code": 2,
        "imap_username": SENDER, "imap_password": "x", "imap_host": "imap.example.com", "imap_port": 993,
        "smtp_username": SENDER, "smtp_password": "x", "smtp_host": "smtp.example.com", "smtp_port": 587})
    campaign = ok(mock, "POST", "/api/v2/campaigns", {
        "name": "Receiver end to end", "campaign_schedule": SCHEDULE, "email_list": [SENDER],
        "sequences": [{"steps": [
            {"type": "email", "delay": 1, "variants": [{"subject": "Hi {{firstName}}", "body": "Hello"},
                                                       {"subject": "Hello {{firstName}}", "body": "Hi"}]},
            {"type": "email", "delay": 2, "variants": [{"subject": "Following up", "body": "Again"}]}]}]})
    added = ok(mock, "POST", "/api/v2/leads/add", {"campaign_id": campaign["id"], "leads": [
        {"email": f"Lead{i}@Example.org", "first_name": f"Lead{i}",
         **({"custom_variables": {"tier": "gold", "seats": i}} if i % 3 == 0 else {})} for i in range(leads)]})
    assert len(added["created_leads"]) == leads
    ok(mock, "POST", f"/api/v2/campaigns/{campaign['id']}/activate")
    return campaign["id"]


def subscribe(mock: MockProcess, receiver: ReceiverProcess, secret: str) -> str:
    webhook = ok(mock, "POST", "/api/v2/webhooks", {
        "target_hook_url": receiver.url + PATH, "event_type": "all_events", "headers": {HEADER: secret}})
    return webhook["id"]


def send_and_flush(mock: MockProcess, campaign_id: str) -> dict:
    """Both steps "sent", then every delivery and retry settled. Returns the event counts."""
    counts = collections.Counter()
    for step, seed in ((1, 11), (2, 12)):
        answer = ok(mock, "POST", "/__mock/send", {"campaign_id": campaign_id, "step": step, "seed": seed,
                                                   "rates": RATES})
        counts.update(answer["events"])
    assert ok(mock, "POST", "/__mock/webhooks/flush", {"timeout_ms": 25000}) == {"idle": True}
    return counts


def deliveries(mock: MockProcess, webhook_id: str) -> list[dict]:
    return ok(mock, "GET", f"/__mock/webhooks/deliveries?webhook_id={webhook_id}")["deliveries"]


@pytest.mark.parametrize("faults", [[], ["--fail-rate", "0.3", "--seed", "3"], ["--lose-ack-rate", "0.3", "--seed", "4"]],
                         ids=["no-faults", "fail-before-storing", "ack-lost-after-storing"])
def test_every_delivered_event_is_stored_exactly_once(tmp_path, faults, kind):
    if faults and kind == "python":
        pytest.skip("--fail-rate and --lose-ack-rate are test hooks of the C++ receiver only")
    db = tmp_path / "events.db"
    with (MockProcess(["--webhook-retry-delays", "20,40,80"]) as mock,
          ReceiverProcess(db, faults, kind=kind) as receiver):
        campaign_id = start_campaign(mock)
        webhook_id = subscribe(mock, receiver, SECRET)
        counts = send_and_flush(mock, campaign_id)
        for kind in ("email_sent", "email_opened", "link_clicked", "reply_received", "email_bounced"):
            assert counts.get(kind, 0) > 0, counts
        attempts = deliveries(mock, webhook_id)
        assert attempts
        # Instantly sends the subscription's headers verbatim; the mock records them.
        assert all(a["headers"].get(HEADER) == SECRET for a in attempts)
        statuses = collections.Counter(a["status_code"] for a in attempts)
        delivered = {canonical(a["payload"]) for a in attempts if a["success"]}
        attempted = {canonical(a["payload"]) for a in attempts}
        health = receiver.wait_until_applied()
        requests = health["requests"]
        # Every delivery that reached the spool was forwarded: stored, or a duplicate. --fail-rate
        # answers 500 before spooling; --lose-ack-rate after (the retry is then a duplicate).
        not_spooled = requests.get("injected_failures", 0) if faults[:1] == ["--fail-rate"] else 0
        assert health["spooled"] == 0 and requests["unparsed"] == 0
        assert requests["stored"] + requests["duplicates"] + not_spooled == len(attempts)
        if not faults:
            assert requests["accepted"] == len(attempts)
        # An event whose four attempts all failed disables the subscription (status -1), as on
        # Instantly; its pending retries are dropped. With 30% failures that happens now and then.
        by_payload = collections.defaultdict(list)
        for a in attempts:
            by_payload[canonical(a["payload"])].append(a)
        exhausted = any(len(tries) == 4 and not any(t["success"] for t in tries) for tries in by_payload.values())
        assert (ok(mock, "GET", f"/api/v2/webhooks/{webhook_id}")["status"] == -1) == exhausted
        assert receiver.stop() == 0, receiver.log()

    events, engagement = read_db(db)
    stored = [canonical(row["body"]) for row in events]
    assert len(stored) == len(set(stored)), "an event is stored twice"
    assert len({row["dedupe_key"] for row in events}) == len(events)
    if not faults:
        assert set(statuses) == {200}
        assert stored and set(stored) == delivered == attempted
    elif faults[0] == "--fail-rate":
        # 500 before storing: an event is stored exactly when one of its attempts succeeded.
        assert statuses[500] > 0 and set(statuses) <= {200, 500}
        assert set(stored) == delivered
        assert health["requests"]["injected_failures"] == statuses[500]
    else:
        # Stored, then a 500: the retry finds the event already stored and gets 200 (a duplicate).
        assert statuses[500] > 0 and set(statuses) <= {200, 500}
        assert delivered <= set(stored) <= attempted
        assert health["requests"]["duplicates"] > 0
        assert health["requests"]["stored"] == len(stored)
    if faults:
        # Retries happened and some of them succeeded.
        assert any(len(tries) > 1 and tries[-1]["success"] for tries in by_payload.values())

    # The worker folded every stored event (SIGTERM drains it) into one row per campaign and lead.
    assert all(row["applied"] == 1 and row["apply_error"] is None for row in events)
    payloads = [json.loads(row["body"]) for row in events]
    lead_events = [p for p in payloads if p.get("lead_email") and p["event_type"] != "campaign_completed"]
    rows = {(r["campaign_id"], r["lead_email"]): r for r in engagement}
    assert set(rows) == {(p["campaign_id"], p["lead_email"].lower()) for p in lead_events}
    assert sum(r["reply_count"] for r in engagement) == sum(p["event_type"] == "reply_received" for p in payloads)
    for key, row in rows.items():
        mine = [p for p in lead_events if (p["campaign_id"], p["lead_email"].lower()) == key]
        sent = [p["timestamp"] for p in mine if p["event_type"] == "email_sent"]
        assert row["email_sent_at"] == (min(sent) if sent else None)
        if any(p["event_type"] == "lead_unsubscribed" for p in mine):
            assert row["email_status"] == "unsubscribed"
        elif any(p["event_type"] == "email_bounced" for p in mine):
            assert row["email_status"] == "bounced"
        elif any(p["event_type"] == "reply_received" for p in mine):
            assert row["email_status"] == "replied"


def test_wrong_secret_gets_401_and_stores_nothing(tmp_path, kind):
    db = tmp_path / "events.db"
    with MockProcess(["--webhook-retry-delays", "20,40,80"]) as mock, ReceiverProcess(db, kind=kind) as receiver:
        campaign_id = start_campaign(mock, leads=5)
        webhook_id = subscribe(mock, receiver, "not-the-secret")
        send_and_flush(mock, campaign_id)
        attempts = deliveries(mock, webhook_id)
        assert attempts and all(a["status_code"] == 401 and not a["success"] for a in attempts)
        # Out of retries, Instantly (and the mock) disable the subscription.
        webhook = ok(mock, "GET", f"/api/v2/webhooks/{webhook_id}")
        assert webhook["status"] == -1
        health = receiver.health()
        assert health["events"] == 0 and health["requests"]["unauthorized"] == len(attempts)
        assert receiver.stop() == 0
    events, engagement = read_db(db)
    assert events == [] and engagement == []


def event_payload(stream: int, n: int) -> dict:
    """A distinct, realistic event: stream `stream`, number `n`."""
    types = ("email_sent", "email_opened", "link_clicked", "reply_received", "lead_interested", "auto_reply_received")
    seconds = stream * 100_000 + n
    return {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1_714_550_400 + seconds)) + ".000Z",
            "event_type": types[n % len(types)], "workspace": "ws-crash", "campaign_id": f"campaign-{stream % 2}",
            "campaign_name": "Crash test", "lead_email": f"lead{n % 40}@example.org", "email_account": SENDER,
            "step": 1, "variant": 1, "email_id": f"email-{stream}-{n}", "reply_text_snippet": "x" * (n % 50)}


class LoadGenerator:
    """Threads posting distinct signed events on keep-alive connections, recording the acknowledged ones."""

    def __init__(self, port: int, threads: int = 6):
        self.port = port
        self.acked: set[bytes] = set()
        self.sent = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def __enter__(self) -> "LoadGenerator":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)

    def wait_for(self, acked: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < acked:
            assert time.monotonic() < deadline, f"only {len(self.acked)} events acknowledged"
            time.sleep(0.01)

    def run(self, stream: int) -> None:
        connection = None
        n = 0
        while not self.stopping.is_set():
            body = json.dumps(event_payload(stream, n)).encode()
            n += 1
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("POST", PATH, body=body,
                                   headers={"Content-Type": "application/json", HEADER: SECRET})
                response = connection.getresponse()
                response.read()
                with self.lock:
                    self.sent += 1
                    if response.status == 200:
                        self.acked.add(body)
            except (OSError, http.client.HTTPException):
                # The receiver is gone (killed or stopping): this event was not acknowledged.
                if connection is not None:
                    connection.close()
                connection = None
                time.sleep(0.01)


def check_engagement(events: list[dict], engagement: list[dict]) -> None:
    """Every stored event applied exactly once: rows, reply counts and first-sent times agree with them."""
    assert all(row["applied"] == 1 for row in events)
    payloads = [json.loads(row["body"]) for row in events]
    rows = {(r["campaign_id"], r["lead_email"]): r for r in engagement}
    assert set(rows) == {(p["campaign_id"], p["lead_email"]) for p in payloads}
    replies = collections.Counter((p["campaign_id"], p["lead_email"]) for p in payloads
                                  if p["event_type"] == "reply_received")
    for key, row in rows.items():
        assert row["reply_count"] == replies[key], key
        sent = [p["timestamp"] for p in payloads if (p["campaign_id"], p["lead_email"]) == key
                and p["event_type"] == "email_sent"]
        assert row["email_sent_at"] == (min(sent) if sent else None), key


def test_kill_9_under_load_loses_no_acknowledged_event(tmp_path, kind):
    db = tmp_path / "events.db"
    receiver = ReceiverProcess(db, kind=kind).__enter__()
    try:
        with LoadGenerator(receiver.port) as load:
            load.wait_for(300)
            assert receiver.kill() == -signal.SIGKILL
            killed_at = len(load.acked)
        acked = set(load.acked)
    finally:
        receiver.__exit__(None, None, None)
    assert len(acked) >= killed_at >= 300

    with ReceiverProcess(db, kind=kind) as restarted:
        health = restarted.wait_until_applied()
        assert health["unapplied"] == 0, health
        assert restarted.stop() == 0, restarted.log()
    events, engagement = read_db(db)
    stored = {row["body"].encode() for row in events}
    missing = acked - stored
    assert not missing, f"{len(missing)} acknowledged events were lost, e.g. {next(iter(missing))!r}"
    # Stored but never acknowledged (the kill came between COMMIT and the answer) is fine: the
    # sender retries and the retry is a duplicate.
    assert len(stored) - len(acked) <= len(load.threads)
    check_engagement(events, engagement)


def test_sigterm_under_load_answers_in_flight_requests_and_applies_everything(tmp_path, kind):
    db = tmp_path / "events.db"
    with ReceiverProcess(db, kind=kind) as receiver:
        with LoadGenerator(receiver.port, threads=4) as load:
            load.wait_for(100)
            assert receiver.stop(signal.SIGTERM) == 0, receiver.log()
        acked = set(load.acked)
    events, engagement = read_db(db)
    stored = {row["body"].encode() for row in events}
    assert acked <= stored
    check_engagement(events, engagement)


def test_direct_requests_duplicates_unparseable_bodies_and_missing_secret(tmp_path, kind):
    db = tmp_path / "events.db"
    with ReceiverProcess(db, secrets=("old-secret", SECRET), kind=kind) as receiver:
        body = json.dumps(event_payload(0, 3)).encode()
        status, first = receiver.post(body)
        assert status == 200 and first["accepted"] is True and first["parsed"] is True
        assert len(first["dedupe_key"]) == 64
        # The same event again, with other whitespace and member order: the same key, one row.
        again = json.dumps(dict(reversed(list(json.loads(body).items()))), indent=1).encode()
        status, second = receiver.post(again)
        assert status == 200 and second == first
        # Rotation: the old secret is accepted too; the header name matches in any case.
        status, _ = receiver.post(json.dumps(event_payload(0, 4)).encode(), {HEADER.lower(): "old-secret"})
        assert status == 200
        assert receiver.post(body, {})[0] == 401
        assert receiver.post(body, {HEADER: SECRET + "x"})[0] == 401
        # Verified but not an event: acknowledged all the same (Instantly must not disable the
        # subscription over it), and kept raw.
        cut_short = b'{"event_type": "email_sent", '
        no_type = b'{"timestamp": "2024-05-01T00:00:00Z"}'
        for unparseable in (cut_short, no_type):
            assert receiver.post(unparseable) == (200, {"accepted": True, "parsed": False, "dedupe_key": None})
        assert receiver.request("GET", PATH)[0] in (404, 405)
        health = receiver.wait_until_applied()
        assert health["events"] == 2 and health["unparsed"] == 2 and health["spooled"] == 0
        requests = health["requests"]
        assert requests["accepted"] == 5 and requests["unauthorized"] == 2
        assert (requests["stored"], requests["duplicates"], requests["unparsed"]) == (2, 1, 2)
        assert receiver.stop() == 0
    events, engagement = read_db(db)
    assert [row["body"].encode() for row in events] == [body, json.dumps(event_payload(0, 4)).encode()]
    assert [row["body"] for row in read_unparsed(db)] == [cut_short, no_type]
    leads = {row["lead_email"]: row for row in engagement}
    assert set(leads) == {"lead3@example.org", "lead4@example.org"}
    assert leads["lead3@example.org"]["reply_count"] == 1 and leads["lead3@example.org"]["email_status"] == "replied"
    assert leads["lead4@example.org"]["interest"] == "lead_interested"


def test_both_receivers_create_the_one_shared_schema(tmp_path):
    """migrations/sqlite/ (0001_webhook_store.sql, 0002_unparsed_deliveries.sql, 0003_reconcile.sql) is the schema of
    both receivers: their databases come out identical, table for table and index for index, and
    at the last file's version."""
    import sqlite3
    if not python_package_built():
        pytest.skip("the Python package is not built in this preset")
    schemas = {}
    for kind in ("cpp", "python"):
        db = tmp_path / f"{kind}.db"
        with ReceiverProcess(db, kind=kind) as receiver:
            assert receiver.stop() == 0
        with sqlite3.connect(db) as connection:
            objects = connection.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        schemas[kind] = (objects, version)
    assert schemas["cpp"] == schemas["python"]
    objects, version = schemas["cpp"]
    assert version == 3
    assert {name for _, name, _ in objects} >= {"events", "engagement", "events_unapplied", "unparsed_deliveries",
                                                "event_identities", "events_one_per_identity",
                                                "webhook_gaps"}
