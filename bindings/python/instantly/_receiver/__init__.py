"""The webhook receiver behind `instantly webhooks listen|drain|reparse` and
examples/python/webhook_receiver.py: an HTTP server that verifies Instantly's webhook deliveries,
acknowledges them from a durable spool, and forwards them into a store (SQLite or PostgreSQL) where
they are deduplicated and folded into the engagement. Internal: the command line and the example are
its interfaces (docs/webhooks.md, docs/cli.md, docs/nothing-lost.md)."""
from __future__ import annotations

from .options import (add_arguments, add_spool_arguments, add_store_arguments, check_arguments, make_verifier,
                      open_spool, open_store)
from .server import main, run_command, serve

__all__ = ["add_arguments", "add_spool_arguments", "add_store_arguments", "check_arguments", "main", "make_verifier",
           "open_spool", "open_store", "run_command", "serve"]
