"""Fixtures for the Python package's tests: an instantly-mock process per test module (or per
test, for tests that need special options) and a client pointed at it.

The package is imported from the build tree ($INSTANTLY_PYTHON_DIR, default build/ci/python),
or from wherever `import instantly` finds it when that variable is empty (an installed package)."""
from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # tests/python: mock_process
from mock_process import BUILD_DIR, MockProcess  # noqa: E402

PYTHON_DIR = os.environ.get("INSTANTLY_PYTHON_DIR", os.path.join(BUILD_DIR, "python"))
if PYTHON_DIR:
    sys.path.insert(0, PYTHON_DIR)

TEST_KEY = "sk-test-0123456789abcdef"

SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True, "2": True, "3": True, "4": True, "5": True},
                           "timezone": "America/Detroit"}]}


@pytest.fixture(scope="module")
def mock():
    with MockProcess(["--no-rate-limit", "--webhook-retry-delays", "20,20,20"]) as process:
        yield process


@pytest.fixture
def client(mock):
    import instantly
    mock.request("POST", "/__mock/reset", {})
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2) as c:
        yield c


@pytest.fixture
def campaign(client):
    return client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
