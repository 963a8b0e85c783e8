"""The reconcile (instantly.workflows.reconcile) over a real store (SQLite here; PostgreSQL in
tests/python/test_receiver_reconcile.py): what the API's analytics say against what the store
holds, a backfill from /leads/list and /emails, and late deliveries that change nothing.

Deliveries are collected by a small HTTP server in the test, then stored in part (the rest "never
arrived"), the way the receivers store them (instantly/_receiver)."""
from __future__ import annotations

import json
import random
import sqlite3
import threading

import pytest

from conftest import SCHEDULE
from webhook_endpoint import Receiver

from instantly import webhooks, workflows
from instantly._receiver.rows import ENGAGEMENT_COLUMNS, event_row


@pytest.fixture
def collector():
    c = Receiver()
    yield c
    c.close()


def store_bodies(store, bodies) -> None:
    """As a receiver's forwarder and engagement worker do."""
    rows = [event_row(webhooks.parse(body), body, "2026-01-01T00:00:00.000Z") for body in bodies]
    store.store_deliveries(rows, [])
    while store.apply_pending(256) > 0:
        pass


def run_campaigns(client, mock, collector, campaigns=2, leads=40, seed=11):
    """Active campaigns with leads, one send step, every delivery collected. Returns the ids."""
    client.webhooks.create(target_hook_url=collector.url, event_type="all_events")
    ids = []
    for n in range(campaigns):
        campaign = client.campaigns.create(name=f"Reconcile {n}", campaign_schedule=SCHEDULE)
        client.leads.add(campaign_id=campaign.id,
                         leads=[{"email": f"owner{i}@shop{n}.example", "first_name": f"O{i}"} for i in range(leads)])
        client.campaigns.activate(campaign.id)
        ids.append(campaign.id)
    mock.request("POST", "/__mock/send", {"seed": seed, "rates": {"opened": 0.6, "clicked": 0.2, "replied": 0.3,
                                                                  "bounced": 0.05, "unsubscribed": 0.05,
                                                                  "auto_reply": 0.1}})
    mock.request("POST", "/__mock/webhooks/flush", {})
    return ids


def analytics(client, ids):
    return {row.campaign_id: {m: int(getattr(row, m) or 0) for m in workflows.RECONCILE_METRICS}
            for row in client.campaigns.analytics(ids=ids)}


def engagement(path):
    """Every lead's engagement (updated_at aside: a late event rewrites a row with the same values)."""
    columns = ", ".join(c for c in ENGAGEMENT_COLUMNS)
    with sqlite3.connect(path) as db:
        return sorted(db.execute(f"SELECT {columns} FROM engagement").fetchall())


