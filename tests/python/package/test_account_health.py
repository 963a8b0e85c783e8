"""instantly.workflows.AccountHealth against instantly-mock: typed results for each failure kind
(put in place with POST /__mock/accounts/{email}/state), thresholds and their defaults, batching
by call counts, the GIL released during a check, and examples/account_health as cron runs it."""
from __future__ import annotations

import dataclasses
import datetime
import os
import subprocess
import sys

import pytest

from conftest import TEST_KEY, CounterThread
from mock_process import BUILD_DIR, MockProcess

EXAMPLE = os.path.join(BUILD_DIR, "examples", "account_health")
LATENCY = 0.1


def create_account(mock, email: str) -> None:
    status, body, _ = mock.request("POST", "/api/v2/accounts", {
        "email": email, "first_name": "Ann", "last_name": "Sender", "provider_code": 1,
        "imap_username": email, "imap_password": "imap-secret", "imap_host": "imap.example.com", "imap_port": 993,
        "smtp_username": email, "smtp_password": "smtp-secret", "smtp_host": "smtp.example.com", "smtp_port": 587})
    assert status == 200, body


def set_state(mock, email: str, **state) -> None:
    status, body, _ = mock.request("POST", f"/__mock/accounts/{email}/state", state)
    assert status == 200, body


def create_healthy(mock, email: str, **state) -> None:
    create_account(mock, email)
    set_state(mock, email, **{"warmup_status": 1, "stat_warmup_score": 100, **state})


def calls(mock, operation: str) -> int:
    status, stats, _ = mock.request("GET", "/__mock/stats")
    assert status == 200
    return stats["operations"].get(operation, 0)


def by_email(results):
    return {result.email: result for result in results}


def test_defaults_are_the_documented_ones_and_match_the_cpp_library():
    from instantly import _core
    from instantly.workflows import HealthLevel, HealthReasonCode, HealthThresholds
    t = HealthThresholds()
    assert (t.warmup_score_warning, t.warmup_score_critical) == (80, 60)
    assert (t.bounce_rate_warning, t.bounce_rate_critical, t.min_sent_for_bounce_rate) == (0.03, 0.05, 20)
    assert (t.mx_failing, t.spf_failing, t.dkim_failing) == (HealthLevel.CRITICAL,) * 3
    assert (t.dmarc_failing, t.warmup_paused, t.vitals_unknown) == (HealthLevel.WARNING,) * 3

    defaults = _core.account_health_defaults()
    assert t._to_core() == defaults["thresholds"]
    assert [code.value for code in HealthReasonCode] == defaults["reason_codes"]
    assert (defaults["window_days"], defaults["warmup_batch_size"], defaults["daily_batch_size"]) == (7, 100, 200)


def test_each_failure_kind_comes_back_typed_with_its_reason(client, mock):
    from instantly.workflows import AccountHealth, AccountHealthResult, HealthLevel, HealthReasonCode
    cases = {
        "connection": ({"status": -1}, HealthReasonCode.CONNECTION_ERROR, HealthLevel.CRITICAL),
        "sending": ({"status": -3}, HealthReasonCode.SENDING_ERROR, HealthLevel.CRITICAL),
        "paused": ({"status": 2}, HealthReasonCode.ACCOUNT_PAUSED, HealthLevel.WARNING),
        "warmoff": ({"warmup_status": 0}, HealthReasonCode.WARMUP_PAUSED, HealthLevel.WARNING),
        "banned": ({"warmup_status": -1}, HealthReasonCode.WARMUP_BANNED, HealthLevel.CRITICAL),
        "suspended": ({"warmup_status": -3}, HealthReasonCode.WARMUP_SUSPENDED, HealthLevel.CRITICAL),
        "lowscore": ({"stat_warmup_score": 70}, HealthReasonCode.LOW_WARMUP_SCORE, HealthLevel.WARNING),
        "badscore": ({"stat_warmup_score": 40}, HealthReasonCode.LOW_WARMUP_SCORE, HealthLevel.CRITICAL),
        "nomx": ({"vitals": {"mx": False}}, HealthReasonCode.MX_FAILING, HealthLevel.CRITICAL),
        "nospf": ({"vitals": {"spf": False}}, HealthReasonCode.SPF_FAILING, HealthLevel.CRITICAL),
        "nodkim": ({"vitals": {"dkim": False}}, HealthReasonCode.DKIM_FAILING, HealthLevel.CRITICAL),
        "nodmarc": ({"vitals": {"dmarc": False}}, HealthReasonCode.DMARC_FAILING, HealthLevel.WARNING),
        "bouncy": ({"sent": 100, "bounced": 4}, HealthReasonCode.HIGH_BOUNCE_RATE, HealthLevel.WARNING),
        "bouncier": ({"sent": 100, "bounced": 12}, HealthReasonCode.HIGH_BOUNCE_RATE, HealthLevel.CRITICAL),
    }
    for name, (state, _, _) in cases.items():
        create_healthy(mock, f"ops@{name}.test", **state)
    create_healthy(mock, "ops@control.test", sent=200, bounced=2)

    results = by_email(AccountHealth(client).check())
    assert len(results) == len(cases) + 1
    for name, (_, code, level) in cases.items():
        result = results[f"ops@{name}.test"]
        assert isinstance(result, AccountHealthResult)
        assert result.level == level, name
        assert [reason.code for reason in result.reasons] == [code], name
        assert result.reasons[0].level == level
        assert result.has(code) and result.has(code.value)

    control = results["ops@control.test"]
    assert control.ok and control.level == "ok" and control.reasons == ()
    assert (control.warmup_score, control.sent, control.bounced) == (100, 200, 2)
    assert control.bounce_rate == pytest.approx(0.01)
    assert control.vitals.domain == "control.test" and control.vitals.all_pass is True
    assert control.warmup is not None and control.status == 1 and control.warmup_status == 1

    connection = results["ops@connection.test"]
    assert connection.status == -1 and "535" in connection.status_detail
    assert "535" in connection.reasons[0].message
    assert results["ops@badscore.test"].warmup_score == 40
    assert results["ops@nospf.test"].vitals.spf is False
    assert "12 of 100" in results["ops@bouncier.test"].reasons[0].message

    as_dict = results["ops@bouncier.test"].to_dict()
    assert as_dict["level"] == "critical" and as_dict["sent"] == 100 and as_dict["bounce_rate"] == pytest.approx(0.12)
    assert as_dict["reasons"] == [{"code": "high_bounce_rate", "level": "critical",
                                   "message": results["ops@bouncier.test"].reasons[0].message}]
    assert as_dict["vitals"]["domain"] == "bouncier.test"
    assert "level='critical'" in repr(results["ops@bouncier.test"])


