"""The forwarder: moves spooled deliveries into the store, oldest first, in batches of up to BATCH
per transaction, and only then moves the spool's committed position past them.

Each body is parsed here: events go to the events table (once per dedupe key), bodies that do not
parse to the unparsed table (once per body), both in the batch's one transaction. A crash between
the store's COMMIT and the spool's commit forwards the same deliveries again after the restart,
and their keys make that a no-op. When the store fails (down, locked, read-only), the batch is
rewound and tried again with backoff while the spool keeps taking deliveries; the log says so once
per outage, and once more when the store is back.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional

import instantly

from .reporting import DeliveryReport
from .rows import classify
from .stores import errors_of

__all__ = ["Forwarder"]

log = logging.getLogger("instantly")


def describe(error: BaseException) -> str:
    """A store error for the log: our own errors' messages (they name the server, never a password),
    and for a driver's error its class and first line (a connection failure says what happened; a
    statement's error could quote a value of an event, so it is cut at the first line)."""
    if isinstance(error, instantly.Error):
        return str(error)
    first_line = (str(error).strip().splitlines() or [""])[0][:200]
    return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__


class Forwarder:
    BATCH = 500
    WAIT = 1.0             # seconds read() waits for a delivery, so that stop() is seen soon
    FIRST_BACKOFF = 0.1    # seconds after a failed batch, doubling ...
    MAX_BACKOFF = 5.0      # ... up to this
    TRIES_WHILE_STOPPING = 3  # a store that is gone cannot hold the stop: the spool keeps the rest

    def __init__(self, spool: Any, store: Any, report: DeliveryReport, on_forwarded: Callable[[], None]) -> None:
        self._spool = spool
        self._store = store
        self._report = report
        self._on_forwarded = on_forwarded
        self._errors = errors_of(store)  # SpoolError included: a commit the disk refused
        self._stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.batches = 0
        self.deliveries = 0
        self.largest_batch = 0

    def forward_batch(self, wait: float = 0.0) -> int:
        """Forwards one batch; returns how many deliveries it held (0: the spool is empty). Raises
        what the store raised, after rewinding the spool (the batch is read again next time)."""
        batch = self._spool.read(self.BATCH, wait)
        if not batch.deliveries:
            return 0
        events, unparsed = classify(batch.deliveries)
        try:
            inserted = self._store.store_deliveries(events, unparsed)
            # Counted before the spool's commit, so that whoever sees the spool empty (/healthz's
            # "spooled": 0) sees these counted too. Should the commit fail, the batch is forwarded
            # again and counted again, as the duplicates the store then finds.
            self._report.forwarded(inserted, len(unparsed))
            self._spool.commit(batch.end)
        except BaseException:
            self._spool.rewind()
            raise
        count = len(batch.deliveries)
        self.batches += 1
        self.deliveries += count
        self.largest_batch = max(self.largest_batch, count)
        self._on_forwarded()
        return count

    # ---- as a thread, in a receiver ------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="forwarder", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Forwards what the spool holds (while the store takes it), then returns."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        backoff = self.FIRST_BACKOFF
        outage = False
        tries_while_stopping = 0
        while True:
            stopping = self._stopping.is_set()
            try:
                forwarded = self.forward_batch(0.0 if stopping else self.WAIT)
            except Exception as e:  # noqa: BLE001 - the thread must outlive any one failure
                if not outage:
                    outage = True
                    if isinstance(e, self._errors):
                        log.warning("webhook store unavailable, deliveries wait in the spool (retrying): %s",
                                    describe(e), extra={"workflow": "webhook", "action": "store_unavailable"})
                    else:  # a bug, not an outage: the traceback says where
                        log.exception("forwarding webhook deliveries failed (retrying)",
                                      extra={"workflow": "webhook", "action": "forward_failed"})
                if stopping:
                    tries_while_stopping += 1
                    if tries_while_stopping >= self.TRIES_WHILE_STOPPING:
                        log.warning("webhook store still unavailable while stopping: %d deliveries stay in the "
                                    "spool for the next start (or --drain)", self._spool.usage().pending,
                                    extra={"workflow": "webhook", "action": "spool_left"})
                        return
                if stopping:
                    time.sleep(min(backoff, 0.5))  # the stop event is set: waiting on it would not wait
                else:
                    self._stopping.wait(backoff)   # a stop ends the wait at once
                backoff = min(backoff * 2, self.MAX_BACKOFF)
                continue
            if outage and forwarded > 0:  # a batch went through: an empty spool proves nothing
                outage = False
                log.info("webhook store available again: forwarding the spool",
                         extra={"workflow": "webhook", "action": "store_available"})
            if not outage:
                backoff = self.FIRST_BACKOFF
            if stopping and forwarded == 0:
                return
