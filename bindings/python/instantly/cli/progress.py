"""A lead import's progress on stderr: a bar that redraws itself on a terminal, occasional lines
elsewhere when asked (logs, tests), nothing by default off a terminal. Hand-written: tqdm would
be one more dependency for one line of output."""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

from .._workflows.lead_import import ImportProgress

__all__ = ["Progress", "MODES"]

MODES = ("auto", "bar", "lines", "none")
_BAR_WIDTH = 24


def _duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Called with each ImportProgress; close() ends the bar's line."""

    def __init__(self, mode: str = "auto", stream: TextIO = sys.stderr, every: float = 1.0) -> None:
        if mode == "auto":
            mode = "bar" if stream.isatty() else "none"
        self.mode = mode
        self.stream = stream
        self.every = every if mode == "lines" else 0.1
        self._last = 0.0
        self._drawn = False

    def __call__(self, p: ImportProgress) -> None:
        if self.mode == "none":
            return
        now = time.monotonic()
        finished = p.total is not None and p.done >= p.total
        if now - self._last < self.every and not finished:
            return
        self._last = now
        of = f"/{p.total}" if p.total is not None else ""
        rate = f"{p.leads_per_second:.0f} leads/s"
        if self.mode == "lines":
            print(f"instantly: import: {p.done}{of} leads, {rate}, ETA {_duration(p.eta)}", file=self.stream,
                  flush=True)
            return
        if p.total:
            filled = min(_BAR_WIDTH, _BAR_WIDTH * p.done // p.total)
            bar = f"[{'#' * filled}{'-' * (_BAR_WIDTH - filled)}] {100 * p.done // p.total:3d}% "
        else:
            bar = ""
        self.stream.write(f"\r{bar}{p.done}{of} leads  {rate}  ETA {_duration(p.eta)}\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
