"""Receiving Instantly webhooks: verify a delivery, parse its event, derive a key that is the
same for every retry of one event, and fold events into per-lead engagement state.

    from instantly import webhooks

    verifier = webhooks.SecretHeaderVerifier("X-Webhook-Secret", secret)
    verifier.verify(request.headers)          # raises instantly.WebhookVerificationError
    event = webhooks.parse(request.get_data())
    if store(event.dedupe_key(), event.to_json()):  # INSERT ... ON CONFLICT DO NOTHING inserted it
        row = webhooks.apply(load_row(event), event)  # the per-lead engagement fold, pure

Instantly does not sign deliveries: its only authentication is the `headers` map of the
subscription, sent verbatim with every delivery. `subscribe` creates a subscription with a fresh
secret header and returns the verifier that accepts exactly its deliveries. Deliveries through a
signing relay use Standard Webhooks: StandardWebhooksVerifier.

The verifiers, `parse`, Event, LeadEngagement, `apply` and EngagementTracker are the C++
library's (instantly/webhooks/*.hpp). Verifiers and events may be shared by threads; an EngagementTracker
is for one thread at a time.

Spool is the C++ library's durable spool (instantly/webhooks/spool.hpp): acknowledge a delivery once
it is on disk, store it later (docs/nothing-lost.md). Its format is shared with the C++ receiver.

    with webhooks.Spool("events.spool", max_bytes=1 << 30) as spool:
        spool.append(body, content_type)           # on disk: answer 200
        batch = spool.read(500, wait=1.0)          # the forwarder: oldest first
        store(batch.deliveries)                    # one transaction
        spool.commit(batch.end)                    # or spool.rewind() when the store refused

append() and usage() from any number of threads; read(), commit() and rewind() from one.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar, Dict, Iterable, List, Optional, Protocol, Tuple, Union

from . import _core
from ._core import (EngagementTracker, Event, LeadEngagement, SecretHeaderVerifier, Spool, SpoolBatch,
                    SpooledDelivery, SpoolPosition, SpoolUsage, StandardWebhooksVerifier)
from ._exceptions import ValidationError
from ._types import NOT_GIVEN
from .types.webhook import Webhook, WebhookEventType

if TYPE_CHECKING:
    from ._client import Client

__all__ = [
    "EventType", "Event", "LeadEngagement", "EngagementTracker", "SecretHeaderVerifier",
    "StandardWebhooksVerifier", "Subscription", "HeaderItems", "HeaderSource", "generate_secret", "parse",
    "verify", "subscribe", "is_disabled", "apply", "lead_key", "Spool", "SpoolBatch", "SpooledDelivery",
    "SpoolPosition", "SpoolUsage",
]


class HeaderItems(Protocol):
    """Anything with `.items()` giving (name, value) pairs: dict, http.client.HTTPMessage,
    email.message.Message, Flask/Werkzeug headers."""

    def items(self) -> Iterable[Tuple[str, str]]: ...


#: What the verifiers take as a request's headers: a mapping or an iterable of (name, value) pairs.
HeaderSource = Union[HeaderItems, Iterable[Tuple[str, str]]]


# ---- event types --------------------------------------------------------------------------------

_INTERNED: Dict[str, "EventType"] = {}


class EventType(str):
    """The `event_type` of a payload: an open set of strings. `event.event_type == "email_sent"`
    holds, the known names are constants (`EventType.EMAIL_SENT`, the same object every event
    carries), and a custom workspace label stays the raw label (`EventType("My Label")`)."""

    __slots__ = ()

    ALL_EVENTS: ClassVar[EventType]
    EMAIL_SENT: ClassVar[EventType]
    EMAIL_OPENED: ClassVar[EventType]
    EMAIL_LINK_CLICKED: ClassVar[EventType]
    REPLY_RECEIVED: ClassVar[EventType]
    EMAIL_BOUNCED: ClassVar[EventType]
    LEAD_UNSUBSCRIBED: ClassVar[EventType]
    CAMPAIGN_COMPLETED: ClassVar[EventType]
    ACCOUNT_ERROR: ClassVar[EventType]
    LEAD_NEUTRAL: ClassVar[EventType]
    LEAD_INTERESTED: ClassVar[EventType]
    LEAD_NOT_INTERESTED: ClassVar[EventType]
    LEAD_MEETING_BOOKED: ClassVar[EventType]
    LEAD_MEETING_COMPLETED: ClassVar[EventType]
    LEAD_CLOSED: ClassVar[EventType]
    LEAD_OUT_OF_OFFICE: ClassVar[EventType]
    LEAD_WRONG_PERSON: ClassVar[EventType]
    LEAD_NO_SHOW: ClassVar[EventType]
    SUPERSEARCH_ENRICHMENT_COMPLETED: ClassVar[EventType]
    #: "link_clicked": the payload name of email_link_clicked deliveries.
    LINK_CLICKED: ClassVar[EventType]
    #: "auto_reply_received": arrives through all_events only.
    AUTO_REPLY_RECEIVED: ClassVar[EventType]

    def __new__(cls, value: str) -> EventType:
        if not isinstance(value, str):
            raise TypeError(f"EventType takes a str, not {type(value).__name__}")
        known = _INTERNED.get(value)
        if known is not None and cls is EventType:
            return known
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"EventType({str.__repr__(str(self))})"

    @property
    def value(self) -> str:
        """The wire value (as on the generated enums)."""
        return str(self)

    @property
    def is_known(self) -> bool:
        """One of the 21 names above (a custom label is not)."""
        return str(self) in _INTERNED

    @property
    def is_lead_status(self) -> bool:
        """A lead status (the "interest" column): lead_neutral ... lead_no_show, or a custom label."""
        return str(self) in _LEAD_STATUSES or not self.is_known

    @property
    def subscription_type(self) -> EventType:
        """The subscription type that delivers this payload: link_clicked → email_link_clicked,
        auto_reply_received and custom labels → all_events, the rest → themselves."""
        if self == "link_clicked":
            return EventType.EMAIL_LINK_CLICKED
        if self == "auto_reply_received" or not self.is_known:
            return EventType.ALL_EVENTS
        return EventType(str(self))

    @classmethod
    def subscription_types(cls) -> List[EventType]:
        """The 19 types a subscription can name, in the order of the API's documentation."""
        return list(_SUBSCRIPTION_TYPES)


