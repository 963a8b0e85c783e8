"""Both webhook receivers (C++ examples/webhook_receiver, Python examples/python/webhook_receiver.py)
on the pipeline's PostgreSQL database (--database, docs/scale-out.md).

Three receivers on different ports share one database, as they would behind a load balancer. A
sender plays Instantly: each event goes to one receiver, and a delivery that fails (the receiver
was killed, the connection refused) is retried on the next one, as Instantly retries a failed
delivery and the balancer sends the retry elsewhere. One receiver is killed with SIGKILL in the
middle of the stream; what it acknowledged and had not yet forwarded from its spool is drained with
--drain. Every acknowledged event is then in the database exactly once, and folded into the
engagement exactly once, by whichever receiver's worker took it.
"""
from __future__ import annotations

import collections
import http.client
import json
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mock_process import MockProcess
from pipeline_database import APP_PASSWORD, ORG_A, ORG_B, PipelineDatabase, has_postgres_component
from receiver_process import HEADER, PATH, ReceiverProcess, SECRET, kind  # kind: the fixture
from test_webhook_receiver import canonical, deliveries, send_and_flush, start_campaign

pytestmark = pytest.mark.skipif(not has_postgres_component(),
                                reason="this build has no postgres component (libpq-dev not installed)")



@pytest.fixture
def pipeline():
    with PipelineDatabase() as pipeline:
        yield pipeline


def event_payload(n: int) -> dict:
    types = ("email_sent", "email_opened", "link_clicked", "reply_received", "lead_interested")
    return {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1_714_550_400 + n)) + ".000Z",
            "event_type": types[n % len(types)], "workspace": "ws-pg", "campaign_id": f"campaign-{n % 2}",
            "campaign_name": "Scale-out", "lead_email": f"Lead{n % 30}@Example.org",
            "email_account": "sam@sender.example.com", "step": 1, "variant": 1, "email_id": f"email-{n}"}


def deliver(receivers: list[ReceiverProcess], first: int, body: bytes, deadline: float) -> int:
    """Posts `body` to receivers[first], then the next ones in turn, until one acknowledges it (200).
    Returns the index of the receiver that did."""
    attempt = first
    while time.monotonic() < deadline:
        receiver = receivers[attempt % len(receivers)]
        try:
            connection = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=10)
            connection.request("POST", PATH, body=body, headers={"Content-Type": "application/json", HEADER: SECRET})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return attempt % len(receivers)
        except (OSError, http.client.HTTPException):
            pass  # refused, reset or cut short: that receiver is gone; the retry goes to the next
        attempt += 1
    raise AssertionError("no receiver acknowledged an event in time")


