"""The webhook receiver behind `instantly webhooks listen` and examples/python/webhook_receiver.py:
an HTTP server that verifies, stores (SQLite or PostgreSQL) and folds Instantly's webhook events.
Internal: the command line and the example are its interfaces (docs/webhooks.md, docs/cli.md)."""
from __future__ import annotations

from .server import add_arguments, check_arguments, main, make_verifier, open_store, serve

__all__ = ["add_arguments", "check_arguments", "main", "make_verifier", "open_store", "serve"]