_SUBSCRIPTION_TYPES: Tuple[EventType, ...] = tuple(EventType(name) for name in (
    "all_events", "email_sent", "email_opened", "email_link_clicked", "reply_received", "email_bounced",
    "lead_unsubscribed", "campaign_completed", "account_error", "lead_neutral", "lead_interested",
    "lead_not_interested", "lead_meeting_booked", "lead_meeting_completed", "lead_closed", "lead_out_of_office",
    "lead_wrong_person", "lead_no_show", "supersearch_enrichment_completed",
))
_LEAD_STATUSES = frozenset({
    "lead_neutral", "lead_interested", "lead_not_interested", "lead_meeting_booked", "lead_meeting_completed",
    "lead_closed", "lead_out_of_office", "lead_wrong_person", "lead_no_show",
})
for _type in _SUBSCRIPTION_TYPES + (EventType("link_clicked"), EventType("auto_reply_received")):
    _INTERNED[str(_type)] = _type
    setattr(EventType, str(_type).upper(), _type)
del _type


# ---- verification and parsing ------------------------------------------------------------------

def generate_secret() -> str:
    """A random secret for a subscription's header: 32 bytes from OpenSSL's CSPRNG, URL-safe
    base64 without padding (43 characters)."""
    return _core.webhooks_generate_secret()


def parse(body: Union[bytes, str], *, max_body_bytes: int = 1 << 20) -> Event:
    """Parses one delivery body. Raises instantly.DecodeError naming the problem (never quoting
    the body): over max_body_bytes, not UTF-8, not a JSON object, no `event_type` string, a known
    field of the wrong type."""
    if isinstance(body, str):
        # A lone surrogate (a body decoded with errors="surrogateescape") has no UTF-8 form;
        # "surrogatepass" keeps it as the invalid bytes it stands for, which the parser refuses
        # with a DecodeError like any other body that is not UTF-8.
        body = body.encode("utf-8", "surrogatepass")
    return _core.webhooks_parse(body, max_body_bytes=max_body_bytes)