def test_reconcile_backfills_what_was_never_delivered_and_late_deliveries_change_nothing(client, mock, collector,
                                                                                       tmp_path):
    ids = run_campaigns(client, mock, collector)
    bodies = list(collector.bodies)
    assert len(bodies) > 100
    random.Random(3).shuffle(bodies)
    delivered, missed = bodies[: len(bodies) * 3 // 4], bodies[len(bodies) * 3 // 4:]
    path = str(tmp_path / "events.db")
    store = workflows.open_event_store(path)
    store_bodies(store, delivered)

    report = workflows.reconcile(client, store)
    expected = analytics(client, ids)
    assert {c.campaign_id for c in report.campaigns} == set(ids)
    assert all(c.drifted for c in report.campaigns)
    assert report.in_sync, [(c.campaign_id, m) for c in report.campaigns for m in c.metrics if m.remaining]
    assert report.events_backfilled > 0
    for campaign in report.campaigns:
        for m in campaign.metrics:
            assert m.local + m.backfilled == expected[campaign.campaign_id][m.metric], m
            assert m.remaining == 0 and m.reason is None
        assert campaign.leads_listed == 40
        assert campaign.replies_listed > 0  # replies were missing: read from /emails

    before_late = engagement(path)
    # Everything Instantly never delivered arrives now: nothing changes.
    store_bodies(store, missed)
    assert engagement(path) == before_late
    again = workflows.reconcile(client, store)
    assert again.in_sync and not any(c.drifted for c in again.campaigns)
    assert again.events_backfilled == 0
    # A reply counted once per reply, though told twice (backfill, then the late webhook).
    replies = {cid: 0 for cid in ids}
    for row in client.emails.list(email_type="received", limit=100):
        if not row.to_dict().get("is_auto_reply"):
            replies[row.campaign_id] += 1
    with sqlite3.connect(path) as db:
        for cid in ids:
            stored = db.execute("SELECT SUM(reply_count) FROM engagement WHERE campaign_id = ?", (cid,)).fetchone()[0]
            assert stored == replies[cid]
    store.close()


def test_a_store_in_sync_is_left_alone_and_force_rechecks_every_lead(client, mock, collector, tmp_path):
    ids = run_campaigns(client, mock, collector, campaigns=1, leads=20)
    store = workflows.open_event_store(str(tmp_path / "events.db"))
    store_bodies(store, collector.bodies)
    report = workflows.reconcile(client, store)
    assert report.in_sync
    (campaign,) = report.campaigns
    assert not campaign.drifted and campaign.leads_listed == 0 and campaign.events_backfilled == 0
    forced = workflows.reconcile(client, store, force=True)
    (campaign,) = forced.campaigns
    assert campaign.leads_listed == 20 and campaign.events_backfilled == 0 and forced.in_sync
    assert ids == [campaign.campaign_id]
    store.close()


def test_the_wrong_workspace_is_refused_and_nothing_changes(client, mock, collector, tmp_path):
    run_campaigns(client, mock, collector, campaigns=1, leads=10)
    path = str(tmp_path / "events.db")
    store = workflows.open_event_store(path)
    foreign = []
    for body in collector.bodies[:20]:
        payload = json.loads(body)
        payload["workspace"] = "another-workspace"
        foreign.append(json.dumps(payload).encode())
    store_bodies(store, foreign)
    before = store.counts()
    with pytest.raises(workflows.WrongWorkspaceError, match="another-workspace.*nothing was changed"):
        workflows.reconcile(client, store)
    assert store.counts() == before

    # Campaigns the workspace does not have, named explicitly: refused as well.
    store2 = workflows.open_event_store(str(tmp_path / "other.db"))
    with pytest.raises(workflows.WrongWorkspaceError, match="no campaign not-a-campaign"):
        workflows.reconcile(client, store2, campaigns=["not-a-campaign"])
    assert store2.counts() == (0, 0, 0, 0)
    store.close()
    store2.close()


def test_campaigns_the_store_does_not_know_are_reported_not_touched(client, mock, collector, tmp_path):
    ids = run_campaigns(client, mock, collector, campaigns=2, leads=10)
    store = workflows.open_event_store(str(tmp_path / "events.db"))
    first = [b for b in collector.bodies if json.loads(b)["campaign_id"] == ids[0]]
    store_bodies(store, first)
    report = workflows.reconcile(client, store)
    assert [c.campaign_id for c in report.campaigns] == [ids[0]]
    assert report.unknown_to_store == (ids[1],)
    # Named, it is reconciled (from nothing).
    named = workflows.reconcile(client, store, campaigns=[ids[1]])
    assert named.in_sync and named.campaigns[0].events_backfilled > 0
    store.close()


def test_a_stopped_reconcile_says_what_it_did_not_reach_and_a_second_run_finishes(client, mock, collector, tmp_path):
    ids = run_campaigns(client, mock, collector, campaigns=3, leads=10)
    store = workflows.open_event_store(str(tmp_path / "events.db"))
    store_bodies(store, collector.bodies[::3])
    stop = threading.Event()
    done = []

    def on_campaign(result):
        done.append(result.campaign_id)
        stop.set()  # stop after the first campaign

    report = workflows.reconcile(client, store, stop=stop, on_campaign=on_campaign)
    assert report.stopped and not report.in_sync
    assert len(report.campaigns) == 1 and len(report.not_reached) == 2
    assert set(report.not_reached) | {report.campaigns[0].campaign_id} == set(ids)
    finished = workflows.reconcile(client, store)
    assert finished.in_sync
    assert not next(c for c in finished.campaigns if c.campaign_id == done[0]).drifted
    store.close()


def test_polled_signals_are_stored_once_per_change(client, mock, collector, tmp_path):
    ids = run_campaigns(client, mock, collector, campaigns=1, leads=5)
    path = str(tmp_path / "events.db")
    store = workflows.open_event_store(path)
    store_bodies(store, collector.bodies)
    first = workflows.reconcile(client, store)
    assert first.signals_recorded >= 1
    assert workflows.reconcile(client, store).signals_recorded == 0  # nothing changed since
    client.campaigns.pause(ids[0])
    assert workflows.reconcile(client, store).signals_recorded == 1
    with sqlite3.connect(path) as db:
        rows = [json.loads(b) for (b,) in db.execute(
            "SELECT body FROM events WHERE event_type = 'campaign_status_changed' ORDER BY id")]
    assert [r["status"] for r in rows][-1] == 2 and rows[-1]["previous_status"] == rows[-2]["status"]
    store.close()


def test_the_sqlite_store_keeps_one_event_per_identity(tmp_path):
    """A backfill and the late webhook delivery of one event have other dedupe keys but one
    identity: the second is not stored (migrations/sqlite/0003_reconcile.sql)."""
    store = workflows.open_event_store(str(tmp_path / "events.db"))

    def stored(event_type, lead="ann@cafe.example", timestamp="2026-01-05T10:00:00Z", **fields):
        body = json.dumps({"timestamp": timestamp, "event_type": event_type, "workspace": "w",
                           "campaign_id": "c-1", "campaign_name": "C", "lead_email": lead, **fields}).encode()
        return store.store_deliveries([event_row(webhooks.parse(body), body, "2026-01-05T10:00:01Z")], [])[0]

    assert stored("reply_received", email_id="reply-1")
    assert not stored("reply_received", email_id="reply-1", variant=2)        # told again, other fields
    assert stored("reply_received", email_id="reply-2")
    assert stored("auto_reply_received", email_id="reply-3")
    assert not stored("auto_reply_received", email_id="reply-3", step=1)
    assert stored("lead_unsubscribed", lead="Ann@Cafe.example")
    assert not stored("lead_unsubscribed", lead=" ann@cafe.example", step=2)  # one per lead and campaign
    assert stored("email_opened", email_id="sent-1")
    assert stored("email_opened", email_id="sent-1", timestamp="2026-01-05T11:00:00Z")  # opens have no identity
    assert stored("email_sent")                                                # no email id: no identity
    assert stored("email_sent", step=2)
    store.close()
