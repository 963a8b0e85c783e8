"""`Client(observer=...)` and `AsyncClient(observer=...)` (instantly/observability.py, the C++
python_observer.cpp) against instantly-mock: which events a call reports, in which order, with
which fields; that no event holds the key; that an observer that raises breaks nothing and is
reported once; with_options, combine_observers and workflow events."""
from __future__ import annotations

import dataclasses
import logging
import threading

import pytest

from conftest import SCHEDULE, TEST_KEY

import instantly
from instantly.observability import (AttemptEvent, CallFailedEvent, CallSucceededEvent, RetryEvent,
                                     WorkflowEvent)


class Recorder:
    """Every event, in order (events come from the core's worker threads)."""

    def __init__(self) -> None:
        self.events: list = []
        self._lock = threading.Lock()

    def _keep(self, event) -> None:
        with self._lock:
            self.events.append(event)

    on_attempt = on_retry = on_rate_limit_wait = on_call_succeeded = on_call_failed = on_workflow = _keep


def answer_429_once(mock, path="/api/v2/campaigns") -> None:
    mock.request("POST", "/__mock/reset", {})
    mock.request("POST", "/__mock/responses",
                 {"status": 429, "headers": {"Retry-After": "0"}, "path": path, "times": 1})


def assert_no_secret(events) -> None:
    for event in events:
        text = repr(event)
        assert TEST_KEY not in text and "Bearer" not in text
        for field in dataclasses.fields(event):
            assert TEST_KEY not in str(getattr(event, field.name))


def assert_429_then_200(events) -> None:
    assert [type(e) for e in events] == [AttemptEvent, RetryEvent, AttemptEvent, CallSucceededEvent]
    first, retry, second, done = events
    for event in events:
        assert (event.operation, event.method, event.path_template) == ("createCampaign", "POST", "/api/v2/campaigns")
    assert (first.attempt, first.status, first.failure) == (1, 429, None)
    assert (second.attempt, second.status, second.failure) == (2, 200, None)
    for attempt in (first, second):
        assert isinstance(attempt.duration, float) and attempt.duration >= 0
        assert attempt.request_bytes > 0  # the JSON body of the create call
        assert attempt.response_bytes > 0
    assert (retry.attempt, retry.reason, retry.status) == (1, "rate_limited", 429)
    assert retry.delay == 0.0 and retry.delay_from_retry_after is True
    assert (done.attempts, done.status) == (2, 200)
    # The whole call holds both attempts.
    assert done.elapsed >= first.duration + second.duration
    assert_no_secret(events)


def test_a_429_then_200_is_attempt_retry_attempt_succeeded(mock):
    answer_429_once(mock)
    recorder = Recorder()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2, observer=recorder) as client:
        campaign = client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
    assert campaign.name == "Cafes Austin"
    assert_429_then_200(recorder.events)


@pytest.mark.asyncio
async def test_async_client_reports_the_same_events(mock):
    answer_429_once(mock)
    recorder = Recorder()
    async with instantly.AsyncClient(api_key=TEST_KEY, base_url=mock.url, max_retries=2,
                                     observer=recorder) as client:
        await client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
    assert_429_then_200(recorder.events)


def test_events_are_immutable_and_read_well(mock):
    mock.request("POST", "/__mock/reset", {})
    recorder = Recorder()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=recorder) as client:
        client.campaigns.list(limit=1)
    attempt = recorder.events[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        attempt.status = 500
    assert repr(attempt).startswith("AttemptEvent(operation='listCampaign', method='GET', "
                                    "path_template='/api/v2/campaigns', attempt=1, status=200, failure=None")


def test_a_failed_call_names_the_error_and_a_refused_one_sent_nothing(mock):
    mock.request("POST", "/__mock/reset", {})
    recorder = Recorder()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=recorder) as client:
        with pytest.raises(instantly.NotFoundError):
            client.campaigns.get("019a0000-0000-7000-8000-00000000abcd")
        not_found = recorder.events[-1]
        with pytest.raises(instantly.ValidationError):
            client.campaigns.list(limit=0)
        refused = recorder.events[-1]
    assert isinstance(not_found, CallFailedEvent)
    assert (not_found.operation, not_found.path_template) == ("getCampaign", "/api/v2/campaigns/{id}")
    assert (not_found.attempts, not_found.error_type, not_found.status) == (1, "NotFoundError", 404)
    assert not_found.stop_reason is None  # a 404 is not retried: no retry was considered
    assert "019a0000" not in repr(not_found)  # the template, never the filled-in path
    assert isinstance(refused, CallFailedEvent)
    assert (refused.operation, refused.attempts, refused.error_type) == ("listCampaign", 0, "ValidationError")