def test_thresholds_change_the_verdict_and_bad_ones_are_rejected(client, mock):
    import instantly
    from instantly.workflows import AccountHealth, HealthLevel, HealthThresholds
    create_healthy(mock, "ann@acme.test", stat_warmup_score=85, sent=100, bounced=2, vitals={"dmarc": False})
    assert AccountHealth(client).check()[0].level == HealthLevel.WARNING  # DMARC only

    strict = HealthThresholds(warmup_score_warning=90, warmup_score_critical=86, bounce_rate_warning=0.01,
                              dmarc_failing="ok")
    result = AccountHealth(client, thresholds=strict).check()[0]
    assert result.level == HealthLevel.CRITICAL
    assert {r.code.value for r in result.reasons} == {"low_warmup_score", "high_bounce_rate"}

    for bad in (HealthThresholds(warmup_score_warning=50), HealthThresholds(bounce_rate_critical=5),
                HealthThresholds(spf_failing="fatal"),
                dataclasses.replace(HealthThresholds(), min_sent_for_bounce_rate=0)):
        with pytest.raises(instantly.ValidationError):
            AccountHealth(client, thresholds=bad)
    with pytest.raises(instantly.ValidationError):
        AccountHealth(client, window_days=32)
    with pytest.raises(instantly.ValidationError):
        AccountHealth(client, warmup_batch_size=101)
    with pytest.raises(instantly.ValidationError):
        AccountHealth(client, end_date="next tuesday")
    with pytest.raises(instantly.ValidationError):
        AccountHealth(client).check(emails="ann@acme.test")  # one string, not a list


def test_the_window_of_days_decides_which_bounces_count(client, mock):
    from instantly.workflows import AccountHealth
    create_healthy(mock, "ann@acme.test")
    set_state(mock, "ann@acme.test", date="2026-03-02", sent=100, bounced=10)
    set_state(mock, "ann@acme.test", date="2026-03-09", sent=50, bounced=0)
    wide = AccountHealth(client, window_days=14, end_date=datetime.date(2026, 3, 10)).check()[0]
    assert (wide.sent, wide.bounced, wide.level) == (150, 10, "critical")
    week = AccountHealth(client, window_days=7, end_date="2026-03-10").check()[0]
    assert (week.sent, week.bounced, week.level) == (50, 0, "ok")


def test_given_emails_are_checked_once_in_order_and_unknown_ones_are_not_found(client, mock):
    from instantly.workflows import AccountHealth, HealthReasonCode
    create_healthy(mock, "ann@acme.test")
    create_healthy(mock, "bob@acme.test")
    results = AccountHealth(client).check(emails=["BOB@acme.test", "ghost@acme.test", "bob@ACME.test"])
    assert [r.email for r in results] == ["bob@acme.test", "ghost@acme.test"]
    assert results[0].ok
    assert results[1].found is False and results[1].level == "critical"
    assert results[1].has(HealthReasonCode.ACCOUNT_NOT_FOUND)
    mock.request("POST", "/__mock/stats/reset")
    assert AccountHealth(client).check(emails=[]) == []
    assert calls(mock, "listAccount") == 0


