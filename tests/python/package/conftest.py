"""Fixtures for the Python package's tests: an instantly-mock process per test module (or per
test, for tests that need special options) and a client pointed at it.

The package is imported from the build tree ($INSTANTLY_PYTHON_DIR, default build/ci/python),
or from wherever `import instantly` finds it when that variable is empty (an installed package)."""
from __future__ import annotations

import json
import os
import sys
import threading

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


FIXTURES = os.path.join(os.path.dirname(HERE), "..", "fixtures")  # tests/fixtures


def load_fixture(name: str) -> dict:
    """The old pipeline's reference data, copied into tests/fixtures (it ships with the repo)."""
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return json.load(f)


class CounterThread:
    """A pure-Python thread counting as fast as it can: `count` only grows while the thread gets
    the GIL, so a call that holds the GIL shows up as a count that barely moved.

        with CounterThread() as counter:
            before = counter.count
            call()
            during = counter.count - before
    """

    def __init__(self) -> None:
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.count += 1

    def __enter__(self) -> "CounterThread":
        self._thread.start()
        self._stop.wait(0.05)  # let it get going
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
