"""instantly.workflows.AnalyticsSync against instantly-mock: call counts per chunk, drafts included,
rates that are None while nobody was contacted, values and deltas after simulated sending,
deltas against stored snapshots, the extras, the GIL released while waiting; and
examples/analytics_sync --once writing its SQLite rows."""
from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import SCHEDULE, TEST_KEY, CounterThread
from mock_process import BUILD_DIR, MockProcess

EXAMPLE = os.path.join(BUILD_DIR, "examples", "analytics_sync")
SEQUENCE = [{"steps": [{"type": "email", "delay": 1, "variants": [{"subject": "Hello", "body": "Hi"}]},
                       {"type": "email", "delay": 1, "variants": [{"subject": "Again", "body": "Hi again"}]}]}]


def new_campaign(client, name: str, leads: int = 0, draft: bool = False):
    campaign = client.campaigns.create(name=name, campaign_schedule=SCHEDULE, sequences=SEQUENCE,
                                       email_list=["sender@acme.test"])
    if leads:
        client.leads.add(campaign_id=campaign.id,
                         leads=[{"email": f"{name.lower().replace(' ', '-')}-{i}@example.org"} for i in range(leads)])
    if not draft:
        client.campaigns.activate(campaign.id)
    return campaign.id


def send(mock, campaign_id: str, *, opened: float = 0.0, replied: float = 0.0) -> None:
    rates = {"opened": opened, "clicked": 0.0, "replied": replied, "bounced": 0.0, "unsubscribed": 0.0,
             "auto_reply": 0.0}
    status, _, _ = mock.request("POST", "/__mock/send", {"campaign_id": campaign_id, "seed": 5, "rates": rates})
    assert status == 200


def calls(mock, operation: str) -> int:
    status, stats, _ = mock.request("GET", "/__mock/stats")
    assert status == 200
    return stats["operations"].get(operation, 0)


def reset_stats(mock) -> None:
    mock.request("POST", "/__mock/stats/reset", {})


def test_n_campaigns_take_ceil_n_over_k_analytics_calls_and_drafts_are_included(client, mock):
    from instantly import workflows
    ids = [new_campaign(client, f"Chunk {i}", draft=i % 2 == 1) for i in range(5)]
    reset_stats(mock)
    result = workflows.AnalyticsSync(client, chunk_size=2).sync()
    assert calls(mock, "getCampaignAnalytics") == 3
    assert result.analytics_calls == 3
    assert result.requests == 3 + calls(mock, "listCampaign")
    assert [s.campaign_id for s in result.snapshots] == ids
    drafts = [s for s in result.snapshots if s.campaign_status == 0]
    assert [s.campaign_id for s in drafts] == [ids[1], ids[3]]
    assert all(s.reported for s in result.snapshots)

    reset_stats(mock)
    workflows.AnalyticsSync(client, campaign_ids=ids).sync()
    assert calls(mock, "getCampaignAnalytics") == 1
    assert calls(mock, "listCampaign") == 0


def test_rates_are_none_until_someone_is_contacted_then_follow_the_sends(client, mock):
    from instantly import workflows
    campaign_id = new_campaign(client, "Rates", leads=4)
    sync = workflows.AnalyticsSync(client, campaign_ids=[campaign_id])

    idle = sync.sync()
    snapshot = idle.snapshots[0]
    assert snapshot.leads_count == 4
    assert snapshot.contacted == 0
    assert (snapshot.open_rate, snapshot.reply_rate, snapshot.click_rate, snapshot.bounce_rate,
            snapshot.unsubscribe_rate) == (None, None, None, None, None)
    assert idle.deltas[0].first_seen and idle.deltas[0].since is None

    send(mock, campaign_id, opened=1.0)
    opened = sync.sync()
    snapshot = opened.find(campaign_id)
    assert (snapshot.contacted, snapshot.emails_sent, snapshot.opened_unique) == (4, 4, 4)
    assert snapshot.open_rate == pytest.approx(1.0)
    assert snapshot.reply_rate == pytest.approx(0.0)
    delta = opened.find_delta(campaign_id)
    assert not delta.first_seen
    assert delta.since == idle.taken_at
    assert (delta.emails_sent, delta.contacted) == (4, 4)

    send(mock, campaign_id, replied=1.0)
    replied = sync.sync()
    assert replied.snapshots[0].reply_rate == pytest.approx(1.0)
    assert replied.deltas[0].replies_unique == 4
    assert replied.deltas[0].contacted == 0  # the same four leads, second step
    assert sync.previous == replied.snapshots


