"""GET /readyz: whether this receiver should get deliveries now (a load balancer's question), as
opposed to /healthz, which says it is alive; and the loud warning when the spool fills.

Ready = the spool is under FILL_LIMIT of its bound and at most BACKLOG_LIMIT stored events wait to
be folded into the engagement. A store that cannot take writes is reported (`store_writable`) but
does not make the receiver unready: the spool takes the deliveries meanwhile, which is what it is
for (docs/nothing-lost.md). The spool's filling up is what a store that stays down leads to, and
that does make it unready, well before it answers 503 "spool full".
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Optional

from .stores import errors_of

__all__ = ["BACKLOG_LIMIT", "FILL_LIMIT", "SpoolAlarm", "check"]

log = logging.getLogger("instantly")

#: More than this many stored events waiting to be applied means the receiver falls behind: at the
#: tens of events a second a campaign produces, about ten minutes of them, far beyond the worker's
#: batches of 256. Instantly retries what a 503 sent elsewhere refused.
BACKLOG_LIMIT = 10_000

#: From this share of --spool-max-bytes on, the receiver says it is not ready (and warns once), so a
#: load balancer sends deliveries elsewhere before this one has to refuse them.
FILL_LIMIT = 0.8


def check(store: Any, usage: Any) -> tuple[bool, dict[str, Any]]:
    """(ready, /readyz's JSON answer) for the store and the spool's usage(). Never raises for a
    store error: that is `store_writable: false`, or an `unapplied` of null."""
    errors = errors_of(store)
    writable = True
    try:
        store.check_writable()
    except errors:
        writable = False
    unapplied: Optional[int] = None
    try:
        unapplied = store.unapplied()
    except errors:
        pass
    reasons: list[str] = []
    if usage.fill >= FILL_LIMIT:
        reasons.append(f"spool {FILL_LIMIT:.0%} full: {usage.bytes} of {usage.max_bytes} bytes"
                       f" ({usage.pending} deliveries wait for the store)")
    if unapplied is not None and unapplied > BACKLOG_LIMIT:
        reasons.append(f"{unapplied} stored events wait to be applied (limit {BACKLOG_LIMIT})")
    answer: dict[str, Any] = {"ready": not reasons, "queue_depth": usage.pending, "unapplied": unapplied,
                              "spool_bytes": usage.bytes, "spool_max_bytes": usage.max_bytes,
                              "store_writable": writable}
    if reasons:
        answer["reasons"] = reasons
    return not reasons, answer


class SpoolAlarm:
    """Warns once each time the spool passes FILL_LIMIT (and says when it is back under), and keeps
    the spool-size gauge current. Fed the spool's usage() after appends, refusals and forwards."""

    def __init__(self, directory: str, metrics: Optional[Any]) -> None:
        self._directory = directory
        self._metrics = metrics
        self._lock = threading.Lock()
        self._over = False

    def observe(self, usage: Any) -> None:
        if self._metrics is not None:
            self._metrics.set_webhook_spool_bytes(usage.bytes)
        over = usage.fill >= FILL_LIMIT
        with self._lock:
            crossed, self._over = over != self._over, over
        if not crossed:
            return
        if over:
            log.warning("webhook spool %s passed %.0f%% of its bound: %d of %d bytes, %d deliveries not yet stored."
                        " The store is down or too slow; /readyz answers 503, and at the bound deliveries are"
                        " refused with 503", self._directory, FILL_LIMIT * 100, usage.bytes, usage.max_bytes,
                        usage.pending,
                        extra={"workflow": "webhook", "action": "spool_filling"})
        else:
            log.info("webhook spool %s is back under %.0f%% full (%d of %d bytes)", self._directory,
                     FILL_LIMIT * 100, usage.bytes, usage.max_bytes,
                     extra={"workflow": "webhook", "action": "spool_draining"})
