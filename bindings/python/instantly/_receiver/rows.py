"""What both stores hold, and how a spooled delivery becomes a row: an event (parsed, keyed by its
dedupe key) or an unparsed body (kept byte for byte, keyed by its SHA-256). The stores
(sqlite_store.py, postgres_store.py) write these rows; the forwarder and `--reparse` make them.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional, Union

import instantly
from instantly import webhooks

__all__ = ["MIGRATIONS", "ENGAGEMENT_COLUMNS", "EventRow", "UnparsedRow", "EventFact", "GapRow", "classify", "event_row",
           "fold"]

# The package's copy of the repository's migrations/ (package data, so an installed package has
# them too); tests/python/package/test_cli_receiver.py checks the copy is byte for byte the same.
MIGRATIONS = Path(__file__).resolve().parent / "sql"

# The columns of instantly.webhooks.LeadEngagement, as both engines' engagement tables hold them.
ENGAGEMENT_COLUMNS = ("campaign_id", "lead_email", "email_sent_at", "email_opened_at", "email_clicked_at",
                      "email_replied_at", "email_bounced_at", "unsubscribed_at", "reply_count", "email_status",
                      "interest", "interest_at")


class EventRow(NamedTuple):
    """A row of the events table, in the order of its INSERT."""
    dedupe_key: str
    event_type: str
    campaign_id: str
    lead_email: Optional[str]
    timestamp: str
    body: str
    received_at: Any  # the spool's ISO 8601 text; PostgreSQL gives a datetime back on --reparse


class UnparsedRow(NamedTuple):
    """A row of the unparsed table: a verified body that is not an event (yet)."""
    body_sha256: str
    body: bytes
    received_at: Any
    error: str


class EventFact(NamedTuple):
    """What the reconcile counts of one stored event (its identity, not its body)."""
    campaign_id: str
    event_type: str
    lead_email: Optional[str]  # as the event named it; webhooks.lead_key() before comparing
    step: Optional[int]        # email_sent's step
    email_id: Optional[str]    # the reply's own id (reply_received, auto_reply_received)


class GapRow(NamedTuple):
    """A window in which a subscription delivered nothing (the webhook_gaps table)."""
    webhook_id: str
    target_url: str
    event_type: Optional[str]
    campaign_id: Optional[str]
    start: str  # ISO 8601 UTC
    end: str
    resumed: bool
    id: Optional[int] = None  # set when read back


def event_row(event: webhooks.Event, body: bytes, received_at: Any) -> EventRow:
    # parse() accepted the body, so it is UTF-8.
    return EventRow(event.dedupe_key(), str(event.event_type), event.campaign_id, event.lead_email,
                    event.timestamp, body.decode("utf-8"), received_at)


def parse_row(body: bytes, received_at: Any) -> Union[EventRow, UnparsedRow]:
    """The row this body makes today: an event, or the body kept with the parser's message (which
    names the problem and never quotes the body)."""
    try:
        return event_row(webhooks.parse(body), body, received_at)
    except instantly.DecodeError as e:
        return UnparsedRow(hashlib.sha256(body).hexdigest(), body, received_at, str(e))


def classify(deliveries: list[webhooks.SpooledDelivery]) -> tuple[list[EventRow], list[UnparsedRow]]:
    """A spool batch as rows, in arrival order: (events, unparsed bodies)."""
    events: list[EventRow] = []
    unparsed: list[UnparsedRow] = []
    for delivery in deliveries:
        row = parse_row(delivery.body, delivery.received_at)
        if isinstance(row, EventRow):
            events.append(row)
        else:
            unparsed.append(row)
    return events, unparsed


def fold(body: str, load: Callable[[str, str], Any], save: Callable[[Any], None]) -> Optional[str]:
    """Applies one stored event to its lead's row: `load(campaign_id, lead_key)` gives the row as a
    dict (or None), `save(lead)` writes it back. Returns why the body could not be applied."""
    try:
        event = webhooks.parse(body)
    except instantly.DecodeError as e:
        return str(e)  # it parsed when it arrived, so it was changed since: keep it, flagged
    if event.lead_email is None:
        return None
    lead = webhooks.apply(load(event.campaign_id, webhooks.lead_key(event.lead_email)), event)
    if lead is not None:
        save(lead)
    return None
