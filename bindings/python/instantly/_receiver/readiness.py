"""GET /readyz: whether this receiver should get deliveries now (a load balancer's question), as
opposed to /healthz, which says it is alive.

Ready = the store takes writes now (the store's check_writable: SQLite `BEGIN IMMEDIATE` then
`ROLLBACK`; PostgreSQL a transaction that is not read-only) and the receiver is not backed up:
at most BACKLOG_LIMIT deliveries wait for the group commit, and at most BACKLOG_LIMIT stored
events wait to be folded into the engagement.
"""
from __future__ import annotations

from typing import Any, Optional

import instantly

__all__ = ["BACKLOG_LIMIT", "check"]

#: More than this many deliveries waiting for the group commit (each holds a request thread), or
#: stored events waiting to be applied, means the receiver falls behind: at the tens of events a
#: second a campaign produces, about ten minutes of them, far beyond a commit's few milliseconds
#: or the worker's batches of 256. Instantly retries what a 503 sent elsewhere refused.
BACKLOG_LIMIT = 10_000


def check(store: Any, queue_depth: int) -> tuple[bool, dict[str, Any]]:
    """(ready, /readyz's JSON answer). Never raises for a store error: that is a reason."""
    reasons: list[str] = []
    errors = (store.Error, instantly.Error)
    try:
        store.check_writable()
    except errors as e:
        reasons.append(f"store not writable: {e}")
    if queue_depth > BACKLOG_LIMIT:
        reasons.append(f"{queue_depth} deliveries wait for the group commit (limit {BACKLOG_LIMIT})")
    unapplied: Optional[int] = None
    try:
        unapplied = store.unapplied()
    except errors as e:
        reasons.append(f"store not readable: {e}")
    if unapplied is not None and unapplied > BACKLOG_LIMIT:
        reasons.append(f"{unapplied} stored events wait to be applied (limit {BACKLOG_LIMIT})")
    answer: dict[str, Any] = {"ready": not reasons, "queue_depth": queue_depth, "unapplied": unapplied}
    if reasons:
        answer["reasons"] = reasons
    return not reasons, answer
