"""instantly.webhooks.watch_subscriptions and the idempotent subscribe, against instantly-mock with
real receivers: a receiver answering 500 until the mock disables its subscription, the watch that
resumes it and reports the gap, a URL that refuses connections reported as failing, subscribing
twice. Deliveries are awaited with POST /__mock/webhooks/flush (it returns once nothing is
pending), never with sleeps."""
from __future__ import annotations

import dataclasses
import socket
import time

import pytest

from conftest import TEST_KEY
from mock_process import MockProcess
from webhook_endpoint import Receiver

FAST_RETRIES = {"delays_ms": [20, 20, 20]}  # 4 attempts about 60 ms, then disabled


@pytest.fixture
def receivers():
    made: list[Receiver] = []

    def make() -> Receiver:
        made.append(Receiver())
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def wh():
    import instantly.webhooks
    return instantly.webhooks


@pytest.fixture
def fast(mock, client):
    """The module's mock, reset (by `client`), with fast retries."""
    assert mock.request("POST", "/__mock/webhooks/retry-delays", FAST_RETRIES)[0] == 200
    return mock


def emit(mock, lead: str = "lead@example.com") -> None:
    status, _, _ = mock.request("POST", "/__mock/webhooks/emit", {
        "timestamp": "2026-11-27T10:00:00.000Z", "event_type": "email_opened",
        "workspace": "019a0000-0000-7000-8000-000000000001",
        "campaign_id": "c0ffee00-0000-7000-8000-000000000001", "lead_email": lead})
    assert status == 200


def flush(mock) -> None:
    status, body, _ = mock.request("POST", "/__mock/webhooks/flush", {"timeout_ms": 5000})
    assert status == 200 and body["idle"]


def next_millisecond() -> None:
    """The delivery log's times have millisecond resolution: attempts on either side are ordered."""
    time.sleep(0.002)


def attempt_times(client, success: bool) -> list[str]:
    return sorted(event.timestamp_created for event in client.webhook_events.list(success=success))


def disabled_subscription(client, mock, receiver: Receiver, wh, *, earlier_outage: bool = False):
    """A subscription to `receiver` that delivered once, then was disabled by 4 failed attempts;
    with earlier_outage, disabled (and resumed by hand) once before that."""
    sub = wh.subscribe(client, target_url=receiver.url)
    if earlier_outage:
        receiver.status = 500
        emit(mock, "earlier@example.com")
        flush(mock)
        assert wh.is_disabled(client.webhooks.get(sub.webhook.id))
        client.webhooks.resume(sub.webhook.id)
        next_millisecond()
    receiver.status = 200
    before = len(receiver.received)
    emit(mock, "before@example.com")
    flush(mock)
    assert len(receiver.received) == before + 1
    next_millisecond()
    receiver.status = 500
    emit(mock, "lost@example.com")
    flush(mock)
    assert wh.is_disabled(client.webhooks.get(sub.webhook.id))
    return sub


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the package surface --------------------------------------------------------------------

def test_the_watch_is_exported(wh):
    for name in ("watch_subscriptions", "WatchReport", "SubscriptionGap", "FailingSubscription", "WatchError"):
        assert name in wh.__all__ and hasattr(wh, name)


# ---- watch_subscriptions --------------------------------------------------------------------

def test_a_disabled_subscription_is_resumed_and_its_gap_covers_the_failed_deliveries(client, fast, receivers, wh):
    from instantly.types import Webhook
    receiver = receivers()
    sub = disabled_subscription(client, fast, receiver, wh, earlier_outage=True)
    failed = attempt_times(client, False)
    succeeded = attempt_times(client, True)
    assert len(failed) == 8 and len(succeeded) == 1  # the earlier outage, then the one now
    first_lost = failed[4]
    assert failed[3] < succeeded[0] < first_lost

    report = wh.watch_subscriptions(client, target_url=receiver.url)
    assert isinstance(report, wh.WatchReport)
    assert [w.id for w in report.watched] == [sub.webhook.id]
    assert isinstance(report.watched[0], Webhook)
    assert report.errors == () and report.failing == ()
    (gap,) = report.gaps
    assert isinstance(gap, wh.SubscriptionGap)
    assert gap.webhook_id == sub.webhook.id and gap.target_url == receiver.url
    assert gap.event_type == "all_events" and gap.event_type is wh.EventType.ALL_EVENTS
    assert gap.campaign is None
    assert gap.resumed
    # One format on both sides ("...T10:00:00.123Z"), so text order is time order; the earlier
    # outage, before the successful delivery, is not part of this streak.
    assert succeeded[0] < gap.start <= first_lost <= gap.end
    with pytest.raises(dataclasses.FrozenInstanceError):
        gap.resumed = False  # type: ignore[misc]

    # Active again, and the next event reaches the receiver with the subscription's secret.
    assert not wh.is_disabled(client.webhooks.get(sub.webhook.id))
    receiver.status = 200
    before = len(receiver.received)
    emit(fast, "after@example.com")
    flush(fast)
    assert len(receiver.received) == before + 1
    headers, body = receiver.received[-1]
    assert b"after@example.com" in body
    assert sub.verifier.is_valid(headers)

    again = wh.watch_subscriptions(client, target_url=receiver.url)
    assert again.gaps == () and again.failing == () and again.errors == ()