# ---- engagement ----------------------------------------------------------------------------------

def apply(lead: Union[LeadEngagement, Dict[str, object], None], event: Event) -> Optional[LeadEngagement]:
    """The engagement fold: `lead` (a stored row as a LeadEngagement or its to_dict(), or None for
    a lead without a row) with `event` applied, as a new LeadEngagement; None when the event is not
    about this lead (another lead or campaign, or no lead at all).

    Pure, so a store can keep rows anywhere: load the row, apply, save. The "_at" columns, interest
    and email_status do not mind order or repeats; reply_count counts what it is given, so apply an
    event when the store says its dedupe key is new (INSERT ... ON CONFLICT DO NOTHING inserted a
    row), in the transaction that records it. EngagementTracker does this in memory."""
    return _core.webhooks_apply(lead, event)


def lead_key(email: str) -> str:
    """The form lead emails are keyed by: surrounding spaces and tabs removed, ASCII lower-cased."""
    return _core.webhooks_lead_key(email)


def verify(verifier: Union[SecretHeaderVerifier, StandardWebhooksVerifier], headers: HeaderSource,
           body: Union[bytes, str] = b"") -> None:
    """Verifies a delivery with either verifier (the body only matters for Standard Webhooks).
    Raises instantly.WebhookVerificationError."""
    if isinstance(verifier, SecretHeaderVerifier):
        verifier.verify(headers)
    elif isinstance(verifier, StandardWebhooksVerifier):
        verifier.verify(headers, body)
    else:
        raise TypeError(f"verify takes a SecretHeaderVerifier or StandardWebhooksVerifier, "
                        f"not {type(verifier).__name__}")


# ---- subscribing --------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Subscription:
    """What `subscribe` made: the webhook as Instantly created it, the secret it sends (store it
    where the receiver reads it; never shown by repr) and the verifier for its deliveries."""

    webhook: Webhook
    secret: str
    verifier: SecretHeaderVerifier

    def __repr__(self) -> str:
        # Not the webhook's own repr: its `headers` hold the secret.
        return (f"Subscription(webhook_id={self.webhook.id!r}, target_hook_url={self.webhook.target_hook_url!r}, "
                f"event_type={self.webhook.event_type!r}, verifier={self.verifier!r})")


def subscribe(client: Client, *, target_url: str, event_type: Union[WebhookEventType, str] = "all_events",
              campaign: Optional[str] = None, name: Optional[str] = None, header_name: str = "X-Webhook-Secret",
              bearer: bool = False, secret: Optional[str] = None) -> Subscription:
    """Creates a subscription through `client.webhooks.create` whose `headers` carry a secret
    (`generate_secret()` unless given; `Bearer <secret>` with bearer=True, for
    header_name="Authorization"), and returns it with the verifier that accepts exactly its
    deliveries. Raises instantly.ValidationError for an empty target_url or header_name before
    anything is sent, and what `client.webhooks.create` raises.

    The subscription's headers come back from GET /webhooks: whoever holds the API key can read
    the secret."""
    if not target_url:
        raise ValidationError("webhook subscription needs a target_url")
    if not header_name:
        raise ValidationError("webhook subscription needs a header_name for the secret")
    secret = secret or generate_secret()
    # Built before the request, so a bad configuration fails before anything exists remotely.
    verifier = SecretHeaderVerifier(header_name, [secret], allow_bearer_prefix=bearer)
    webhook = client.webhooks.create(
        target_hook_url=target_url,
        event_type=event_type,
        campaign=NOT_GIVEN if campaign is None else campaign,
        name=NOT_GIVEN if name is None else name,
        headers={header_name: f"Bearer {secret}" if bearer else secret},
    )
    return Subscription(webhook=webhook, secret=secret, verifier=verifier)


def is_disabled(webhook: Webhook) -> bool:
    """Instantly disabled the subscription after failed deliveries (`status == -1`);
    `client.webhooks.resume(webhook.id)` turns it back on."""
    return webhook.status == -1
