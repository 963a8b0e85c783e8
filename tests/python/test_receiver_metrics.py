"""The webhook receivers' GET /metrics and GET /readyz (issue #21), for both receivers: what the
counters say after deliveries of each kind, readiness while the store cannot take writes (ready:
the spool takes the deliveries), and a
real Prometheus server scraping a receiver and seeing the counts.

The metric names are one contract for the C++ (examples/webhook_receiver) and the Python
receiver (instantly/_receiver): docs/observability.md.
"""
from __future__ import annotations

import http.client
import json
import socket
import sqlite3

import pytest

from prometheus_process import PrometheusProcess, prometheus_installed
from receiver_process import HEADER, PATH, ReceiverProcess, SECRET, kind, python_package_built  # kind: the fixture

# The text format read as Prometheus reads it (python3-prometheus-client, installed by scripts/setup).
from metric_samples import samples, value

EXPOSITION = "text/plain; version=0.0.4; charset=utf-8"



def event(n: int) -> bytes:
    """A distinct event (its own lead, so its own dedupe key)."""
    return json.dumps({"timestamp": f"2026-05-01T10:00:{n % 60:02d}.000Z", "event_type": "email_sent",
                       "workspace": "ws-metrics", "campaign_id": "campaign-metrics",
                       "lead_email": f"lead{n}@example.org", "step": 1, "variant": 1}).encode()