def test_resume_disabled_false_reports_the_gap_and_leaves_it_disabled(client, fast, receivers, wh):
    receiver = receivers()
    sub = disabled_subscription(client, fast, receiver, wh)
    failed = attempt_times(client, False)

    report = wh.watch_subscriptions(client, resume_disabled=False)
    (gap,) = report.gaps
    assert not gap.resumed
    assert gap.start <= failed[0] and failed[-1] <= gap.end
    assert wh.is_disabled(client.webhooks.get(sub.webhook.id))


def test_a_refused_resume_is_collected_and_the_other_subscription_still_resumed(client, fast, receivers, wh):
    refused = disabled_subscription(client, fast, receivers(), wh)
    fine = disabled_subscription(client, fast, receivers(), wh)
    fast.request("POST", "/__mock/responses", {"status": 404, "path": f"/api/v2/webhooks/{refused.webhook.id}/resume"})

    report = wh.watch_subscriptions(client)
    assert len(report.watched) == 2
    assert {g.webhook_id: g.resumed for g in report.gaps} == {refused.webhook.id: False, fine.webhook.id: True}
    (error,) = report.errors
    assert isinstance(error, wh.WatchError)
    assert error.webhook_id == refused.webhook.id and "resum" in error.message
    assert wh.is_disabled(client.webhooks.get(refused.webhook.id))
    assert not wh.is_disabled(client.webhooks.get(fine.webhook.id))


def test_an_enabled_subscription_whose_url_refuses_is_failing(wh):
    import instantly
    # Retries a minute apart: after the first attempt the subscription is still enabled. A mock
    # of its own, since that pending retry would keep the module's dispatcher from going idle.
    with MockProcess(["--no-rate-limit", "--webhook-retry-delays", "60000"]) as mock, \
            instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=0) as client:
        url = f"http://127.0.0.1:{unused_port()}/hook"
        sub = wh.subscribe(client, target_url=url)
        emit(mock)
        deadline = time.monotonic() + 10
        while not attempt_times(client, False) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(attempt_times(client, False)) == 1

        report = wh.watch_subscriptions(client, target_url=url)
        assert report.gaps == () and report.errors == ()
        (failing,) = report.failing
        assert isinstance(failing, wh.FailingSubscription)
        assert failing.webhook.id == sub.webhook.id
        assert failing.last_status_code is None  # no answer at all
        assert failing.last_error
        assert failing.failed_attempts == 1 and failing.since == failing.last_attempt
        assert not wh.is_disabled(client.webhooks.get(sub.webhook.id))  # nothing changed
        # The secret the subscription sends stays out of the reprs.
        assert sub.secret not in repr(failing) and sub.secret not in repr(report)


def test_a_negative_lookback_is_refused_before_anything_is_sent(client, wh):
    import instantly
    with pytest.raises(instantly.ValidationError):
        wh.watch_subscriptions(client, failing_lookback=-1)


# ---- subscribe, idempotent ------------------------------------------------------------------

def test_subscribing_twice_returns_the_same_subscription(client, fast, receivers, wh):
    receiver = receivers()
    first = wh.subscribe(client, target_url=receiver.url)
    again = wh.subscribe(client, target_url=receiver.url)
    assert not first.reused and again.reused
    assert again.webhook.id == first.webhook.id and again.secret == first.secret
    assert len(list(client.webhooks.list())) == 1
    # Another event type is another subscription.
    replies = wh.subscribe(client, target_url=receiver.url, event_type=wh.EventType.REPLY_RECEIVED)
    assert not replies.reused and replies.webhook.id != first.webhook.id
    assert len(list(client.webhooks.list())) == 2


def test_subscribing_with_a_new_secret_updates_the_header_deliveries_carry(client, fast, receivers, wh):
    receiver = receivers()
    first = wh.subscribe(client, target_url=receiver.url, secret="first-secret")
    rotated = wh.subscribe(client, target_url=receiver.url, secret="second-secret")
    assert rotated.reused and rotated.webhook.id == first.webhook.id
    assert client.webhooks.get(first.webhook.id).headers == {"X-Webhook-Secret": "second-secret"}
    assert rotated.secret == "second-secret" and "second-secret" not in repr(rotated)

    emit(fast)
    flush(fast)
    ((headers, _),) = receiver.received
    assert headers["x-webhook-secret"] == "second-secret"
    assert rotated.verifier.is_valid(headers)
    assert not first.verifier.is_valid(headers)
