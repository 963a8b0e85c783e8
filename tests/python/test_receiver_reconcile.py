"""Nothing lost, end to end (issue #22): a receiver down long enough that instantly-mock gives up
and disables the subscription; the watcher (`instantly webhooks watch`) resumes it and records the
gap; the reconcile (`instantly sync reconcile`) backfills from the API, after which every
campaign's counts in PostgreSQL equal the mock's analytics; and the missed deliveries, replayed
late, change nothing. Both receivers (C++ and Python), a real PostgreSQL, the commands users run."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mock_process import MockProcess
from pipeline_database import ORG_A, PipelineDatabase, has_postgres_component
from receiver_process import HEADER, PATH, PYTHON_DIR, SECRET, ReceiverProcess, kind, python_package_built  # noqa: F401
from test_webhook_receiver import RATES, SCHEDULE, SENDER, deliveries, ok

TEST_KEY = "sk-test-reconcile-0123456789"

pytestmark = [
    pytest.mark.skipif(not has_postgres_component(), reason="this build has no postgres component"),
    pytest.mark.skipif(not python_package_built(), reason="the Python package is not built"),
]

# The metrics the reconcile compares, and the event type each counts (distinct leads).
UNIQUE_LEADS = {"contacted_count": "email_sent", "open_count_unique": "email_opened",
                "link_click_count_unique": "link_clicked", "reply_count_unique": "reply_received",
                "bounced_count": "email_bounced", "unsubscribed_count": "lead_unsubscribed"}


def make_campaigns(mock: MockProcess, count: int, leads: int) -> list[str]:
    ok(mock, "POST", "/api/v2/accounts", {
        "email": SENDER, "first_name": "Sam", "last_name": "Sender", "provider_code": 2,
        "imap_username": SENDER, "imap_password": "x", "imap_host": "imap.example.com", "imap_port": 993,
        "smtp_username": SENDER, "smtp_password": "x", "smtp_host": "smtp.example.com", "smtp_port": 587})
    ids = []
    for n in range(count):
        campaign = ok(mock, "POST", "/api/v2/campaigns", {
            "name": f"Reconcile {n}", "campaign_schedule": SCHEDULE, "email_list": [SENDER],
            "sequences": [{"steps": [
                {"type": "email", "delay": 1, "variants": [{"subject": "Hi {{firstName}}", "body": "Hello"},
                                                           {"subject": "Hello {{firstName}}", "body": "Hi"}]},
                {"type": "email", "delay": 2, "variants": [{"subject": "Following up", "body": "Again"}]}]}]})
        ok(mock, "POST", "/api/v2/leads/add", {"campaign_id": campaign["id"], "leads": [
            {"email": f"lead{i}@shop{n}.example.org", "first_name": f"Lead{i}"} for i in range(leads)]})
        ok(mock, "POST", f"/api/v2/campaigns/{campaign['id']}/activate")
        ids.append(campaign["id"])
    return ids


def send(mock: MockProcess, campaign_id: str, step: int, seed: int) -> None:
    ok(mock, "POST", "/__mock/send", {"campaign_id": campaign_id, "step": step, "seed": seed, "rates": RATES})
    assert ok(mock, "POST", "/__mock/webhooks/flush", {"timeout_ms": 30000}) == {"idle": True}


def cli(mock: MockProcess, pipeline: PipelineDatabase, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTANTLY_")}
    env.update(PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1", INSTANTLY_API_KEY=TEST_KEY,
               INSTANTLY_BASE_URL=mock.url, INSTANTLY_DATABASE_URL=pipeline.app_url)
    result = subprocess.run([sys.executable, "-m", "instantly.cli", *args, "--organization", ORG_A, "-o", "json"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    for secret in (TEST_KEY, pipeline.app_url.split(":")[2].split("@")[0]):
        assert secret not in result.stdout + result.stderr
    return result


def local_counts(pipeline: PipelineDatabase, campaign_id: str) -> dict:
    """The store's counts by an independent reading: distinct leads per event type, and sends as
    distinct (lead, step)."""
    counts = {}
    for metric, event_type in UNIQUE_LEADS.items():
        [[n]] = pipeline.query("SELECT count(DISTINCT lower(lead_email)) FROM instantly_email_events"
                               f" WHERE campaign_id = '{campaign_id}' AND event_type = '{event_type}'")
        counts[metric] = int(n)
    [[sends]] = pipeline.query("SELECT count(DISTINCT lower(lead_email) || ':' || (body::jsonb ->> 'step'))"
                               " FROM instantly_email_events"
                               f" WHERE campaign_id = '{campaign_id}' AND event_type = 'email_sent'")
    counts["emails_sent_count"] = int(sends)
    return counts


def remote_counts(mock: MockProcess, campaign_id: str) -> dict:
    [row] = ok(mock, "GET", f"/api/v2/campaigns/analytics?id={campaign_id}")
    return {metric: row[metric] for metric in [*UNIQUE_LEADS, "emails_sent_count"]}


def engagement(pipeline: PipelineDatabase) -> list:
    return pipeline.query("SELECT campaign_id, lead_email, email_sent_at, email_opened_at, email_clicked_at,"
                          " email_replied_at, email_bounced_at, unsubscribed_at, reply_count, email_status"
                          " FROM instantly_lead_engagement ORDER BY 1, 2")


def replies_on_record(mock: MockProcess, campaign_id: str) -> int:
    emails = ok(mock, "GET", f"/api/v2/emails?campaign_id={campaign_id}&email_type=received&limit=100")["items"]
    return sum(1 for e in emails if not e.get("is_auto_reply"))


def test_disabled_subscription_is_resumed_and_the_reconcile_heals_every_campaign(tmp_path, kind):
    with PipelineDatabase() as pipeline, \
            MockProcess(["--webhook-retry-delays", "20,40"]) as mock:
        campaigns = make_campaigns(mock, count=2, leads=25)
        first = ReceiverProcess(tmp_path / "r1", kind=kind, database=pipeline.app_url, organization=ORG_A)
        with first:
            port = first.port
            url = first.url + PATH
            webhook = ok(mock, "POST", "/api/v2/webhooks", {"target_hook_url": url, "event_type": "all_events",
                                                             "headers": {HEADER: SECRET}})
            for n, campaign_id in enumerate(campaigns):
                send(mock, campaign_id, 1, seed=30 + n)
            first.wait_until_applied(timeout=60)
        # The receiver is down: step 2 of the first campaign fails every retry, and the subscription
        # is disabled; the second campaign's step 2 is never even attempted.
        send(mock, campaigns[0], 2, seed=40)
        assert ok(mock, "GET", f"/api/v2/webhooks/{webhook['id']}")["status"] == -1
        send(mock, campaigns[1], 2, seed=41)
        assert local_counts(pipeline, campaigns[0]) != remote_counts(mock, campaigns[0])

        with ReceiverProcess(tmp_path / "r2", kind=kind, database=pipeline.app_url, organization=ORG_A,
                             port=port) as second:
            watched = cli(mock, pipeline, "webhooks", "watch", "--url", url)
            assert watched.returncode == 0, watched.stderr
            assert f"subscription {webhook['id']}" in watched.stderr and "resumed" in watched.stderr
            assert ok(mock, "GET", f"/api/v2/webhooks/{webhook['id']}")["status"] == 1
            [[gaps, open_gaps]] = pipeline.query(
                "SELECT count(*), count(*) FILTER (WHERE reconciled_at IS NULL) FROM instantly_webhook_gaps")
            assert (gaps, open_gaps) == ("1", "1")

            reconciled = cli(mock, pipeline, "sync", "reconcile")
            assert reconciled.returncode == 0, reconciled.stderr
            report = json.loads(reconciled.stdout)
            assert report["in_sync"] is True and report["gaps_closed"] == 1, report
            assert {c["campaign_id"] for c in report["campaigns"]} == set(campaigns)
            assert sum(c["events_backfilled"] for c in report["campaigns"]) > 0
            for campaign_id in campaigns:
                assert local_counts(pipeline, campaign_id) == remote_counts(mock, campaign_id)
                [[reply_count]] = pipeline.query("SELECT coalesce(sum(reply_count), 0) FROM instantly_lead_engagement"
                                                 f" WHERE campaign_id = '{campaign_id}'")
                assert int(reply_count) == replies_on_record(mock, campaign_id)
            healed = engagement(pipeline)
            with_identity = ("SELECT event_type, count(*) FROM instantly_email_events WHERE event_type IN"
                             " ('reply_received', 'auto_reply_received', 'lead_unsubscribed') GROUP BY 1 ORDER BY 1")
            identified_before = pipeline.query(with_identity)

            # What Instantly never delivered arrives now, late: stored as duplicates, nothing changes.
            replayed = ok(mock, "POST", "/__mock/webhooks/replay", {"webhook_id": webhook["id"]})
            assert replayed["replayed"] > 0
            assert ok(mock, "POST", "/__mock/webhooks/flush", {"timeout_ms": 30000}) == {"idle": True}
            second.wait_until_applied(timeout=60)
            for campaign_id in campaigns:
                assert local_counts(pipeline, campaign_id) == remote_counts(mock, campaign_id)
            assert engagement(pipeline) == healed
            again = json.loads(cli(mock, pipeline, "sync", "reconcile").stdout)
            assert again["in_sync"] and not any(c["drifted"] for c in again["campaigns"])
            assert sum(c["events_backfilled"] for c in again["campaigns"]) == 0
            # Opens, clicks and sends rebuilt from a lead have no email id to meet their late delivery
            # by, so those late rows are stored (and counted once, by lead); replies, auto-replies and
            # unsubscribes were backfilled with their identity, and their late deliveries add no row.
            assert pipeline.query(with_identity) == identified_before
            late = [d["payload"]["event_type"] for d in deliveries(mock, webhook["id"]) if d.get("replay")]
            assert "reply_received" in late and len(late) == replayed["replayed"]  # the check above saw some
            [[replies, reply_ids]] = pipeline.query(
                "SELECT count(*), count(DISTINCT body::jsonb ->> 'email_id') FROM instantly_email_events"
                " WHERE event_type = 'reply_received'")
            assert replies == reply_ids


def test_a_reconcile_against_another_workspace_changes_nothing(tmp_path):
    with PipelineDatabase() as pipeline, MockProcess([]) as mock:
        campaigns = make_campaigns(mock, count=1, leads=5)
        with ReceiverProcess(tmp_path / "r", kind="python", database=pipeline.app_url, organization=ORG_A) as receiver:
            ok(mock, "POST", "/api/v2/webhooks", {"target_hook_url": receiver.url + PATH, "event_type": "all_events",
                                                   "headers": {HEADER: SECRET}})
            send(mock, campaigns[0], 1, seed=5)
            receiver.wait_until_applied(timeout=60)
        [[events]] = pipeline.query("SELECT count(*) FROM instantly_email_events")
        ok(mock, "POST", "/__mock/reset", {})  # another workspace: none of the store's campaigns exists
        make_campaigns(mock, count=1, leads=5)
        result = cli(mock, pipeline, "sync", "reconcile")
        assert result.returncode == 1
        assert "nothing was changed" in result.stderr, result.stderr
        assert pipeline.query("SELECT count(*) FROM instantly_email_events") == [[events]]
