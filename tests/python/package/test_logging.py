"""The `instantly` logger (instantly/_logging.py): what a client logs about its calls, at which
level, with which fields, that the key never appears, and INSTANTLY_LOG."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from conftest import PYTHON_DIR, SCHEDULE, TEST_KEY


def instantly_records(caplog):
    return [r for r in caplog.records if r.name == "instantly"]


def assert_no_key(caplog):
    assert TEST_KEY not in caplog.text
    for record in instantly_records(caplog):
        assert TEST_KEY not in record.getMessage()
        for value in vars(record).values():
            assert TEST_KEY not in str(value)


def test_a_429_then_success_logs_two_requests_and_a_retry(mock, caplog):
    import instantly
    caplog.set_level(logging.DEBUG, logger="instantly")
    mock.request("POST", "/__mock/reset", {})
    mock.request("POST", "/__mock/responses",
                 {"status": 429, "headers": {"Retry-After": "0"}, "path": "/api/v2/campaigns", "times": 1})
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2) as client:
        client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)

    records = instantly_records(caplog)
    requests = [r for r in records if r.getMessage().startswith("request ")]
    retries = [r for r in records if r.getMessage().startswith("retrying ")]
    assert [r.status for r in requests] == [429, 200]
    assert [r.attempt for r in requests] == [1, 2]
    for record in requests:
        assert record.levelno == logging.DEBUG
        assert record.operation == "createCampaign"
        assert record.method == "POST"
        assert record.path == "/api/v2/campaigns"
        assert record.bytes_out > 0
        assert record.duration_ms >= 0
    assert len(retries) == 1
    retry = retries[0]
    assert retry.levelno == logging.INFO
    assert retry.reason == "rate_limited"
    assert retry.status == 429
    assert retry.delay_ms == 0
    assert retry.delay_from == "retry_after"
    assert "reason=rate_limited" in retry.getMessage()
    assert_no_key(caplog)


def test_giving_up_is_a_warning(mock, caplog):
    import instantly
    caplog.set_level(logging.DEBUG, logger="instantly")
    mock.request("POST", "/__mock/reset", {})
    mock.request("POST", "/__mock/responses",
                 {"status": 429, "headers": {"Retry-After": "0"}, "path": "/api/v2/campaigns", "times": 3})
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2) as client:
        with pytest.raises(instantly.RateLimitError):
            client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)

    warnings = [r for r in instantly_records(caplog) if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].getMessage().startswith("giving up ")
    assert warnings[0].error == "RateLimitError"
    assert warnings[0].attempts == 3
    assert warnings[0].stop_reason == "retries exhausted"
    assert_no_key(caplog)


def test_at_info_requests_are_not_logged(mock, caplog):
    import instantly
    caplog.set_level(logging.INFO, logger="instantly")
    mock.request("POST", "/__mock/reset", {})
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url) as client:
        client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
    assert instantly_records(caplog) == []


def test_nothing_is_printed_by_default(mock):
    # No logging configured: no handler of ours, and the NullHandler keeps logging's last-resort
    # handler from printing warnings.
    result = run_python(mock.url, None, """
import instantly
client = instantly.Client(api_key=KEY, base_url=URL, max_retries=0)
try:
    client.campaigns.get("no-such-campaign")
except instantly.NotFoundError:
    pass
""")
    assert result.stderr == ""


def test_instantly_log_debug_prints_each_request_to_stderr(mock):
    mock.request("POST", "/__mock/reset", {})
    result = run_python(mock.url, "debug", """
import instantly
instantly.Client(api_key=KEY, base_url=URL).campaigns.create(name="Cafes", campaign_schedule=SCHEDULE)
""")
    assert "instantly DEBUG request operation=createCampaign method=POST path=/api/v2/campaigns" in result.stderr
    assert TEST_KEY not in result.stderr


def test_an_unknown_instantly_log_value_is_named_and_ignored(mock):
    result = run_python(mock.url, "verbose", """
import instantly
instantly.Client(api_key=KEY, base_url=URL).campaigns.create(name="Cafes", campaign_schedule=SCHEDULE)
""")
    assert "INSTANTLY_LOG='verbose'" in result.stderr
    assert "ignored" in result.stderr
    assert "request operation=" not in result.stderr


def run_python(url: str, instantly_log, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTANTLY_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if PYTHON_DIR:
        env["PYTHONPATH"] = PYTHON_DIR
    if instantly_log is not None:
        env["INSTANTLY_LOG"] = instantly_log
    prelude = f"KEY = {TEST_KEY!r}\nURL = {url!r}\nSCHEDULE = {SCHEDULE!r}\n"
    result = subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result
