"""`instantly sync reconcile` on a SQLite store, as users run it: the JSON report, the table, exit
codes (0 in sync, 1 a difference remains or the store is another workspace's), and a run stopped
by SIGINT that a second run finishes. (PostgreSQL and the watcher: test_receiver_reconcile.py.)"""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess

import instantly
from instantly import workflows

from cli_process import cli_command, cli_env, cli_mock, env, run_cli  # noqa: F401 - cli_mock, env: fixtures
from conftest import TEST_KEY
from mock_process import MockProcess
from test_reconcile import run_campaigns, store_bodies
from webhook_endpoint import Receiver


def setup_store(cli_mock, tmp_path, keep_every: int, campaigns: int = 2, leads: int = 20):
    collector = Receiver()
    try:
        with instantly.Client(api_key=TEST_KEY, base_url=cli_mock.url) as client:
            ids = run_campaigns(client, cli_mock, collector, campaigns=campaigns, leads=leads)
        path = str(tmp_path / "events.db")
        store = workflows.open_event_store(path)
        store_bodies(store, collector.bodies[::keep_every] if keep_every > 1 else collector.bodies)
        store.close()
        return ids, path
    finally:
        collector.close()


def test_reconcile_reports_json_and_heals(env, cli_mock, tmp_path):
    ids, path = setup_store(cli_mock, tmp_path, keep_every=2)
    result = run_cli(env, "sync", "reconcile", "--db", path, "-o", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["in_sync"] is True and report["stopped"] is False
    assert {c["campaign_id"] for c in report["campaigns"]} == set(ids)
    for campaign in report["campaigns"]:
        assert campaign["drifted"] is True and campaign["events_backfilled"] > 0
        assert {m["metric"] for m in campaign["metrics"]} == set(workflows.RECONCILE_METRICS)
        assert all(m["remaining"] == 0 and m["local"] + m["backfilled"] == m["remote"] for m in campaign["metrics"])
    # One progress line per campaign on stderr.
    assert sum(f"{i}:" in result.stderr for i in ids) == 2

    table = run_cli(env, "sync", "reconcile", "--db", path, "-o", "table")
    assert table.returncode == 0
    assert "(no results)" in table.stdout  # nothing differs any more
    assert "2 campaigns, 2 already in sync, 0 events backfilled" in table.stdout


def test_a_store_of_another_workspace_is_exit_1_and_untouched(env, cli_mock, tmp_path):
    path = str(tmp_path / "foreign.db")
    store = workflows.open_event_store(path)
    store_bodies(store, [json.dumps({"timestamp": "2026-01-01T00:00:00Z", "event_type": "email_sent",
                                     "workspace": "somebody-else", "campaign_id": "c1", "campaign_name": "x",
                                     "lead_email": "a@b.example", "email_id": "e1", "step": 1}).encode()])
    before = store.counts()
    store.close()
    result = run_cli(env, "sync", "reconcile", "--db", path)
    assert result.returncode == 1
    assert "somebody-else" in result.stderr and "nothing was changed" in result.stderr
    store = workflows.open_event_store(path)
    assert store.counts() == before
    store.close()


def test_a_store_option_is_required(env):
    result = run_cli(env, "sync", "reconcile")
    assert result.returncode == 2 and "--db FILE" in result.stderr


def test_sigint_stops_between_pages_and_a_second_run_finishes(tmp_path):
    # A mock of its own whose every answer takes 100 ms, so that the signal lands mid-run.
    with MockProcess(["--no-rate-limit", "--api-key", TEST_KEY, "--latency-ms", "100"]) as slow:
        ids, path = setup_store(slow, tmp_path, keep_every=3, campaigns=4, leads=30)
        env = cli_env(slow.url, str(tmp_path / "config"))
        process = subprocess.Popen(cli_command("sync", "reconcile", "--db", path, "-o", "json"), env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = process.stderr.readline()  # the first campaign's progress line: the run is under way
            assert "events backfilled" in line, line
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 130, err
        report = json.loads(out)
        assert report["stopped"] is True and report["in_sync"] is False
        assert 1 <= len(report["campaigns"]) < 4 and len(report["campaigns"]) + len(report["not_reached"]) == 4
        assert set(report["not_reached"]) <= set(ids)
        finished = run_cli(env, "sync", "reconcile", "--db", path, "-o", "json")
        assert finished.returncode == 0 and json.loads(finished.stdout)["in_sync"] is True


def test_watch_runs_first_and_the_gap_it_records_is_closed_by_the_reconcile(env, cli_mock, tmp_path):
    """`--watch URL`: the daemon's step that resumes a disabled subscription before reconciling."""
    ids, path = setup_store(cli_mock, tmp_path, keep_every=1, campaigns=1, leads=5)
    admin = {"Authorization": f"Bearer {TEST_KEY}"}
    down = Receiver()
    down.status = 500
    try:
        with instantly.Client(api_key=TEST_KEY, base_url=cli_mock.url) as client:
            webhook = client.webhooks.create(target_hook_url=down.url, event_type="all_events")
        cli_mock.request("POST", "/__mock/webhooks/retry-delays", {"delays_ms": [20, 20]}, headers=admin)
        cli_mock.request("POST", "/__mock/webhooks/emit", {
            "timestamp": "2026-11-27T10:00:00.000Z", "event_type": "email_opened", "workspace": "w",
            "campaign_id": ids[0], "lead_email": "owner0@shop0.example"}, headers=admin)
        cli_mock.request("POST", "/__mock/webhooks/flush", {"timeout_ms": 5000}, headers=admin)
        status, answer, _ = cli_mock.request("GET", f"/api/v2/webhooks/{webhook.id}", headers=admin)
        assert answer["status"] == -1
        down.status = 200
        result = run_cli(env, "sync", "reconcile", "--db", path, "--watch", down.url, "-o", "json")
    finally:
        down.close()
    assert result.returncode == 0, result.stderr
    assert f"subscription {webhook.id} ({down.url}) resumed" in result.stderr
    report = json.loads(result.stdout)
    assert report["gaps_closed"] == 1 and report["in_sync"] is True
    assert cli_mock.request("GET", f"/api/v2/webhooks/{webhook.id}", headers=admin)[1]["status"] == 1
    with sqlite3.connect(path) as db:
        [(webhook_id, start, end, reconciled)] = db.execute(
            "SELECT webhook_id, gap_start, gap_end, reconciled_at FROM webhook_gaps").fetchall()
    assert webhook_id == webhook.id and start <= end and reconciled is not None
