"""The instantly-mock binary as a user runs it: its command line, its first line of output,
clean shutdown on SIGINT/SIGTERM, and state that survives a restart through --state."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from mock_process import MOCK_BINARY, MockProcess

SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True, "2": True}, "timezone": "America/Detroit"}]}


def test_first_line_names_the_chosen_port_and_sigint_exits_cleanly():
    with MockProcess() as mock:
        assert mock.port > 0
        status, _, _ = mock.request("GET", "/api/v2/campaigns")
        assert status == 200
        assert mock.stop(signal.SIGINT) == 0


def test_bad_options_fail_with_a_clear_message():
    run = subprocess.run([MOCK_BINARY, "--faults", "teapot=0.5"], capture_output=True, text=True, timeout=10)
    assert run.returncode == 2
    assert "unknown fault 'teapot'" in run.stderr
    run = subprocess.run([MOCK_BINARY, "--port"], capture_output=True, text=True, timeout=10)
    assert run.returncode == 2 and "--port" in run.stderr and "required" in run.stderr
    run = subprocess.run([MOCK_BINARY, "--help"], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0 and "--state FILE" in run.stdout


def test_only_the_given_api_keys_are_accepted():
    with MockProcess(["--api-key", "key-one", "--api-key", "key-two"]) as mock:
        for key, want in (("key-one", 200), ("key-two", 200), ("key-three", 401)):
            status, body, _ = mock.request("GET", "/api/v2/campaigns", headers={"Authorization": f"Bearer {key}"})
            assert status == want, body
        status, body, _ = mock.request("GET", "/api/v2/campaigns", headers={"Authorization": "key-one"})
        assert status == 401 and body["statusCode"] == 401


def test_state_file_survives_a_restart(tmp_path):
    state = tmp_path / "mock-state.json"
    with MockProcess(["--state", str(state)]) as mock:
        status, campaign, _ = mock.request("POST", "/api/v2/campaigns",
                                           {"name": "Persisted", "campaign_schedule": SCHEDULE})
        assert status == 200, campaign
        assert mock.stop(signal.SIGTERM) == 0
    assert state.exists()
    with MockProcess(["--state", str(state)]) as mock:
        status, again, _ = mock.request("GET", f"/api/v2/campaigns/{campaign['id']}")
        assert status == 200, again
        assert again["name"] == "Persisted"
        # New ids still sort after the loaded ones (cursor pagination depends on it).
        status, second, _ = mock.request("POST", "/api/v2/campaigns", {"name": "Later", "campaign_schedule": SCHEDULE})
        assert second["id"] > campaign["id"]


def test_unreadable_state_file_stops_startup_with_the_reason(tmp_path):
    state = tmp_path / "broken.json"
    state.write_text("{not json")
    run = subprocess.run([MOCK_BINARY, "--port", "0", "--state", str(state)], capture_output=True, text=True,
                         timeout=10)
    assert run.returncode == 1
    assert "cannot load state file" in run.stderr


def test_latency_is_added_to_every_api_request():
    with MockProcess(["--latency-ms", "150"]) as mock:
        started = time.monotonic()
        status, _, _ = mock.request("GET", "/api/v2/campaigns")
        assert status == 200
        assert time.monotonic() - started >= 0.15


def test_seeded_faults_repeat_across_runs():
    def statuses() -> list[int]:
        with MockProcess(["--faults", "429=0.25,500=0.25", "--seed", "42"]) as mock:
            return [mock.request("GET", "/api/v2/campaigns")[0] for _ in range(30)]
    first = statuses()
    assert first == statuses()
    assert {200, 429, 500} <= set(first)