def test_three_receivers_one_killed_mid_stream_store_every_acknowledged_event_once(pipeline, tmp_path, kind):
    events = 900
    bodies = [json.dumps(event_payload(n)).encode() for n in range(events)]
    receivers = [ReceiverProcess(tmp_path / f"r{i}", kind=kind, database=pipeline.app_url, organization=ORG_A)
                 for i in range(3)]
    for receiver in receivers:
        receiver.__enter__()
    try:
        acked_by = [-1] * events
        killed = threading.Event()
        deadline = time.monotonic() + 120

        def send(lane: int) -> None:
            for n in range(lane, events, 4):
                acked_by[n] = deliver(receivers, n, bodies[n], deadline)
                if n >= events // 3 and not killed.is_set() and lane == 0:
                    killed.set()
                    assert receivers[0].kill() == -9

        senders = [threading.Thread(target=send, args=(lane,)) for lane in range(4)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        assert killed.is_set() and all(by >= 0 for by in acked_by)
        assert {by for by in acked_by[: events // 4]} >= {0}, "receiver 0 acknowledged events before it was killed"
        # A duplicate delivery to a survivor (Instantly retrying after a lost acknowledgement) is
        # acknowledged and stored no second time.
        assert deliver(receivers, 1, bodies[0], deadline) in (1, 2)

        # What the killed receiver acknowledged and had not yet forwarded is in its spool: drained
        # into the database as its machine's replacement would (the command takes the spool's lock).
        drained = receivers[0].run("--drain")
        assert drained.returncode == 0 and re.fullmatch(r"drained \d+ deliveries\n", drained.stdout), drained
        # The survivors stop gracefully: their workers fold everything stored, the dead one's too.
        for receiver in receivers[1:]:
            assert receiver.stop() == 0, receiver.log()
            # Workers folding overlapping leads take the lead rows in one order: none is ever a
            # deadlock victim whose batch has to be rolled back and retried.
            assert "applying events failed" not in receiver.log(), receiver.log()
    finally:
        for receiver in receivers:
            receiver.__exit__(None, None, None)

    # The body last: psql separates columns with '|', which a body may hold.
    stored = pipeline.query("SELECT applied, apply_error IS NULL, organization_id, body FROM instantly_email_events")
    assert len(stored) == events
    assert sorted("|".join(row[3:]).encode() for row in stored) == sorted(bodies)  # each once, as received
    assert [row[:3] for row in stored if row[:3] != ["t", "t", ORG_A]] == []
    # The fold saw each event once: every reply_received counted once, on its lead's row.
    replies = sum(1 for n in range(events) if event_payload(n)["event_type"] == "reply_received")
    [[leads, reply_count]] = pipeline.query("SELECT count(*), sum(reply_count) FROM instantly_lead_engagement")
    assert int(leads) == 2 * 15  # 30 leads, each in the campaign of its parity
    assert int(reply_count) == replies
    assert pipeline.query("SELECT DISTINCT lead_email FROM instantly_lead_engagement WHERE lead_email <> lower(lead_email)") == []


class Balancer(ThreadingHTTPServer):
    """A load balancer in front of the receivers, as a deployment has one: round robin over the
    receivers it believes alive; a receiver that refuses a connection (or drops one) is marked
    dead, as a health check would, and that request gets a 502, which Instantly (here the mock)
    retries later: the retry then lands on another receiver. `kill_after`: after that many
    requests, `on_kill` runs first (the test kills a receiver there, mid-stream)."""

    daemon_threads = True

    def __init__(self, receivers: list[ReceiverProcess], kill_after: int, on_kill):
        super().__init__(("127.0.0.1", 0), _Forward)
        self.receivers = receivers
        self.alive = list(range(len(receivers)))
        self.lock = threading.Lock()
        self.turn = 0
        self.forwarded = 0
        self.kill_after, self.on_kill = kill_after, on_kill
        self.statuses: collections.Counter = collections.Counter()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def pick(self) -> int:
        with self.lock:
            self.forwarded += 1
            if self.forwarded == self.kill_after:
                self.on_kill()
            index = self.alive[self.turn % len(self.alive)]
            self.turn += 1
            return index

    def mark_dead(self, index: int) -> None:
        with self.lock:
            if index in self.alive and len(self.alive) > 1:
                self.alive.remove(index)


class _Forward(BaseHTTPRequestHandler):
    server: Balancer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        index = self.server.pick()
        status, answer = 502, b'{"error": "bad gateway"}'
        try:
            upstream = http.client.HTTPConnection("127.0.0.1", self.server.receivers[index].port, timeout=10)
            upstream.request("POST", self.path, body=body, headers={k: v for k, v in self.headers.items()
                                                                    if k.lower() != "host"})
            response = upstream.getresponse()
            status, answer = response.status, response.read()
            upstream.close()
        except OSError:
            self.server.mark_dead(index)
        self.server.statuses[status] += 1
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


def test_the_mocks_retries_land_on_the_other_receivers_when_one_is_killed(pipeline, tmp_path, kind):
    """Instantly (the mock) delivers a campaign's webhooks through a balancer to three receivers on
    one database; one is killed with SIGKILL mid-stream. Its failed deliveries are retried by the
    mock, reach the others, and every delivered event is stored once and folded once."""
    receivers = [ReceiverProcess(tmp_path / f"r{i}", kind=kind, database=pipeline.app_url, organization=ORG_A)
                 for i in range(3)]
    with MockProcess(["--webhook-retry-delays", "20,40,80"]) as mock:
        for receiver in receivers:
            receiver.__enter__()
        balancer = Balancer(receivers, kill_after=60, on_kill=lambda: receivers[0].kill())
        try:
            campaign_id = start_campaign(mock, leads=40)
            webhook = mock.request("POST", "/api/v2/webhooks", {
                "target_hook_url": balancer.url + PATH, "event_type": "all_events", "headers": {HEADER: SECRET}})[1]
            send_and_flush(mock, campaign_id)
            attempts = deliveries(mock, webhook["id"])
            assert balancer.forwarded > 60 and receivers[0].process.poll() == -9
            drained = receivers[0].run("--drain")  # what it acknowledged and had not forwarded
            assert drained.returncode == 0 and drained.stdout.startswith("drained "), drained
            for receiver in receivers[1:]:
                assert receiver.stop() == 0, receiver.log()  # folds everything stored, the dead one's too
        finally:
            balancer.shutdown()
            for receiver in receivers:
                receiver.__exit__(None, None, None)

    by_payload = collections.defaultdict(list)
    for attempt in attempts:
        by_payload[canonical(attempt["payload"])].append(attempt)
    delivered = {payload for payload, tries in by_payload.items() if any(t["success"] for t in tries)}
    assert delivered == set(by_payload), "an event was never delivered"
    # The kill cost some attempts, and their retries succeeded elsewhere.
    assert balancer.statuses[502] > 0
    assert any(not tries[0]["success"] and tries[-1]["success"] for tries in by_payload.values())

    stored = [canonical("|".join(row)) for row in pipeline.query("SELECT body FROM instantly_email_events")]
    assert len(stored) == len(set(stored)), "an event is stored twice"
    assert set(stored) == delivered
    assert pipeline.query("SELECT count(*) FROM instantly_email_events WHERE NOT applied") == [["0"]]
    replies = sum(json.loads(p)["event_type"] == "reply_received" for p in delivered)
    assert pipeline.query("SELECT coalesce(sum(reply_count), 0) FROM instantly_lead_engagement") == [[str(replies)]]


def test_each_receiver_sees_only_its_own_organisation(pipeline, tmp_path, kind):
    # The same lead email in both organisations' businesses.
    pipeline.query(f"INSERT INTO businesses (organization_id, name, email) VALUES"
                   f" ('{ORG_A}', 'Cafe Three', 'lead3@example.org'), ('{ORG_B}', 'Other Three', 'lead3@example.org')")
    with ReceiverProcess(tmp_path / "a", kind=kind, database=pipeline.app_url, organization=ORG_A) as a, \
            ReceiverProcess(tmp_path / "b", kind=kind, database=pipeline.app_url, organization=ORG_B) as b:
        for n in (3, 33, 0):  # two replies of lead3, a send to lead0
            assert a.post(json.dumps(event_payload(n)).encode())[0] == 200
        assert b.post(json.dumps(event_payload(1)).encode())[0] == 200  # an open of lead1
        assert a.wait_until_applied()["events"] == 3
        assert b.wait_until_applied()["events"] == 1
        assert a.stop() == 0 and b.stop() == 0
    rows = pipeline.query("SELECT organization_id, count(*) FROM instantly_email_events GROUP BY 1")
    assert sorted(rows) == sorted([[ORG_A, "3"], [ORG_B, "1"]])
    # Org A's replies reached org A's business row for that email, and only that one.
    businesses = {row[0]: row[1:] for row in pipeline.query(
        "SELECT organization_id, reply_count, email_status, email_replied_at IS NOT NULL FROM businesses")}
    assert businesses[ORG_A] == ["2", "replied", "t"]
    assert businesses[ORG_B] == ["0", "", "f"]


@pytest.mark.parametrize("problem", ["wrong password", "not migrated", "no organisation", "organisation not a UUID"])
def test_a_database_the_receiver_cannot_use_is_a_clear_error_at_start(pipeline, tmp_path, problem, kind):
    url, args = pipeline.app_url, ["--organization", ORG_A]
    if problem == "wrong password":
        url = pipeline.pg.url("pipeline_app", "not-the-pw-8812", "pipeline")
    elif problem == "not migrated":
        pipeline.pg.psql("CREATE DATABASE empty OWNER pipeline_owner")
        url = pipeline.pg.url("pipeline_app", APP_PASSWORD, "empty")
    elif problem == "no organisation":
        args = []
    else:
        args = ["--organization", "acme"]
    receiver = ReceiverProcess(tmp_path / "r", kind=kind, database=url, organization=ORG_A)
    command = [*receiver.program, "--port", "0", *args, "--secret", SECRET]
    # cwd: with PostgreSQL the default spool is ./instantly-webhooks.spool; never the repository's.
    result = subprocess.run(command, env=receiver.env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    expected = {"wrong password": (1, "password authentication failed"),
                "not migrated": (1, "has no instantly schema: apply the migrations"),
                "no organisation": (2, "--database needs --organization"),
                "organisation not a UUID": (1, "an organisation id is a UUID")}[problem]
    assert (result.returncode, expected[1] in result.stderr) == (expected[0], True), result.stderr
    assert "not-the-pw-8812" not in result.stderr and APP_PASSWORD not in result.stderr
    assert result.stdout == ""  # never said it was listening
