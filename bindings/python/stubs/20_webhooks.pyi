class SecretHeaderVerifier(metaclass=type):
    """Checks the secret header a subscription sends with every delivery (constant-time; keeps only SHA-256 digests of the secrets)."""

    def __init__(self, header_name: str, secrets: Union[str, Sequence[str]], *,
                 allow_bearer_prefix: bool = True) -> None: ...
    def verify(self, headers: HeaderSource) -> None:
        """Raises WebhookVerificationError (reason missing_header or bad_secret)."""
    def is_valid(self, headers: HeaderSource) -> bool:
        """The same check as verify, without raising."""
    @property
    def header_name(self) -> str: ...
    @property
    def allows_bearer_prefix(self) -> bool: ...

class StandardWebhooksVerifier(metaclass=type):
    """Checks Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature)."""

    def __init__(self, secrets: Union[str, Sequence[str]], *, tolerance: float = 300.0) -> None: ...
    def verify(self, headers: HeaderSource, body: Union[bytes, str], *, now: Optional[float] = None) -> None:
        """Raises WebhookVerificationError; `now` is Unix seconds (default: the current time)."""
    def is_valid(self, headers: HeaderSource, body: Union[bytes, str], *, now: Optional[float] = None) -> bool:
        """The same check as verify, without raising."""
    def sign(self, msg_id: str, timestamp: int, body: Union[bytes, str]) -> str:
        """The webhook-signature value (`v1,<base64>`) with the first secret."""
    @property
    def tolerance(self) -> float: ...

class Event(metaclass=type):
    """One delivery's payload: known fields typed, every other member in `extra`. Made by instantly.webhooks.parse."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): instantly.webhooks.parse makes events."""
    @property
    def event_type(self) -> EventType: ...
    @property
    def timestamp(self) -> str: ...
    @property
    def workspace(self) -> str: ...
    @property
    def campaign_id(self) -> str: ...
    @property
    def campaign_name(self) -> str: ...
    @property
    def lead_email(self) -> Optional[str]: ...
    @property
    def email_account(self) -> Optional[str]: ...
    @property
    def unibox_url(self) -> Optional[str]: ...
    @property
    def step(self) -> Optional[int]: ...
    @property
    def variant(self) -> Optional[int]: ...
    @property
    def is_first(self) -> Optional[bool]: ...
    @property
    def email_id(self) -> Optional[str]: ...
    @property
    def email_subject(self) -> Optional[str]: ...
    @property
    def email_text(self) -> Optional[str]: ...
    @property
    def email_html(self) -> Optional[str]: ...
    @property
    def reply_text_snippet(self) -> Optional[str]: ...
    @property
    def reply_subject(self) -> Optional[str]: ...
    @property
    def reply_text(self) -> Optional[str]: ...
    @property
    def reply_html(self) -> Optional[str]: ...
    @property
    def extra(self) -> Dict[str, Any]:
        """The members not listed above (a new dict)."""
    def dedupe_key(self) -> str:
        """64 hex digits, the same for every delivery of this event."""
    def to_dict(self) -> Dict[str, Any]:
        """The payload as a dict; parse(json.dumps(d)) gives this event back."""
    def to_json(self) -> str:
        """The payload as JSON text; parse(event.to_json()) == event."""
    def time(self) -> Optional[datetime.datetime]:
        """`timestamp` as a timezone-aware UTC datetime, or None when unreadable."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class LeadEngagement(metaclass=type):
    """Where one lead stands (a row of the lead table): earliest times per state, reply count, email_status and the latest interest."""

    def __init__(self, *, campaign_id: str, lead_email: str, email_sent_at: Optional[str] = None,
                 email_opened_at: Optional[str] = None, email_clicked_at: Optional[str] = None,
                 email_replied_at: Optional[str] = None, email_bounced_at: Optional[str] = None,
                 unsubscribed_at: Optional[str] = None, reply_count: int = 0, email_status: str = "",
                 interest: Optional[str] = None, interest_at: Optional[str] = None) -> None: ...
    @property
    def campaign_id(self) -> str: ...
    @property
    def lead_email(self) -> str: ...
    @property
    def email_sent_at(self) -> Optional[str]: ...
    @property
    def email_opened_at(self) -> Optional[str]: ...
    @property
    def email_clicked_at(self) -> Optional[str]: ...
    @property
    def email_replied_at(self) -> Optional[str]: ...
    @property
    def email_bounced_at(self) -> Optional[str]: ...
    @property
    def unsubscribed_at(self) -> Optional[str]: ...
    @property
    def reply_count(self) -> int: ...
    @property
    def email_status(self) -> str: ...
    @property
    def interest(self) -> Optional[str]: ...
    @property
    def interest_at(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name (LeadEngagement(**d) gives it back)."""
    def __eq__(self, other: object) -> bool: ...

def webhooks_apply(lead: Union[LeadEngagement, Dict[str, Any], None], event: Event) -> Optional[LeadEngagement]:
    """The lead's state with the event applied (a new LeadEngagement), or None when the event is not about this lead."""
def webhooks_lead_key(email: str) -> str:
    """The form lead emails are keyed by: trimmed, ASCII lower-cased."""

class EngagementTracker(metaclass=type):
    """Folds events into per-lead state; idempotent and order-independent. Not synchronised: one thread at a time."""

    def __init__(self) -> None: ...
    def apply(self, event: Event) -> bool:
        """False when already applied (same dedupe key) or not about one lead."""
    def find(self, campaign_id: str, lead_email: str) -> Optional[LeadEngagement]:
        """The lead's state (lead_email in any case), or None."""
    def leads(self) -> List[LeadEngagement]:
        """Every lead, ordered by (campaign_id, lead_email)."""
    def __len__(self) -> int: ...
    @property
    def applied(self) -> int: ...

def webhooks_generate_secret() -> str:
    """A random secret for a subscription's header (43 URL-safe base64 characters)."""
def webhooks_parse(body: Union[bytes, str], *, max_body_bytes: int = 1048576) -> Event:
    """Parses one delivery body; raises DecodeError."""

# The workflows (instantly/workflows/*.hpp), used by instantly.workflows and client.leads.import_leads.