def test_deltas_against_stored_snapshot_dicts(client, mock):
    from instantly import workflows
    campaign_id = new_campaign(client, "Stored", leads=3)
    send(mock, campaign_id, opened=1.0)
    first = workflows.AnalyticsSync(client).sync()
    stored = [s.to_dict() for s in first.snapshots]  # what an application keeps between runs
    assert stored[0]["taken_at"].tzinfo is not None
    assert stored[0]["open_rate"] == pytest.approx(1.0)
    assert workflows.CampaignSnapshot.from_dict(stored[0]) == first.snapshots[0]

    send(mock, campaign_id, replied=1.0)
    later = workflows.AnalyticsSync(client).sync(previous=stored)  # a new object: nothing remembered
    delta = later.find_delta(campaign_id)
    assert not delta.first_seen
    assert delta.since == first.taken_at
    assert delta.emails_sent == 3
    assert delta.to_dict()["replies_unique"] == 3

    client.campaigns.delete(campaign_id)
    gone = workflows.AnalyticsSync(client).sync(previous=later)
    assert gone.snapshots == [] and gone.dropped == [campaign_id]


def test_overview_daily_and_steps_on_request(client, mock):
    from instantly import ValidationError, workflows
    a = new_campaign(client, "Extras A", leads=2)
    b = new_campaign(client, "Extras B", leads=3)
    send(mock, a, opened=1.0)
    send(mock, b, replied=1.0)
    reset_stats(mock)
    result = workflows.AnalyticsSync(client, campaign_ids=[a, b], include_overview=True, daily="per_campaign",
                                     steps="workspace", start_date=datetime.date(2000, 1, 1)).sync()
    assert calls(mock, "getCampaignAnalyticsOverview") == 1
    assert calls(mock, "getDailyCampaignAnalytics") == 2
    assert calls(mock, "getCampaignStepsAnalytics") == 1
    overview = result.overview
    assert isinstance(overview, workflows.AnalyticsOverview)
    assert (overview.contacted, overview.opened_unique, overview.replies_unique) == (5, 2, 3)
    assert overview.reply_rate == pytest.approx(0.6)
    assert [(d.campaign_id, d.sent) for d in result.daily] == [(a, 2), (b, 3)]
    assert isinstance(result.daily[0], workflows.CampaignDailyAnalytics)
    assert len(result.daily[0].date) == 10
    assert [(s.campaign_id, s.step, s.variant, s.sent) for s in result.steps] == [(None, "1", "0", 5)]

    sync = workflows.AnalyticsSync(client)
    assert sync.overview() == overview
    assert sync.daily(b)[0].replies_unique == 3
    assert sync.steps(a)[0].to_dict()["opened_unique"] == 2
    with pytest.raises(ValidationError):
        workflows.AnalyticsSync(client, daily="hourly")
    with pytest.raises(ValidationError):
        workflows.AnalyticsSync(client, chunk_size=0)
    with pytest.raises(ValidationError):
        workflows.AnalyticsSync(client, campaign_ids=[])


def test_sync_releases_the_gil_while_waiting():
    import instantly
    from instantly import workflows
    with MockProcess(["--latency-ms", "300", "--no-rate-limit"]) as slow:
        with instantly.Client(api_key=TEST_KEY, base_url=slow.url) as client:
            sync = workflows.AnalyticsSync(client, campaign_ids=["019a0000-0000-7000-8000-00000000beef"])
            with CounterThread() as counter:
                before = counter.count
                result = sync.sync()
                during = counter.count - before
    assert not result.snapshots[0].reported
    assert during > 1000, f"the counter thread only ran {during} times during a 0.3 s sync"


