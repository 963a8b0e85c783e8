"""The receiver's one-shot commands, without HTTP:

- drain: forward everything in a spool into the store (a spool left by a receiver whose machine is
  gone, or by one that was killed and is not started again), fold the events into the engagement,
  print `drained N deliveries`.
- reparse: parse every unparsed body again (after a parser fix); those that parse now become events
  (deduplicated as usual) and leave the unparsed table. Prints
  `reparsed N: M became events, K still unparsed`.

webhook_receiver.py --drain / --reparse and `instantly webhooks drain|reparse` run these.
"""
from __future__ import annotations

from typing import Any, Callable

from .forwarder import Forwarder
from .reporting import DeliveryReport
from .rows import EventRow, parse_row

__all__ = ["drain", "reparse", "fold_all"]

FOLD_BATCH = 256


def fold_all(store: Any) -> int:
    """Folds every stored event not yet applied; returns how many."""
    applied = 0
    while True:
        done = store.apply_pending(FOLD_BATCH)
        applied += done
        if done < FOLD_BATCH:
            return applied


def drain(spool: Any, store: Any, say: Callable[[str], None]) -> int:
    """Forwards the whole spool; returns the deliveries forwarded. Raises the store's error (what
    was forwarded before it stays forwarded; the rest stays in the spool)."""
    forwarder = Forwarder(spool, store, DeliveryReport(None), on_forwarded=lambda: None)
    drained = 0
    while True:
        forwarded = forwarder.forward_batch()
        if forwarded == 0:
            break
        drained += forwarded
    fold_all(store)
    say(f"drained {drained} deliveries")
    return drained


def reparse(store: Any, say: Callable[[str], None]) -> tuple[int, int, int]:
    """(tried, became events, still unparsed), in one transaction of the store."""
    became: list[tuple[int, EventRow]] = []
    still: list[tuple[int, str]] = []
    for row_id, body, received_at in store.unparsed_rows():
        row = parse_row(body, received_at)
        if isinstance(row, EventRow):
            became.append((row_id, row))
        else:
            still.append((row_id, row.error))
    store.resolve_unparsed(became, still)
    fold_all(store)
    tried = len(became) + len(still)
    say(f"reparsed {tried}: {len(became)} became events, {len(still)} still unparsed")
    return tried, len(became), len(still)
