"""The GIL is released while the C++ core waits on the network, a Client may be shared by
threads, and Ctrl-C interrupts a slow call."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from conftest import TEST_KEY
from mock_process import MockProcess

LATENCY = 0.3


@pytest.fixture(scope="module")
def slow_mock():
    with MockProcess(["--latency-ms", str(int(LATENCY * 1000)), "--no-rate-limit"]) as process:
        yield process


def test_eight_threads_finish_in_about_one_latency(slow_mock):
    import instantly
    client = instantly.Client(api_key=TEST_KEY, base_url=slow_mock.url)
    client.campaigns.list(limit=1)  # connect once, outside the measurement
    errors = []

    def call():
        try:
            client.campaigns.list(limit=1)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=call) for _ in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert not errors
    # Serialised by the GIL they would take 8 x 0.3 s = 2.4 s.
    assert elapsed < 3 * LATENCY, f"8 concurrent calls took {elapsed:.2f} s"


def test_a_python_thread_keeps_running_during_a_call(slow_mock):
    import instantly
    client = instantly.Client(api_key=TEST_KEY, base_url=slow_mock.url)
    counter = 0
    stop = threading.Event()

    def count():
        nonlocal counter
        while not stop.is_set():
            counter += 1

    worker = threading.Thread(target=count)
    worker.start()
    try:
        time.sleep(0.05)
        before = counter
        client.campaigns.list(limit=1)
        during = counter - before
    finally:
        stop.set()
        worker.join()
    assert during > 1000, f"the counter thread only ran {during} times during a {LATENCY} s call"


def test_ctrl_c_interrupts_a_slow_call_quickly():
    import instantly
    with MockProcess(["--latency-ms", "2000"]) as mock:
        client = instantly.Client(api_key=TEST_KEY, base_url=mock.url)
        timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
        started = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            client.campaigns.list(limit=1)
        elapsed = time.monotonic() - started
    assert elapsed < 0.3 + 0.7, f"interrupted only after {elapsed:.2f} s"


def test_ctrl_c_interrupts_a_retry_wait(mock):
    import instantly
    mock.request("POST", "/__mock/responses", {"status": 429, "headers": {"Retry-After": "30"}, "times": 1})
    client = instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=1)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        client.campaigns.list(limit=1)
    assert time.monotonic() - started < 1.0