def test_a_raw_request_on_an_unknown_path_is_unmatched(mock):
    mock.request("POST", "/__mock/reset", {})
    recorder = Recorder()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=0, observer=recorder) as client:
        with pytest.raises(instantly.NotFoundError):
            client.request("GET", "/api/v2/no-such-thing/12345")
    assert recorder.events
    for event in recorder.events:
        assert event.operation is None and event.path_template == "(unmatched)"
        assert "12345" not in repr(event)


def test_an_observer_that_raises_does_not_break_the_call_and_is_reported_once(mock, caplog):
    caplog.set_level(logging.WARNING, logger="instantly")
    answer_429_once(mock)
    calls = []

    class Broken:
        def on_attempt(self, event):
            calls.append(event)
            raise ValueError("observer is broken")

        on_retry = on_call_succeeded = on_attempt

    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2, observer=Broken()) as client:
        created = client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
        listed = client.campaigns.list(limit=10)
    assert created.name == "Cafes Austin" and len(listed.items) == 1
    # Every event still reached it (attempt, retry, attempt, succeeded; attempt, succeeded).
    assert len(calls) == 6
    warnings = [r for r in caplog.records if r.name == "instantly" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "ValueError: observer is broken" in warnings[0].getMessage()
    assert "on_attempt" in warnings[0].getMessage()
    assert "Traceback" not in caplog.text


def test_with_options_keeps_the_observer(mock):
    mock.request("POST", "/__mock/reset", {})
    recorder = Recorder()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=recorder) as client:
        copy = client.with_options(timeout=5)
        assert copy.observer is recorder
        copy.campaigns.list(limit=1)
    assert [type(e) for e in recorder.events] == [AttemptEvent, CallSucceededEvent]


def test_an_observer_needs_at_least_one_hook():
    with pytest.raises(TypeError, match="on_attempt"):
        instantly.Client(api_key=TEST_KEY, base_url="http://127.0.0.1:9", observer=print)


def test_only_the_hooks_an_observer_has_are_called(mock):
    mock.request("POST", "/__mock/reset", {})
    finished = []

    class OnlyCalls(instantly.Observer):  # the base class's no-op hooks are skipped, not called
        def on_call_succeeded(self, event):
            finished.append(event)

    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=OnlyCalls()) as client:
        client.campaigns.list(limit=1)
    assert [type(e) for e in finished] == [CallSucceededEvent]


def test_combined_observers_each_get_every_event_even_when_one_raises(mock):
    mock.request("POST", "/__mock/reset", {})
    first, last = Recorder(), Recorder()

    class Raises:
        def on_attempt(self, event):
            raise RuntimeError("no")

    combined = instantly.combine_observers(first, None, Raises(), last)
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=combined) as client:
        client.campaigns.list(limit=1)
    assert [type(e) for e in first.events] == [AttemptEvent, CallSucceededEvent]
    assert first.events == last.events


def test_an_analytics_sync_run_is_a_workflow_event(mock):
    mock.request("POST", "/__mock/reset", {})
    recorder = Recorder()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=recorder) as client:
        for name in ("Cafes Austin", "Bakeries Boston"):
            client.campaigns.create(name=name, campaign_schedule=SCHEDULE)
        instantly.workflows.AnalyticsSync(client).sync()
    runs = [e for e in recorder.events if isinstance(e, WorkflowEvent)]
    assert len(runs) == 1
    assert (runs[0].workflow, runs[0].action, runs[0].items, runs[0].reason) == ("analytics_sync", "run_finished",
                                                                                2, None)
    assert runs[0].duration >= 0
