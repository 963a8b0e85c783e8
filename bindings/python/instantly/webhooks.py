"""Receiving Instantly webhooks: verify a delivery, parse its event, derive a key that is the
same for every retry of one event, and fold events into per-lead engagement state.

    from instantly import webhooks

    verifier = webhooks.SecretHeaderVerifier("X-Webhook-Secret", secret)
    verifier.verify(request.headers)          # raises instantly.WebhookVerificationError
    event = webhooks.parse(request.get_data())
    if store(event.dedupe_key(), event.to_json()):  # INSERT ... ON CONFLICT DO NOTHING inserted it
        row = webhooks.apply(load_row(event), event)  # the per-lead engagement fold, pure

Instantly does not sign deliveries: its only authentication is the `headers` map of the
subscription, sent verbatim with every delivery. `subscribe` finds or creates the subscription
with a secret header and returns the verifier that accepts exactly its deliveries. Deliveries
through a signing relay use Standard Webhooks: StandardWebhooksVerifier.

`watch_subscriptions` resumes the subscriptions Instantly disabled after failed deliveries and
reports the window each one missed, for the reconcile (docs/nothing-lost.md):

    report = webhooks.watch_subscriptions(client, target_url="https://hooks.example.com/instantly")
    for gap in report.gaps:
        reconcile(gap.start, gap.end)

The verifiers, `parse`, Event, LeadEngagement, `apply`, EngagementTracker, `subscribe` and
`watch_subscriptions` are the C++ library's (instantly/webhooks/*.hpp). Verifiers and events may be shared by threads; an EngagementTracker
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
import json
from typing import TYPE_CHECKING, ClassVar, Dict, Iterable, List, Optional, Protocol, Tuple, Union

from . import _core
from ._core import (EngagementTracker, Event, LeadEngagement, SecretHeaderVerifier, Spool, SpoolBatch,
                    SpooledDelivery, SpoolPosition, SpoolUsage, StandardWebhooksVerifier)
from .types.webhook import Webhook, WebhookEventType

if TYPE_CHECKING:
    from ._client import Client

__all__ = [
    "EventType", "Event", "LeadEngagement", "EngagementTracker", "SecretHeaderVerifier",
    "StandardWebhooksVerifier", "Subscription", "HeaderItems", "HeaderSource", "generate_secret", "parse",
    "verify", "subscribe", "is_disabled", "apply", "lead_key", "Spool", "SpoolBatch", "SpooledDelivery",
    "SpoolPosition", "SpoolUsage", "watch_subscriptions", "WatchReport", "SubscriptionGap", "FailingSubscription",
    "WatchError",
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
    """What `subscribe` returned: the webhook as Instantly created it (or as it was found, and
    updated, when reused), the secret it sends (store it where the receiver reads it; never shown
    by repr), the verifier for its deliveries, and whether an existing subscription was reused."""

    webhook: Webhook
    secret: str
    verifier: SecretHeaderVerifier
    reused: bool = False

    def __repr__(self) -> str:
        # Not the webhook's own repr: its `headers` hold the secret.
        return (f"Subscription(webhook_id={self.webhook.id!r}, target_hook_url={self.webhook.target_hook_url!r}, "
                f"event_type={self.webhook.event_type!r}, verifier={self.verifier!r}, reused={self.reused!r})")


def _webhook(text: str) -> Webhook:
    """A webhook from the JSON text the C++ half hands over."""
    return Webhook.from_dict(json.loads(text))


def subscribe(client: Client, *, target_url: str, event_type: Union[WebhookEventType, str] = "all_events",
              campaign: Optional[str] = None, name: Optional[str] = None, header_name: str = "X-Webhook-Secret",
              bearer: bool = False, secret: Optional[str] = None) -> Subscription:
    """The subscription of `event_type` events (of `campaign`, or every campaign) to `target_url`,
    whose `headers` carry a secret (`Bearer <secret>` with bearer=True, for
    header_name="Authorization"), with the verifier that accepts exactly its deliveries.

    Idempotent: an existing subscription with the same event type, target URL and campaign is
    returned (`reused` True) instead of a second one being created, so a receiver can subscribe
    every time it starts. Its secret on reuse: a given `secret` the subscription does not send yet
    is written to it (its other headers kept); without one, the secret it already sends is
    returned, or a fresh one (`generate_secret()`) is written when it sends none under
    header_name. A disabled subscription is reused as it is: `watch_subscriptions` resumes it and
    reports the events it missed. A new subscription gets `secret` or a fresh one.

    Raises instantly.ValidationError for an empty target_url or header_name before anything is
    sent, and what listing, creating or updating webhooks raises. Runs without the GIL; Ctrl-C
    stops it.

    The subscription's headers come back from GET /webhooks: whoever holds the API key can read
    the secret."""
    # The C++ subscribe (instantly/webhooks/subscription.hpp): one implementation of the rules.
    d = _core.webhooks_subscribe(client._core, target_url=target_url, event_type=str(event_type),
                                 campaign=campaign, name=name, header_name=header_name, bearer=bearer,
                                 secret=secret or None)
    return Subscription(webhook=_webhook(d["webhook"]), secret=d["secret"],
                        verifier=d["verifier"], reused=d["reused"])


# ---- watching subscriptions ---------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SubscriptionGap:
    """A window in which a disabled subscription delivered nothing: reconcile [start, end] from the
    API. Times are ISO 8601 UTC with milliseconds ("2026-01-05T10:00:00.123Z")."""

    webhook_id: str
    target_url: str
    #: The subscription's event type ("all_events", ...).
    event_type: EventType
    #: The campaign it covers; None for every campaign.
    campaign: Optional[str]
    #: The first failed delivery to its URL that no retry made good, after the URL's last
    #: success before the disabling; `timestamp_error` when the log shows none.
    start: str
    #: When it was resumed, or, when it was not, when it was found disabled.
    end: str
    #: Resumed by this watch (False with resume_disabled=False, or when the resume failed).
    resumed: bool


@dataclasses.dataclass(frozen=True)
class FailingSubscription:
    """An enabled subscription whose latest delivery attempts (within failing_lookback) all failed
    with no success since: its URL no longer answers. Nothing was changed."""

    webhook: Webhook
    #: The first failed attempt after the URL's last success (ISO 8601 UTC).
    since: str
    #: The latest failed attempt (ISO 8601 UTC).
    last_attempt: str
    #: The HTTP status the latest attempt got; None when no answer came (refused, timed out).
    last_status_code: Optional[int]
    #: The latest attempt's error message as the log gives it ("" when none).
    last_error: str
    #: Failed attempts since `since`, retries included.
    failed_attempts: int

    def __repr__(self) -> str:
        # Not the webhook's own repr: its `headers` hold the secret.
        return (f"FailingSubscription(webhook_id={self.webhook.id!r}, "
                f"target_hook_url={self.webhook.target_hook_url!r}, since={self.since!r}, last_attempt={self.last_attempt!r}, "
                f"last_status_code={self.last_status_code!r}, last_error={self.last_error!r}, "
                f"failed_attempts={self.failed_attempts!r})")


@dataclasses.dataclass(frozen=True)
class WatchError:
    """A subscription the watch could not finish: its resume or its URL's delivery log failed."""

    webhook_id: str
    message: str


