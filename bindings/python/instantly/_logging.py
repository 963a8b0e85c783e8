"""The `instantly` logger: what the client reports about its work, through the standard `logging`.

    debug    each request (operation, method, path template, status, duration, bytes)
    info     each retry (why, how long the wait) and each wait for the rate limiter
    warning  a call given up on after retrying; a failed import chunk; a refused webhook

Every record carries its fields as attributes too (`record.operation`, `record.status`,
`record.delay_ms`, ...), for filters and structured handlers. No record holds the API key, a
header value or a body.

Nothing is printed by default. `INSTANTLY_LOG=debug` (or `info`, `warning`) adds a stderr handler
at that level when the package is imported; any other value is named in a warning and ignored.
"""
from __future__ import annotations

import logging
import os
import warnings

logger = logging.getLogger("instantly")
# A library does not print by itself: without this, warnings would reach logging's last-resort
# handler (stderr) in programs that never configured logging.
logger.addHandler(logging.NullHandler())

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "warn": logging.WARNING,
           "error": logging.ERROR, "off": None, "none": None, "": None}


def configure_from_environment() -> None:
    """Sets up a stderr handler when INSTANTLY_LOG asks for one (called once, on import)."""
    value = os.environ.get("INSTANTLY_LOG")
    if value is None:
        return
    if value.lower() not in _LEVELS:
        shown = value if len(value) <= 40 else value[:40] + "..."
        warnings.warn(f"INSTANTLY_LOG={shown!r} is not one of debug, info, warning, error, off; ignored",
                      RuntimeWarning, stacklevel=2)
        return
    level = _LEVELS[value.lower()]
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