def test_example_once_appends_one_row_per_campaign_per_sync(client, mock, tmp_path):
    if not os.path.exists(EXAMPLE):
        pytest.skip(f"{EXAMPLE} is not built")
    active = new_campaign(client, "Example live", leads=2)
    draft = new_campaign(client, "Example draft", leads=1, draft=True)
    send(mock, active, opened=1.0)
    db = tmp_path / "analytics.sqlite"
    env = {**os.environ, "INSTANTLY_API_KEY": TEST_KEY, "INSTANTLY_BASE_URL": mock.url}

    def run_once() -> subprocess.CompletedProcess:
        done = subprocess.run([EXAMPLE, "--db", str(db), "--once", "--chunk-size", "1"], env=env,
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        assert TEST_KEY not in done.stdout + done.stderr
        return done

    first = run_once()
    assert "2 campaigns (2 new, 0 gone), 3 calls: +2 sent" in first.stdout
    send(mock, active, replied=1.0)
    second = run_once()
    assert "(0 new, 0 gone)" in second.stdout and "+2 sent, +2 replies" in second.stdout  # baseline read back

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = connection.execute(
            "SELECT campaign_id, campaign_status, contacted, emails_sent, replies_unique FROM campaign_snapshots"
            " ORDER BY taken_at_ms, campaign_id").fetchall()
        syncs = connection.execute("SELECT COUNT(DISTINCT taken_at_ms) FROM campaign_snapshots").fetchone()[0]
        rates = dict(connection.execute(
            "SELECT campaign_id, reply_rate FROM campaign_rates WHERE taken_at ="
            " (SELECT MAX(taken_at) FROM campaign_snapshots)").fetchall())
    assert syncs == 2
    assert len(rows) == 4
    latest = {row[0]: row[1:] for row in rows[2:]}
    assert latest[active] == (3, 2, 4, 2)  # completed (3): both steps sent
    assert latest[draft] == (0, 0, 0, 0)
    assert rates == {active: pytest.approx(1.0), draft: None}


def test_example_refuses_to_run_without_a_key(tmp_path):
    if not os.path.exists(EXAMPLE):
        pytest.skip(f"{EXAMPLE} is not built")
    env = {k: v for k, v in os.environ.items() if k != "INSTANTLY_API_KEY"}
    done = subprocess.run([EXAMPLE, "--db", str(tmp_path / "x.sqlite"), "--once"], env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 1
    assert "INSTANTLY_API_KEY" in done.stderr


def test_example_once_into_the_pipelines_postgres_keeps_its_baseline_there(client, mock, tmp_path):
    """--database: the snapshots go to instantly_analytics_snapshots in the organisation's rows, and
    the next run's deltas start from the last recorded sync (read back from PostgreSQL)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from pipeline_database import APP_PASSWORD, ORG_A, PipelineDatabase, has_postgres_component
    if not (os.path.exists(EXAMPLE) and has_postgres_component()):
        pytest.skip("this build has no postgres component")
    active = new_campaign(client, "Example live", leads=2)
    send(mock, active, opened=1.0)
    with PipelineDatabase() as pipeline:
        env = {**os.environ, "INSTANTLY_API_KEY": TEST_KEY, "INSTANTLY_BASE_URL": mock.url,
               "INSTANTLY_DATABASE_URL": pipeline.app_url}

        def run_once() -> subprocess.CompletedProcess:
            done = subprocess.run([EXAMPLE, "--organization", ORG_A, "--once"], env=env, capture_output=True,
                                  text=True, timeout=30)
            assert done.returncode == 0, done.stderr
            assert APP_PASSWORD not in done.stdout + done.stderr
            return done

        assert "1 campaigns (1 new, 0 gone)" in run_once().stdout
        send(mock, active, replied=1.0)
        second = run_once()
        assert "(0 new, 0 gone)" in second.stdout and "+2 sent, +2 replies" in second.stdout  # baseline read back
        rows = pipeline.query("SELECT organization_id, campaign_id, emails_sent, replied FROM instantly_analytics_snapshots"
                              " ORDER BY taken_at")
        assert rows == [[ORG_A, active, "2", "0"], [ORG_A, active, "4", "2"]]