@dataclasses.dataclass(frozen=True)
class WatchReport:
    """What `watch_subscriptions` saw and did."""

    #: Every subscription looked at, as listed (before any resume).
    watched: Tuple[Webhook, ...]
    #: One per disabled subscription, resumed or not.
    gaps: Tuple[SubscriptionGap, ...]
    #: Enabled subscriptions whose URL stopped answering.
    failing: Tuple[FailingSubscription, ...]
    #: Per-subscription failures; the other subscriptions were still watched.
    errors: Tuple[WatchError, ...]

    def __repr__(self) -> str:
        # The webhooks by id: their `headers` hold secrets.
        return (f"WatchReport(watched={[w.id for w in self.watched]!r}, gaps={list(self.gaps)!r}, "
                f"failing={list(self.failing)!r}, errors={list(self.errors)!r})")


def watch_subscriptions(client: Client, *, target_url: Optional[str] = None, resume_disabled: bool = True,
                        failing_lookback: float = 3600.0) -> WatchReport:
    """Lists the subscriptions (those delivering exactly to `target_url`, or all), resumes the
    ones Instantly disabled (unless resume_disabled=False) and reports the gap each one left, and
    reports the enabled ones whose URL stopped answering (their latest attempts within
    `failing_lookback` seconds failed; also how far before its disabling a disabled one's failing
    streak is followed). Run it on a schedule next to the receiver; reconcile every gap.

    Raises what listing the subscriptions raises, and instantly.ValidationError for a negative
    failing_lookback. One subscription's failed resume or unreadable delivery log goes into
    `errors` and the others are still watched (a gap whose log could not be read starts
    failing_lookback before the disabling). Runs without the GIL; Ctrl-C stops it.

    Requests: the subscription list, one delivery-log read per URL (failures only; successes too
    when there were failures) and one resume per disabled subscription."""
    d = _core.webhooks_watch_subscriptions(client._core, target_url=target_url or "",
                                           resume_disabled=resume_disabled, failing_lookback=failing_lookback)
    return WatchReport(
        watched=tuple(_webhook(text) for text in d["watched"]),
        gaps=tuple(SubscriptionGap(webhook_id=g["webhook_id"], target_url=g["target_url"],
                                   event_type=EventType(g["event_type"]), campaign=g["campaign"], start=g["start"],
                                   end=g["end"], resumed=g["resumed"]) for g in d["gaps"]),
        failing=tuple(FailingSubscription(webhook=_webhook(f["webhook"]), since=f["since"],
                                          last_attempt=f["last_attempt"], last_status_code=f["last_status_code"],
                                          last_error=f["last_error"], failed_attempts=f["failed_attempts"])
                      for f in d["failing"]),
        errors=tuple(WatchError(webhook_id=e["webhook_id"], message=e["message"]) for e in d["errors"]),
    )


def is_disabled(webhook: Webhook) -> bool:
    """Instantly disabled the subscription after failed deliveries (`status == -1`);
    `client.webhooks.resume(webhook.id)` turns it back on."""
    return webhook.status == -1
