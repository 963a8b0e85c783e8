#!/usr/bin/env python3
"""webhook_receiver.py: receives Instantly webhooks and loses none it acknowledged.

The Python counterpart of examples/webhook_receiver (C++), sharing its SQLite schema, so either can
take over the other's database, and its PostgreSQL store (psycopg), so both kinds can share one:

    INSTANTLY_WEBHOOK_SECRET=... python3 webhook_receiver.py --port 8080 --db events.sqlite
    INSTANTLY_DATABASE_URL=postgresql://... python3 webhook_receiver.py --port 8080 --organization UUID
    python3 webhook_receiver.py --drain --spool events.sqlite.spool --db events.sqlite   # a gone receiver's spool
    python3 webhook_receiver.py --reparse --db events.sqlite      # the bodies that did not parse, again

Deliveries are acknowledged from a durable spool (--spool DIR, default beside the SQLite file) and
forwarded into the database by a thread, so the database may be down without a delivery refused
(docs/nothing-lost.md).

The receiver itself ships in the package (instantly/_receiver), so that the installed command
`instantly webhooks listen` runs the same code; this script keeps its own options (no default
database) and messages. See instantly/_receiver/server.py for what it does, docs/webhooks.md for
how to run it.
"""
from __future__ import annotations

import sys

from instantly._receiver import main

if __name__ == "__main__":
    sys.exit(main())
