"""What a client reports about its work, as Python objects: pass an observer to
`instantly.Client(observer=...)` (or AsyncClient) and it gets one event per request, retry,
rate-limit wait and finished call, and the events of workflows run on that client.

    class Slow:
        def on_attempt(self, event: AttemptEvent) -> None:
            if event.duration > 2:
                print("slow", event.operation, event.status, event.duration)

    client = instantly.Client(observer=Slow())

An observer is any object; the client calls those of these methods it has (looked up once, when
the client is built): on_attempt, on_retry, on_rate_limit_wait, on_call_succeeded, on_call_failed,
on_workflow. Subclassing `Observer` is optional. Events are delivered synchronously, on the thread
that makes the call (a worker thread of the C++ core, for AsyncClient too), from many threads at
once: an observer must be thread-safe and quick. An observer that raises does not break the call:
the first error is reported once, as a warning on the `instantly` logger, and later ones are not.

Events are immutable. Calls are named by their operation id and path template, never by the
filled-in path; no event holds the API key, a header value or a body. Durations are float seconds.
`instantly.metrics.PrometheusMetrics` is an observer that counts them as Prometheus metrics.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Optional

__all__ = ["AttemptEvent", "RetryEvent", "RateLimitWaitEvent", "CallSucceededEvent", "CallFailedEvent",
           "WorkflowEvent", "Observer", "combine_observers", "hooks_of", "HOOKS"]

#: The methods an observer may have, in the order the C++ core's Observer declares them.
HOOKS = ("on_attempt", "on_retry", "on_rate_limit_wait", "on_call_succeeded", "on_call_failed", "on_workflow")

# Every event class is a dataclass with slots (an event per request should be small and quick to
# build) and frozen (an event is a record of what happened, shared by every observer of a set).


@dataclasses.dataclass(frozen=True, slots=True)
class AttemptEvent:
    """One request sent and answered (or not)."""

    operation: Optional[str]  #: the spec's operationId ("getCampaign"); None for a raw request on an unknown path
    method: str  #: "GET", "POST", ...
    path_template: str  #: "/api/v2/campaigns/{id}"; "(unmatched)" for a raw request on an unknown path
    attempt: int  #: 1 for the first request of the call, 2 for the first retry, ...
    status: Optional[int]  #: the HTTP status, when an answer arrived (200, 429, 503, ...)
    #: why no answer arrived, None when `status` is set: "connection_failed", "timeout", "cancelled",
    #: "response_too_large"
    failure: Optional[str]
    duration: float  #: seconds, from handing the request to the transport to its answer (no waits)
    request_bytes: int  #: body bytes sent
    response_bytes: int  #: body bytes received, after decompression


@dataclasses.dataclass(frozen=True, slots=True)
class RetryEvent:
    """The decision to try again after attempt `attempt` failed; the wait follows."""

    operation: Optional[str]
    method: str
    path_template: str
    attempt: int  #: the attempt that failed
    reason: str  #: "rate_limited", "request_timeout", "server_error", "connection_failed", "timeout"
    status: Optional[int]  #: of the failed attempt, when it got an answer
    delay: float  #: seconds the client waits before the next attempt
    delay_from_retry_after: bool  #: the server's Retry-After set `delay` (else the client's backoff)


@dataclasses.dataclass(frozen=True, slots=True)
class RateLimitWaitEvent:
    """A wait for the client-side rate limiter before an attempt (only reported when there was one)."""

    operation: Optional[str]
    method: str
    path_template: str
    attempt: int  #: the attempt that waited
    bucket: str  #: the narrowest limit that applies: "workspace", or an endpoint's, as "GET /api/v2/emails"
    waited: float  #: seconds


@dataclasses.dataclass(frozen=True, slots=True)
class CallSucceededEvent:
    """A call that got its answer, after its last attempt."""

    operation: Optional[str]
    method: str
    path_template: str
    attempts: int  #: requests sent, retries included
    status: int  #: of the answer the caller gets
    elapsed: float  #: seconds for the whole call, retries and waits included


@dataclasses.dataclass(frozen=True, slots=True)
class CallFailedEvent:
    """A call that ends in an exception, after its last attempt (or before any, when the request
    was refused by validation: `attempts == 0`)."""

    operation: Optional[str]
    method: str
    path_template: str
    attempts: int  #: requests sent; 0 when nothing went out
    error_type: str  #: the exception's class: "RateLimitError", "NotFoundError", "ValidationError", ...
    status: Optional[int]  #: for an API error
    stop_reason: Optional[str]  #: why the client stopped trying ("retries exhausted", ...); None when no retry was considered
    elapsed: float  #: seconds for the whole call


@dataclasses.dataclass(frozen=True, slots=True)
class WorkflowEvent:
    """What a workflow reports. `workflow` and `action` are stable strings:

        lead_import     chunk_sent, chunk_retried, chunk_failed
        analytics_sync  run_finished, run_failed
    """

    workflow: str
    action: str
    reason: Optional[str]  #: why, for failures and refusals; None otherwise
    items: int  #: what the action covered: leads in a chunk, campaigns in a sync run
    duration: float  #: seconds the action took, 0.0 when it has no duration


class Observer:
    """A base class with every hook doing nothing; subclassing it is optional (any object with
    some of these methods is an observer)."""

    def on_attempt(self, event: AttemptEvent) -> None:
        pass

    def on_retry(self, event: RetryEvent) -> None:
        pass

    def on_rate_limit_wait(self, event: RateLimitWaitEvent) -> None:
        pass

    def on_call_succeeded(self, event: CallSucceededEvent) -> None:
        pass

    def on_call_failed(self, event: CallFailedEvent) -> None:
        pass

    def on_workflow(self, event: WorkflowEvent) -> None:
        pass


class _Combined(Observer):
    """Hands each event to every observer that has the hook, in order. One that raises does not
    keep the event from the others; the first exception is raised again after all had it."""

    def __init__(self, observers: tuple[Any, ...]) -> None:
        self._observers = observers
        for hook in HOOKS:
            targets = tuple(getattr(o, hook) for o in observers if callable(getattr(o, hook, None)))
            if targets:
                # Only the hooks someone has: the client then skips the others without a call.
                setattr(self, hook, self._fan_out(targets))

    @staticmethod
    def _fan_out(targets: tuple[Any, ...]) -> Any:
        def deliver(event: Any) -> None:
            first: Optional[BaseException] = None
            for target in targets:
                try:
                    target(event)
                except Exception as error:  # noqa: BLE001 - re-raised below, after the others
                    first = first or error
            if first is not None:
                raise first
        return deliver

    def __repr__(self) -> str:
        return f"combine_observers({', '.join(type(o).__name__ for o in self._observers)})"


def hooks_of(observer: Any) -> tuple[Optional[Any], ...]:
    """The observer's bound hooks in HOOKS order, None for those it lacks or inherits unchanged
    from `Observer` (so the client never takes the GIL to call a method that does nothing).
    Raises TypeError for an object with none of them (`observer=print` would otherwise be
    accepted and never called)."""
    hooks = []
    for hook in HOOKS:
        method = getattr(observer, hook, None)
        inherited = getattr(method, "__func__", None) is getattr(Observer, hook)
        hooks.append(method if callable(method) and not inherited else None)
    if all(h is None for h in hooks) and not isinstance(observer, Observer):
        raise TypeError(f"observer {type(observer).__name__!r} has none of the methods {', '.join(HOOKS)}")
    return tuple(hooks)


def combine_observers(*observers: Any) -> Any:
    """One observer for the one `observer=` slot that hands every event to each of `observers` in
    order (None ones are skipped): `Client(observer=combine_observers(metrics, my_observer))`."""
    return _Combined(tuple(o for o in observers if o is not None))
