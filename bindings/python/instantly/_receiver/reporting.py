"""What the receiver says about each delivery: the /healthz counters, the Prometheus metrics (when
prometheus_client is installed; GET /metrics) and a record of the `instantly` logger (debug for
stored and duplicate, warning for refused, as the C++ receiver's `workflow` lines).

No record holds the secret, a header value or the body: a refusal says which rule refused it
(and for a failed verification, the verifier's reason code), never what was sent.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Optional

__all__ = ["DeliveryReport", "REFUSALS"]

log = logging.getLogger("instantly")

#: Refusal reason (the metric's label) -> the /healthz counter it has always been counted in
#: (413s were "malformed" before the metrics existed; /healthz answers as it did).
REFUSALS = {"unauthorized": "unauthorized", "malformed": "malformed", "too_large": "malformed",
            "not_stored": "not_stored"}


def load_metrics() -> Optional[Any]:
    """A PrometheusMetrics, or None without prometheus_client (the receiver works without it;
    GET /metrics then says what to install)."""
    try:
        from ..metrics import PrometheusMetrics
    except ImportError:
        return None
    return PrometheusMetrics()


class DeliveryReport:
    """Thread-safe: every request thread reports through one."""

    def __init__(self, metrics: Optional[Any]) -> None:
        self.metrics = metrics
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(("stored", "duplicates", "unauthorized", "malformed", "not_stored"), 0)

    def received(self) -> None:
        if self.metrics is not None:
            self.metrics.webhook_received()

    def stored(self, inserted: bool) -> None:
        with self._lock:
            self._counts["stored" if inserted else "duplicates"] += 1
        action = "delivery_stored" if inserted else "delivery_duplicate"
        if self.metrics is not None:
            (self.metrics.webhook_stored if inserted else self.metrics.webhook_duplicated)()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("workflow workflow=webhook action=%s items=1", action,
                      extra={"workflow": "webhook", "action": action, "items": 1})

    def refused(self, reason: str, detail: Optional[str] = None) -> None:
        """`detail`: a reason code that says more (the verifier's "bad_secret"), never a value sent."""
        with self._lock:
            self._counts[REFUSALS[reason]] += 1
        if self.metrics is not None:
            self.metrics.webhook_refused(reason)
        extra = {"workflow": "webhook", "action": "delivery_refused", "reason": reason, "items": 1}
        if detail:
            extra["detail"] = detail
        log.warning("workflow workflow=webhook action=delivery_refused reason=%s items=1%s", reason,
                    f" detail={detail}" if detail else "", extra=extra)

    def answered(self, seconds: float) -> None:
        if self.metrics is not None:
            self.metrics.webhook_acknowledged(seconds)

    def counts(self) -> dict[str, int]:
        """/healthz's "requests"."""
        with self._lock:
            return dict(self._counts)
