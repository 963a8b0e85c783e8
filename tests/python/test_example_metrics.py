"""The C++ monitors serve Prometheus metrics while they run: examples/analytics_sync on an
interval and examples/account_health --every, each with --metrics-port 0, against instantly-mock.
Scraped with prometheus_client's own parser; the figures are the runs' and accounts' real ones."""
from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from metric_samples import samples  # python3-prometheus-client, installed by scripts/setup
from mock_process import API_KEY, BUILD_DIR, MockProcess


ANALYTICS_SYNC = os.path.join(BUILD_DIR, "examples", "analytics_sync")
ACCOUNT_HEALTH = os.path.join(BUILD_DIR, "examples", "account_health")
SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True}, "timezone": "America/Detroit"}]}


@pytest.fixture
def mock():
    with MockProcess() as process:
        yield process


def start(program: str, mock: MockProcess, *args: str) -> tuple[subprocess.Popen, str]:
    """Starts `program` against the mock; returns it and its /metrics address (from stderr)."""
    if not os.path.exists(program):
        pytest.skip(f"{program} is not built")
    env = {**os.environ, "INSTANTLY_API_KEY": API_KEY, "INSTANTLY_BASE_URL": mock.url}
    env.pop("INSTANTLY_WORKSPACE", None)
    env.pop("INSTANTLY_LOG", None)
    process = subprocess.Popen([program, *args, "--metrics-port", "0"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    if " metrics on " not in line:
        process.kill()
        process.wait()
        pytest.fail(f"no metrics address from {program}: {line!r}{process.stderr.read()}")
    return process, line.rsplit(" ", 1)[1].strip()


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of one scrape."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = answer.read().decode()
    return samples(text)


def scrape_until(url: str, ready, deadline_s: float = 60) -> dict:
    deadline = time.monotonic() + deadline_s
    while True:
        samples = scrape(url)
        if ready(samples) or time.monotonic() > deadline:
            return samples
        time.sleep(0.1)


def test_analytics_sync_serves_its_runs_and_the_clients_requests(mock, tmp_path):
    for name in ("Cafes LA", "Bakeries SF"):
        status, body, _ = mock.request("POST", "/api/v2/campaigns", {"name": name, "campaign_schedule": SCHEDULE})
        assert status == 200, body
    before = time.time()
    process, url = start(ANALYTICS_SYNC, mock, "--db", str(tmp_path / "analytics.sqlite"), "--interval", "1")
    try:
        finished = ("instantly_analytics_sync_runs_total", (("outcome", "finished"),))
        samples = scrape_until(url, lambda s: s.get(finished, 0) >= 2)
    finally:
        assert stop(process) == 0
    assert samples[finished] >= 2
    assert samples[("instantly_analytics_sync_campaigns", ())] == 2
    assert samples[("instantly_analytics_sync_last_success_timestamp_seconds", ())] >= before - 1
    analytics = ("instantly_requests_total", (("method", "GET"), ("operation", "getCampaignAnalytics"),
                                              ("status", "200")))
    assert samples[analytics] >= 2  # one analytics call per run for two campaigns
    assert not any(API_KEY in str(key) for key in samples)


def test_account_health_every_n_seconds_serves_the_verdicts(mock):
    for email, state in (("ann@acme.test", {"warmup_status": 1, "stat_warmup_score": 100}),
                         ("cy@slow.test", {"warmup_status": 1, "stat_warmup_score": 70})):
        status, body, _ = mock.request("POST", "/api/v2/accounts", {
            "email": email, "first_name": "Ann", "last_name": "Sender", "provider_code": 1,
            "imap_username": email, "imap_password": "imap-secret", "imap_host": "imap.example.com",
            "imap_port": 993, "smtp_username": email, "smtp_password": "smtp-secret",
            "smtp_host": "smtp.example.com", "smtp_port": 587})
        assert status == 200, body
        status, body, _ = mock.request("POST", f"/__mock/accounts/{email}/state", state)
        assert status == 200, body
    process, url = start(ACCOUNT_HEALTH, mock, "--every", "1")
    try:
        checked = ("instantly_account_health_last_check_timestamp_seconds", ())
        samples = scrape_until(url, lambda s: s.get(checked, 0) > 0)
    finally:
        assert stop(process) == 0  # the last check found a warning, nothing critical
    assert samples[("instantly_account_health_accounts", (("verdict", "ok"),))] == 1
    assert samples[("instantly_account_health_accounts", (("verdict", "warning"),))] == 1
    assert samples[("instantly_account_health_accounts", (("verdict", "critical"),))] == 0
