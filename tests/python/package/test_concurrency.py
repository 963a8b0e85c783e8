"""The GIL is released while the C++ core waits on the network, a Client may be shared by
threads, and Ctrl-C stops a call at once: nothing more is sent after it."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from conftest import TEST_KEY, CounterThread
from mock_process import MockProcess

LATENCY = 0.3


@pytest.fixture(scope="module")
def slow_mock():
    with MockProcess(["--latency-ms", str(int(LATENCY * 1000)), "--no-rate-limit"]) as process:
        yield process


def test_eight_threads_overlap_their_calls(slow_mock):
    import instantly
    client = instantly.Client(api_key=TEST_KEY, base_url=slow_mock.url)
    client.campaigns.list(limit=1)  # connect once, outside the measurement
    slow_mock.request("POST", "/__mock/stats/reset")
    errors = []
    ready = threading.Barrier(8)

    def call():
        ready.wait()
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
    # The mock counts the requests it serves at once. Were the GIL held during a call, it
    # would see one at a time (8 x 0.3 s in all); released, the calls overlap and finish in
    # about one latency. The peak, unlike a wall clock, does not depend on how busy the
    # machine is; a very busy one may start a few threads late, hence "at least half".
    status, stats, _ = slow_mock.request("GET", "/__mock/stats")
    assert status == 200
    assert stats["peak_in_flight"] >= 4, (
        f"only {stats['peak_in_flight']} of 8 calls overlapped ({elapsed:.2f} s in all)")


def test_a_python_thread_keeps_running_during_a_call(slow_mock):
    import instantly
    client = instantly.Client(api_key=TEST_KEY, base_url=slow_mock.url)
    with CounterThread() as counter:
        before = counter.count
        client.campaigns.list(limit=1)
        during = counter.count - before
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


def served(mock):
    return mock.request("GET", "/__mock/stats")[1]["total"]


def test_ctrl_c_during_retries_of_503s_sends_nothing_more(mock):
    # Every request fails with 503 and eight retries are allowed: without a stop the call would
    # go on sending for a while after Ctrl-C was pressed.
    import instantly
    mock.request("POST", "/__mock/responses", {"status": 503, "path": "/api/v2/campaigns", "times": 1000})
    try:
        client = instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=8)
        mock.request("POST", "/__mock/stats/reset")
        timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
        started = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            client.campaigns.list(limit=1)
        assert time.monotonic() - started < 2.0
        after_interrupt = served(mock)
        assert after_interrupt >= 2  # it was retrying when stopped
        time.sleep(2.5)  # long enough for two or three more retries
        assert served(mock) == after_interrupt
    finally:
        mock.request("POST", "/__mock/reset", {})


def test_a_call_stopped_other_than_by_ctrl_c_raises_cancelled_error():
    import instantly
    assert issubclass(instantly.CancelledError, instantly.Error)
    error = instantly.CancelledError("call stopped before it was sent", method="GET", path="/api/v2/x", attempts=0)
    assert error.attempts == 0 and not error.abandoned_in_flight
