"""Prometheus metrics of a client, the webhook receiver and the workflows (issue #21).

    from instantly.metrics import PrometheusMetrics

    metrics = PrometheusMetrics()                      # its own CollectorRegistry
    client = instantly.Client(observer=metrics)        # requests, retries, 429s, calls, workflows
    ...
    body = metrics.render()                            # the text format, for GET /metrics

Needs prometheus_client (Debian: python3-prometheus-client), imported only with this module, so
`import instantly` works without it. The metric names and labels are the C++ library's too (one
dashboard for both); docs/observability.md lists them. Every label takes a bounded set of values:
operation ids and path templates, never ids from a URL, a key or a body.

Metrics of the receiver and the workflows (webhook_*, analytics_sync_*, account_health_*) appear
once their first method is called, so a process that only uses a client never exports a
"last successful sync: 1970" that an alert would read as a stale sync.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any, Optional

try:
    import prometheus_client
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
except ImportError:  # pragma: no cover - exercised only where the package is missing
    raise ImportError("instantly.metrics needs prometheus_client: install Debian's python3-prometheus-client "
                      "(apt install python3-prometheus-client) or `pip install prometheus-client`") from None

from .observability import (AttemptEvent, CallFailedEvent, CallSucceededEvent, Observer, RateLimitWaitEvent,
                            RetryEvent, WorkflowEvent)

__all__ = ["PrometheusMetrics", "CONTENT_TYPE", "DURATION_BUCKETS", "ACK_BUCKETS", "REFUSAL_REASONS",
           "HEALTH_VERDICTS"]

#: The Content-Type of render()'s output (the text exposition format 0.0.4).
CONTENT_TYPE = prometheus_client.CONTENT_TYPE_LATEST

#: Seconds, for request and call durations: from a quick GET to a call that waited out a 429 (the
#: C++ exporter uses the same, so both can be aggregated together).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

#: Seconds from a webhook request's arrival to its answer (the spool's fdatasync, usually a few ms).
ACK_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

#: Why a receiver refused a delivery: verification failed (401), it is over the size limit (413),
#: the spool is full (503), the spool failed (503). "malformed" (400) is no longer refused: a body
#: that verifies and does not parse is accepted, kept raw and counted as unparsed; the label stays
#: (at 0) so that dashboards and alerts written for it keep working.
REFUSAL_REASONS = ("unauthorized", "malformed", "too_large", "not_stored", "spool_full")

#: Account health verdicts (instantly.workflows.HealthLevel).
HEALTH_VERDICTS = ("ok", "warning", "critical")


def _operation(event: Any) -> str:
    # A raw request on an unknown path has no operation id; its template is "(unmatched)".
    return event.operation or event.path_template


class _WebhookMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.received = Counter("instantly_webhook_events_received", "POSTs to the webhook path",
                                registry=registry)
        self.stored = Counter("instantly_webhook_events_stored", "Webhook events stored for the first time",
                              registry=registry)
        self.duplicated = Counter("instantly_webhook_events_duplicated",
                                  "Webhook deliveries of an event stored before (a retry)", registry=registry)
        self.refused = Counter("instantly_webhook_events_refused", "Webhook deliveries refused, by reason",
                               ["reason"], registry=registry)
        for reason in REFUSAL_REASONS:  # every reason shows as 0 from the start, for rate() and alerts
            self.refused.labels(reason)
        self.ack = Histogram("instantly_webhook_ack_seconds", "From a webhook request's arrival to its answer",
                             buckets=ACK_BUCKETS, registry=registry)
        self.unparsed = Counter("instantly_webhook_events_unparsed",
                                "Verified deliveries that did not parse, kept raw", registry=registry)
        self.queue_depth = Gauge("instantly_webhook_queue_depth",
                                 "Deliveries in the spool not yet forwarded to the store", registry=registry)
        self.spool_bytes = Gauge("instantly_webhook_spool_bytes", "The webhook spool's size on disk",
                                 registry=registry)
        self.unapplied = Gauge("instantly_webhook_unapplied_events",
                               "Stored events not yet folded into the engagement", registry=registry)
        self.ready = Gauge("instantly_webhook_ready", "1 when the receiver is ready (what /readyz says), else 0",
                           registry=registry)


class _AnalyticsSyncMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.runs = Counter("instantly_analytics_sync_runs", "Analytics sync runs, by outcome", ["outcome"],
                            registry=registry)
        for outcome in ("finished", "failed"):
            self.runs.labels(outcome)
        self.last_success = Gauge("instantly_analytics_sync_last_success_timestamp_seconds",
                                  "When the last analytics sync run finished (Unix time)", registry=registry)
        self.campaigns = Gauge("instantly_analytics_sync_campaigns", "Campaigns snapshotted by the last run",
                               registry=registry)


class _AccountHealthMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.accounts = Gauge("instantly_account_health_accounts", "Accounts by verdict in the last check",
                              ["verdict"], registry=registry)
        self.last_check = Gauge("instantly_account_health_last_check_timestamp_seconds",
                                "When the last account health check finished (Unix time)", registry=registry)


class PrometheusMetrics(Observer):
    """Prometheus metrics for one process: an observer of clients (`Client(observer=metrics)`; one
    object may observe any number of clients) and the methods the webhook receiver and the
    workflow commands call. Thread-safe. Several observers in the one slot:
    `instantly.combine_observers(metrics, mine)`.

    `registry`: where the metrics are registered (default: a CollectorRegistry of its own, so two
    objects never clash). Registering two PrometheusMetrics in one registry raises ValueError
    (prometheus_client refuses duplicate names).
    """

    def __init__(self, registry: Optional[CollectorRegistry] = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self._requests = Counter("instantly_requests", "Requests sent (attempts), by answer status or failure",
                                 ["operation", "method", "status"], registry=r)
        self._request_duration = Histogram("instantly_request_duration_seconds",
                                           "One request's time, without rate-limit waits or backoff",
                                           ["operation"], buckets=DURATION_BUCKETS, registry=r)
        self._retries = Counter("instantly_retries", "Retries, by why", ["operation", "reason"], registry=r)
        self._rate_limited = Counter("instantly_rate_limited", "Answers with status 429", ["operation"], registry=r)
        self._rate_limit_wait = Counter("instantly_rate_limit_wait_seconds",
                                        "Seconds waited for the client-side rate limiter", ["bucket"], registry=r)
        self._calls = Counter("instantly_calls", "Calls, by outcome", ["operation", "outcome"], registry=r)
        self._call_duration = Histogram("instantly_call_duration_seconds",
                                        "A whole call's time, retries and waits included", ["operation"],
                                        buckets=DURATION_BUCKETS, registry=r)
        self._call_failures = Counter("instantly_call_failures", "Failed calls, by exception class",
                                      ["operation", "error_type"], registry=r)
        self._workflow_events = Counter("instantly_workflow_events", "Workflow events", ["workflow", "action"],
                                        registry=r)
        self._workflow_items = Counter("instantly_workflow_items",
                                       "What workflow events covered (leads in a chunk, campaigns in a run)",
                                       ["workflow", "action"], registry=r)
        self._lock = threading.Lock()
        self._webhooks: Optional[_WebhookMetrics] = None
        self._analytics: Optional[_AnalyticsSyncMetrics] = None
        self._health: Optional[_AccountHealthMetrics] = None

    # ---- the client's events ------------------------------------------------------------------

    def on_attempt(self, event: AttemptEvent) -> None:
        operation = _operation(event)
        status = str(event.status) if event.status is not None else (event.failure or "unknown")
        self._requests.labels(operation, event.method, status).inc()
        self._request_duration.labels(operation).observe(event.duration)
        if event.status == 429:
            self._rate_limited.labels(operation).inc()

    def on_retry(self, event: RetryEvent) -> None:
        self._retries.labels(_operation(event), event.reason).inc()

    def on_rate_limit_wait(self, event: RateLimitWaitEvent) -> None:
        self._rate_limit_wait.labels(event.bucket).inc(event.waited)

    def on_call_succeeded(self, event: CallSucceededEvent) -> None:
        operation = _operation(event)
        self._calls.labels(operation, "succeeded").inc()
        self._call_duration.labels(operation).observe(event.elapsed)

    def on_call_failed(self, event: CallFailedEvent) -> None:
        operation = _operation(event)
        self._calls.labels(operation, "failed").inc()
        self._call_duration.labels(operation).observe(event.elapsed)
        self._call_failures.labels(operation, event.error_type).inc()

    def on_workflow(self, event: WorkflowEvent) -> None:
        self._workflow_events.labels(event.workflow, event.action).inc()
        self._workflow_items.labels(event.workflow, event.action).inc(event.items)
        # The sync reports its runs itself: an observed client is all a sync's metrics need.
        if event.workflow == "analytics_sync" and event.action == "run_finished":
            self.analytics_sync_finished(event.items)
        elif event.workflow == "analytics_sync" and event.action == "run_failed":
            self.analytics_sync_failed()

    # ---- the webhook receiver -----------------------------------------------------------------

    def _webhook(self) -> _WebhookMetrics:
        with self._lock:
            if self._webhooks is None:
                self._webhooks = _WebhookMetrics(self.registry)
            return self._webhooks

    def webhook_received(self) -> None:
        """A POST to the webhook path arrived (counted before it is judged)."""
        self._webhook().received.inc()

    def webhook_stored(self) -> None:
        """A delivery's event was stored for the first time (the forwarder counts it)."""
        self._webhook().stored.inc()

    def webhook_duplicated(self) -> None:
        """A delivery's event had been stored before (Instantly retried it)."""
        self._webhook().duplicated.inc()

    def webhook_unparsed(self, deliveries: int = 1) -> None:
        """Verified deliveries that did not parse were kept raw (the forwarder counts them)."""
        self._webhook().unparsed.inc(deliveries)

    def webhook_refused(self, reason: str) -> None:
        """A delivery was refused; `reason` is one of REFUSAL_REASONS (ValueError otherwise: a label
        must stay a bounded set)."""
        if reason not in REFUSAL_REASONS:
            raise ValueError(f"webhook refusal reason {reason!r} is not one of {', '.join(REFUSAL_REASONS)}")
        self._webhook().refused.labels(reason).inc()

    def webhook_acknowledged(self, seconds: float) -> None:
        """A delivery was answered, `seconds` after it arrived (whatever the answer)."""
        self._webhook().ack.observe(seconds)

    def set_webhook_queue_depth(self, deliveries: int) -> None:
        """Deliveries in the spool not yet forwarded to the store now."""
        self._webhook().queue_depth.set(deliveries)

    def set_webhook_spool_bytes(self, size: int) -> None:
        """The spool's size on disk now (its bound is the receiver's --spool-max-bytes)."""
        self._webhook().spool_bytes.set(size)

    def set_webhook_unapplied_events(self, events: int) -> None:
        """Stored events not yet folded into the engagement now."""
        self._webhook().unapplied.set(events)

    def set_webhook_ready(self, ready: bool) -> None:
        """What the receiver's /readyz says now."""
        self._webhook().ready.set(1 if ready else 0)

    # ---- workflows ----------------------------------------------------------------------------

    def _sync(self) -> _AnalyticsSyncMetrics:
        with self._lock:
            if self._analytics is None:
                self._analytics = _AnalyticsSyncMetrics(self.registry)
            return self._analytics

    def analytics_sync_finished(self, campaigns: int) -> None:
        """A sync run finished with `campaigns` snapshots. An observed client reports its runs by
        itself (on_workflow): call this only for runs of an unobserved client."""
        sync = self._sync()
        sync.runs.labels("finished").inc()
        sync.last_success.set(time.time())
        sync.campaigns.set(campaigns)

    def analytics_sync_failed(self) -> None:
        """A sync run failed (see analytics_sync_finished for observed clients)."""
        self._sync().runs.labels("failed").inc()

    def account_health_checked(self, results: Iterable[Any]) -> None:
        """A check finished: `results` are AccountHealthResult (or anything with a `level`, or the
        verdict strings). Sets the count of every verdict, 0 for those nobody has."""
        counts = dict.fromkeys(HEALTH_VERDICTS, 0)
        for result in results:
            level = str(getattr(result, "level", result))
            if level not in counts:
                raise ValueError(f"account health verdict {level!r} is not one of {', '.join(HEALTH_VERDICTS)}")
            counts[level] += 1
        with self._lock:
            if self._health is None:
                self._health = _AccountHealthMetrics(self.registry)
            health = self._health
        for verdict, count in counts.items():
            health.accounts.labels(verdict).set(count)
        health.last_check.set(time.time())

    # ---- exposition ---------------------------------------------------------------------------

    def render(self) -> bytes:
        """Every metric in the text exposition format (Content-Type: CONTENT_TYPE)."""
        return prometheus_client.generate_latest(self.registry)

    def __repr__(self) -> str:
        return "PrometheusMetrics()"
