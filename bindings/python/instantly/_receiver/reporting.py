"""What the receiver says about each delivery: the /healthz counters, the Prometheus metrics (when
prometheus_client is installed; GET /metrics) and a record of the `instantly` logger (debug for
stored, duplicate and unparsed, warning for refused, as the C++ receiver's `workflow` lines).

A delivery is counted twice over: once when it is answered (accepted into the spool, or refused),
and once when the forwarder has moved it into the store (stored, duplicate or unparsed).

No record holds the secret, a header value or the body: a refusal says which rule refused it
(and for a failed verification, the verifier's reason code), never what was sent.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Optional

__all__ = ["DeliveryReport", "REFUSALS", "load_metrics"]

log = logging.getLogger("instantly")

#: Refusal reason (the metric's label) -> its /healthz counter. "not_stored" is the metric's name
#: for any failure to keep a delivery; the receiver's only store before the answer is the spool.
REFUSALS = {"unauthorized": "unauthorized", "too_large": "too_large", "spool_full": "spool_full",
            "not_stored": "not_spooled"}

COUNTERS = ("accepted", "stored", "duplicates", "unparsed", "unauthorized", "too_large", "spool_full", "not_spooled")


def load_metrics() -> Optional[Any]:
    """A PrometheusMetrics, or None without prometheus_client (the receiver works without it;
    GET /metrics then says what to install)."""
    try:
        from ..metrics import PrometheusMetrics
    except ImportError:
        return None
    return PrometheusMetrics()


class DeliveryReport:
    """Thread-safe: every request thread and the forwarder report through one."""

    def __init__(self, metrics: Optional[Any]) -> None:
        self.metrics = metrics
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(COUNTERS, 0)

    def received(self) -> None:
        if self.metrics is not None:
            self.metrics.webhook_received()

    def accepted(self) -> None:
        """In the spool: answered 200."""
        with self._lock:
            self._counts["accepted"] += 1

    def forwarded(self, inserted: list[bool], unparsed: int) -> None:
        """A forwarder batch is in the store: per event whether it was new, and the bodies that
        did not parse."""
        new = sum(inserted)
        with self._lock:
            self._counts["stored"] += new
            self._counts["duplicates"] += len(inserted) - new
            self._counts["unparsed"] += unparsed
        if self.metrics is not None:
            for is_new in inserted:
                (self.metrics.webhook_stored if is_new else self.metrics.webhook_duplicated)()
            if unparsed:
                self.metrics.webhook_unparsed(unparsed)
        if log.isEnabledFor(logging.DEBUG):
            for action, items in (("delivery_stored", new), ("delivery_duplicate", len(inserted) - new),
                                  ("delivery_unparsed", unparsed)):
                if items:
                    log.debug("workflow workflow=webhook action=%s items=%d", action, items,
                              extra={"workflow": "webhook", "action": action, "items": items})

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