def test_250_accounts_are_read_in_batches(client, mock):
    from instantly.workflows import AccountHealth
    for i in range(250):
        create_account(mock, f"sender{i}@d{i % 125}.test")  # 125 domains
    mock.request("POST", "/__mock/stats/reset")
    results = AccountHealth(client).check()
    assert len(results) == 250
    assert calls(mock, "listAccount") == 3
    assert calls(mock, "getWarmupAnalytics") == 3          # 100 + 100 + 50
    assert calls(mock, "getDailyAccountAnalytics") == 2    # 200 + 50
    assert calls(mock, "testAccountVitals") == 2           # 100 + 25 domains


def test_an_api_error_reaches_the_caller(client, mock):
    import instantly
    from instantly.workflows import AccountHealth
    create_healthy(mock, "ann@acme.test")
    mock.request("POST", "/__mock/responses", {
        "status": 402, "path": "/api/v2/accounts/warmup-analytics",
        "body": {"statusCode": 402, "error": "Payment Required", "message": "no plan"}})
    with pytest.raises(instantly.PaymentRequiredError):
        AccountHealth(client).check()


@pytest.fixture(scope="module")
def slow_mock():
    with MockProcess(["--no-rate-limit", "--latency-ms", str(int(LATENCY * 1000))]) as process:
        yield process


def test_the_gil_is_released_during_a_check(slow_mock):
    import instantly
    from instantly.workflows import AccountHealth
    create_healthy(slow_mock, "ann@acme.test")
    with instantly.Client(api_key=TEST_KEY, base_url=slow_mock.url) as slow_client:
        health = AccountHealth(slow_client)
        with CounterThread() as counter:
            before = counter.count
            results = health.check()
            during = counter.count - before
    assert len(results) == 1
    assert during > 1000, f"the counter thread only ran {during} times during a {4 * LATENCY} s check"


def run_example(mock, *args):
    if not os.path.exists(EXAMPLE):
        pytest.skip(f"{EXAMPLE} is not built")
    env = {**os.environ, "INSTANTLY_API_KEY": TEST_KEY, "INSTANTLY_BASE_URL": mock.url}
    env.pop("INSTANTLY_WORKSPACE", None)
    return subprocess.run([EXAMPLE, *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_example_prints_a_table_and_exits_non_zero_on_a_critical_account(client, mock):
    create_healthy(mock, "ann@acme.test", sent=100, bounced=1)
    create_healthy(mock, "bob@broken.test", status=-1)
    create_healthy(mock, "cy@slow.test", stat_warmup_score=70)

    run = run_example(mock)
    assert run.returncode == 2, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["EMAIL", "LEVEL", "SCORE", "BOUNCE", "REASONS"]
    rows = {line.split()[0]: line for line in lines[1:4]}
    assert rows["ann@acme.test"].split()[1:4] == ["ok", "100", "1.0%"]
    assert rows["bob@broken.test"].split()[1] == "critical" and "connection error" in rows["bob@broken.test"]
    assert rows["cy@slow.test"].split()[1] == "warning" and "warmup score 70 is below 80" in rows["cy@slow.test"]
    assert "3 accounts: 1 critical, 1 warning" in run.stdout
    assert TEST_KEY not in run.stdout + run.stderr

    # Only the named accounts; warnings alone exit 0.
    run = run_example(mock, "ann@acme.test", "cy@slow.test")
    assert run.returncode == 0, run.stderr
    assert "bob@broken.test" not in run.stdout and "2 accounts: 0 critical, 1 warning" in run.stdout

    # A failing check is exit status 1, not a silent "all fine".
    run = run_example(mock, "--days", "40")
    assert run.returncode == 1 and "window_days" in run.stderr


def test_the_example_records_its_verdicts_in_the_pipelines_postgres(client, mock):
    """--database: one instantly_account_health_snapshots row per account, in the organisation's rows."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from pipeline_database import APP_PASSWORD, ORG_A, PipelineDatabase, has_postgres_component
    if not has_postgres_component():
        pytest.skip("this build has no postgres component")
    create_healthy(mock, "ann@acme.test", sent=100, bounced=1)
    create_healthy(mock, "bob@broken.test", status=-1)
    with PipelineDatabase() as pipeline:
        run = run_example(mock, "--database", pipeline.app_url, "--organization", ORG_A)
        assert run.returncode == 2, run.stderr  # bob is critical; the rows are recorded all the same
        assert "recorded 2 account snapshots in postgresql://pipeline_app@127.0.0.1:" in run.stdout
        assert APP_PASSWORD not in run.stdout + run.stderr
        rows = pipeline.query("SELECT organization_id, account_email, status, jsonb_array_length(reasons)"
                              " FROM instantly_account_health_snapshots ORDER BY account_email")
        assert rows == [[ORG_A, "ann@acme.test", "ok", "0"], [ORG_A, "bob@broken.test", "critical", "1"]]

        run = run_example(mock, "--database", pipeline.app_url)
        assert run.returncode == 1 and "--database needs --organization" in run.stderr