def get(receiver: ReceiverProcess, path: str) -> tuple[int, str, str]:
    """(status, Content-Type, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def post_oversized(receiver: ReceiverProcess) -> int:
    """The status for a delivery that announces a 2 MiB body: receivers refuse it from its
    Content-Length, without reading the body, so only a little of it is sent (sending all of it
    could meet a closed connection)."""
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=30) as connection:
        connection.sendall(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           f"{HEADER}: {SECRET}\r\nContent-Length: {2 << 20}\r\n\r\n{{".encode())
        status_line = connection.makefile("rb").readline().decode("latin-1")
    return int(status_line.split()[1])


def scrape(receiver: ReceiverProcess) -> dict:
    """{(sample name, sorted labels): value} of GET /metrics."""
    status, content_type, text = get(receiver, "/metrics")
    assert status == 200, text
    assert content_type == EXPOSITION
    return samples(text)


def test_metrics_count_every_kind_of_delivery(tmp_path, kind):
    with ReceiverProcess(tmp_path / "events.db", kind=kind) as receiver:
        for n in range(3):
            assert receiver.post(event(n))[0] == 200
        assert receiver.post(event(0))[0] == 200  # Instantly's retry: a duplicate
        assert receiver.post(event(9), {HEADER: "not-the-secret"})[0] == 401
        assert receiver.post(event(9), {})[0] == 401
        assert receiver.post(b'{"event_type": ', {HEADER: SECRET})[0] == 200  # kept raw, unparsed
        assert post_oversized(receiver) == 413
        receiver.wait_until_applied()
        found = scrape(receiver)
        assert receiver.stop() == 0

    assert value(found, "instantly_webhook_events_received_total") == 8
    assert value(found, "instantly_webhook_events_stored_total") == 3
    assert value(found, "instantly_webhook_events_duplicated_total") == 1
    assert value(found, "instantly_webhook_events_refused_total", reason="unauthorized") == 2
    assert value(found, "instantly_webhook_events_unparsed_total") == 1
    assert value(found, "instantly_webhook_events_refused_total", reason="too_large") == 1
    # Nothing refused for a body that does not parse (accepted and kept), a store or spool error, or
    # a full spool (a receiver may show the series at 0, or not yet).
    for reason in ("malformed", "not_stored", "spool_full"):
        assert value(found, "instantly_webhook_events_refused_total", reason=reason) in (None, 0), reason
    assert value(found, "instantly_webhook_ack_seconds_count") == 8
    assert value(found, "instantly_webhook_ack_seconds_bucket", le="+Inf") == 8
    assert value(found, "instantly_webhook_queue_depth") == 0  # nothing left in the spool
    assert value(found, "instantly_webhook_spool_bytes") > 0      # the spool's segment, not yet rolled over
    assert value(found, "instantly_webhook_unapplied_events") == 0
    assert value(found, "instantly_webhook_ready") == 1
    text = json.dumps([list(k) for k in found])
    assert SECRET not in text and "not-the-secret" not in text and "lead0@example.org" not in text


def test_readyz_is_ready_with_a_writable_store_and_healthz_stays_alive(tmp_path, kind):
    with ReceiverProcess(tmp_path / "events.db", kind=kind) as receiver:
        status, _, text = get(receiver, "/readyz")
        assert status == 200, text
        assert json.loads(text)["ready"] is True
        assert receiver.health()["events"] == 0
        assert receiver.stop() == 0


def test_readyz_stays_ready_while_the_store_cannot_take_writes(tmp_path, kind):
    """The spool takes the deliveries while the store cannot (issue #22 refines #21): /readyz says
    the store is not writable and stays 200; the deliveries are acknowledged meanwhile and stored
    once the store is free."""
    db = tmp_path / "events.db"
    with ReceiverProcess(db, kind=kind) as receiver:
        # Another writer holds SQLite's write lock: no delivery could be stored now.
        blocker = sqlite3.connect(db, isolation_level=None)
        try:
            blocker.execute("BEGIN IMMEDIATE")
            status, _, text = get(receiver, "/readyz")
            assert status == 200, text
            answer = json.loads(text)
            assert answer["ready"] is True and answer["store_writable"] is False, answer
            assert answer["spool_max_bytes"] == 1 << 30 and "reasons" not in answer
            for n in range(3):
                assert receiver.post(event(n))[0] == 200
            assert value(scrape(receiver), "instantly_webhook_ready") == 1
            # /healthz answers "alive" all the same: a restart would not help.
            assert get(receiver, "/healthz")[0] == 200
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        health = receiver.wait_until_applied()
        assert health["events"] == 3 and health["spooled"] == 0, health
        status, _, text = get(receiver, "/readyz")
        assert status == 200 and json.loads(text)["store_writable"] is True, text
        assert receiver.stop() == 0


def test_deliveries_are_log_records_without_the_secret_or_the_body(tmp_path, monkeypatch):
    # The Python receiver's records of the `instantly` logger (INSTANTLY_LOG=debug prints them).
    if not python_package_built():
        pytest.skip("the Python package is not built in this preset")
    monkeypatch.setenv("INSTANTLY_LOG", "debug")
    with ReceiverProcess(tmp_path / "events.db", kind="python") as receiver:
        assert receiver.post(event(1))[0] == 200
        assert receiver.post(event(1))[0] == 200
        assert receiver.post(event(2), {HEADER: "wrong-secret-value"})[0] == 401
        assert receiver.post(b'{"event_type": "lead2@example.org"', {HEADER: SECRET})[0] == 200
        assert receiver.stop() == 0
        log = receiver.log()
    lines = [line for line in log.splitlines() if "workflow=webhook" in line]
    # The refusal is logged by the request's thread, the rest by the forwarder once it has stored
    # them: in no fixed order between the two.
    assert len(lines) == 4, log
    def one(*parts: str) -> str:
        [line] = [line for line in lines if all(part in line for part in parts)]
        return line
    one(" DEBUG ", "action=delivery_stored", "items=1")
    one(" DEBUG ", "action=delivery_duplicate", "items=1")
    one(" DEBUG ", "action=delivery_unparsed", "items=1")
    one(" WARNING ", "reason=unauthorized", "detail=bad_secret")
    for secret_or_body in (SECRET, "wrong-secret-value", "lead1@example.org", "lead2@example.org"):
        assert secret_or_body not in log


def test_prometheus_scrapes_the_receivers_counts(tmp_path, kind):
    if not prometheus_installed():
        pytest.skip("/usr/bin/prometheus is not installed (Debian package prometheus; scripts/setup)")
    delivered = 5
    with ReceiverProcess(tmp_path / "events.db", kind=kind) as receiver, \
            PrometheusProcess([f"127.0.0.1:{receiver.port}"], tmp_path / "prometheus") as prometheus:
        for n in range(delivered):
            assert receiver.post(event(n))[0] == 200
        assert receiver.post(event(99), {HEADER: "not-the-secret"})[0] == 401

        stored = prometheus.wait_for_value("instantly_webhook_events_stored_total", delivered)
        assert stored == delivered, prometheus.log()
        refused = prometheus.wait_for_value('instantly_webhook_events_refused_total{reason="unauthorized"}', 1)
        assert refused == 1
        assert prometheus.value('up{job="instantly"}') == 1
        assert prometheus.value("instantly_webhook_ready") == 1
        prometheus.stop()
        assert receiver.stop() == 0


def test_readyz_and_metrics_on_postgresql(tmp_path, kind):
    from pipeline_database import ORG_A, PipelineDatabase, has_postgres_component
    if not has_postgres_component():
        pytest.skip("this build has no postgres component (libpq-dev not installed)")
    with PipelineDatabase() as pipeline, \
            ReceiverProcess(tmp_path / "r", kind=kind, database=pipeline.app_url, organization=ORG_A) as receiver:
        for n in range(3):
            assert receiver.post(event(n))[0] == 200
        receiver.wait_until_applied()
        status, _, text = get(receiver, "/readyz")
        assert status == 200, text
        found = scrape(receiver)
        assert value(found, "instantly_webhook_events_stored_total") == 3
        assert value(found, "instantly_webhook_unapplied_events") == 0
        assert value(found, "instantly_webhook_ready") == 1
        assert receiver.stop() == 0
