"""The engagement worker: folds stored events into the engagement, a batch per transaction (the
store's apply_pending), so a crash can neither lose nor double-count an event. The forwarder wakes
it after each batch; it also polls now and then, for events of an earlier run or another receiver.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

from .forwarder import describe
from .stores import errors_of

__all__ = ["EngagementWorker"]

log = logging.getLogger("instantly")


class EngagementWorker:
    BATCH = 256
    RETRIES_WHILE_STOPPING = 5

    def __init__(self, store: Any) -> None:
        self._store = store
        self._errors = errors_of(store)
        self._wake = threading.Condition()
        self._notified = False
        self._stopping = False
        self.applied = 0
        self._thread = threading.Thread(target=self._run, name="engagement", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        with self._wake:
            self._notified = True
            self._wake.notify()

    def stop(self) -> None:
        """Applies everything stored, then returns."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()

    def _run(self) -> None:
        failures_while_stopping = 0
        failing = False
        while True:
            try:
                done = self._store.apply_pending(self.BATCH)
            except self._errors as e:
                if not failing:  # once per outage, not every 0.2 s of it
                    log.warning("applying events failed (will retry): %s", describe(e),
                                extra={"workflow": "webhook", "action": "apply_failed"})
                failing = True
                done = -1
            with self._wake:
                if done < 0:
                    # A failed batch (a deadlock victim, a dropped connection) rolled back whole and is
                    # retried after a pause; on the way out only a few times, so a database that is gone
                    # cannot hold the stop forever (what is left stays stored for the next worker).
                    if self._stopping:
                        failures_while_stopping += 1
                        if failures_while_stopping > self.RETRIES_WHILE_STOPPING:
                            return
                    self._wake.wait(timeout=0.2)
                    continue
                failing = False
                self.applied += done
                if done == self.BATCH:
                    continue
                if self._stopping and done == 0:
                    return
                if done > 0:
                    continue
                # Idle: wait for a forwarder's nudge; poll now and then for events of an earlier run.
                self._wake.wait_for(lambda: self._notified or self._stopping, timeout=1.0)
                self._notified = False
