"""`--metrics-port` and `--every` of `instantly sync analytics` and `instantly accounts health`:
the command repeats, serves /metrics (the sync's runs, the accounts' verdicts, the client's
requests) and /healthz while it runs, and SIGTERM ends it with exit 0."""
from __future__ import annotations

import http.client
import signal
import subprocess
import time

from cli_process import cli_command, cli_mock, env  # cli_mock, env: fixtures
from conftest import SCHEDULE, TEST_KEY
from metric_samples import samples

SENDER = "sam@sender.example.com"


def api(mock, method, path, body=None):
    status, answer, _ = mock.request(method, path, body, headers={"Authorization": f"Bearer {TEST_KEY}"})
    assert 200 <= status < 300, (status, answer)
    return answer


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


class RunningCommand:
    """The command in the background; its stderr's first line names the metrics URL."""

    def __init__(self, env, *args: str) -> None:
        self.process = subprocess.Popen(cli_command(*args), env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline().strip()
        assert line.startswith("metrics on http://127.0.0.1:") and line.endswith("/metrics"), line
        self.port = int(line.rsplit(":", 1)[1].split("/", 1)[0])

    def metrics_when(self, ready, timeout: float = 30) -> dict:
        """Polls /metrics until `ready(samples)` holds (or the deadline passed: the caller's
        assertions then show what was there)."""
        deadline = time.monotonic() + timeout
        while True:
            status, text = get(self.port, "/metrics")
            assert status == 200
            found = samples(text)
            if ready(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def stop(self) -> tuple[int, str, str]:
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


def test_sync_analytics_every_serves_its_runs_until_sigterm(env, cli_mock):
    for name in ("Cafes Austin", "Bakeries Boston"):
        api(cli_mock, "POST", "/api/v2/campaigns", {"name": name, "campaign_schedule": SCHEDULE})
    command = RunningCommand(env, "sync", "analytics", "--metrics-port", "0", "--every", "0.1", "-o", "json")
    try:
        runs = ("instantly_analytics_sync_runs_total", (("outcome", "finished"),))
        found = command.metrics_when(lambda f: f.get(runs, 0) >= 2)
        assert found[runs] >= 2  # it repeated
        assert found[("instantly_analytics_sync_campaigns", ())] == 2
        assert found[("instantly_analytics_sync_last_success_timestamp_seconds", ())] > 1.7e9
        # The client's own metrics come along: its calls went through the observer too.
        assert found[("instantly_calls_total", (("operation", "getCampaignAnalytics"), ("outcome", "succeeded")))] >= 2
        assert get(command.port, "/healthz")[0] == 200
        assert get(command.port, "/nothing")[0] == 404
    finally:
        code, out, err = command.stop()
    assert code == 0, err
    assert out.count('"snapshots"') >= 2
    assert TEST_KEY not in out + err


def test_accounts_health_every_serves_the_verdicts(env, cli_mock):
    api(cli_mock, "POST", "/api/v2/accounts", {
        "email": SENDER, "first_name": "Sam", "last_name": "Sender", "provider_code": 2,
        "imap_username": SENDER, "imap_password": "x", "imap_host": "imap.example.com", "imap_port": 993,
        "smtp_username": SENDER, "smtp_password": "x", "smtp_host": "smtp.example.com", "smtp_port": 587})
    api(cli_mock, "POST", f"/__mock/accounts/{SENDER}/state", {"vitals": {"spf": False}})
    # --fail-on critical fails every run; with --every that is a line on stderr, not the end.
    command = RunningCommand(env, "accounts", "health", "--metrics-port", "0", "--every", "0.1",
                             "--fail-on", "critical", "-o", "json")
    try:
        checked = ("instantly_account_health_last_check_timestamp_seconds", ())
        found = command.metrics_when(lambda f: f.get(checked, 0) > 0)
        assert found[("instantly_account_health_accounts", (("verdict", "critical"),))] == 1
        assert found[("instantly_account_health_accounts", (("verdict", "ok"),))] == 0
        assert found[("instantly_account_health_accounts", (("verdict", "warning"),))] == 0
    finally:
        code, out, err = command.stop()
    assert code == 0, err
    assert "instantly: error: 1 account(s) at critical or worse" in err
    assert "Traceback" not in err


def test_without_every_the_command_runs_once_and_a_bad_port_is_a_usage_error(env, cli_mock):
    once = subprocess.run(cli_command("sync", "analytics", "--metrics-port", "0", "-o", "json"), env=env,
                          capture_output=True, text=True, timeout=60)
    assert once.returncode == 0, once.stderr
    assert once.stderr.startswith("metrics on http://127.0.0.1:")
    bad = subprocess.run(cli_command("sync", "analytics", "--metrics-port", "70000"), env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--metrics-port" in bad.stderr
    never = subprocess.run(cli_command("sync", "analytics", "--every", "0"), env=env,
                           capture_output=True, text=True, timeout=60)
    assert never.returncode == 2 and "--every" in never.stderr
