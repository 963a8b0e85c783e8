
class UniboxListing(metaclass=type):
    """One GET /api/v2/emails listing that waits out the rate limit (instantly.workflows.Unibox.emails)."""

    def __init__(self, core: Core, filter_json: str, *, page_size: int, rate_limit_backoff: float,
                 max_rate_limit_wait: float, sleep: Optional[Callable[[float], object]],
                 on_wait: Optional[Callable[[float, int, int, bool], object]]) -> None: ...
    def next_page(self) -> Optional[str]:
        """The next page's emails (a JSON array text), or None once the listing is over."""
    def stop(self) -> None:
        """Ends the listing: a wait in progress returns, nothing more is fetched."""

def unibox_group_threads(emails_json: str) -> str:
    """Emails (a JSON array text) grouped into threads, newest first (a JSON array text)."""
def unibox_unread_count(core: Core) -> int:
    """GET /api/v2/emails/unread/count."""
def unibox_mark_thread_read(core: Core, thread_id: str) -> bool:
    """POST /api/v2/emails/threads/{thread_id}/mark-as-read."""
def unibox_mark_read(core: Core, thread_json: str) -> int:
    """Marks a thread (JSON text) read: by its API id, or message by message; returns the calls made."""
def unibox_reply(core: Core, original_json: str, reply_json: str) -> str:
    """POST /api/v2/emails/reply answering the email (JSON text); returns the sent email (JSON text)."""

class KeywordReplyClassifier(metaclass=type):
    """The C++ keyword classifier; instantly.workflows.KeywordReplyClassifier wraps it."""

    def __init__(self, *, unsubscribe: Optional[List[str]] = None, out_of_office: Optional[List[str]] = None,
                 not_interested: Optional[List[str]] = None, interested: Optional[List[str]] = None) -> None: ...
    def classify_text(self, subject: str, body: str, is_auto_reply: bool = False) -> Tuple[str, Optional[float], str]:
        """(label, confidence, reason) for a subject and body text."""
    def classify_email(self, email_json: str) -> Tuple[str, Optional[float], str]:
        """(label, confidence, reason) for an email (JSON text)."""
    def keywords(self) -> Dict[str, List[str]]:
        """The keyword lists in use, by label (lower-cased)."""

def reply_default_keywords() -> Dict[str, List[str]]:
    """The built-in English keyword lists, by label."""
def reply_text(email_json: str) -> str:
    """The lead's own words in an email (JSON text), quoted history removed."""
def reply_strip_quoted_text(body: str) -> str:
    """The text without quoted history."""
def reply_html_to_text(html: str) -> str:
    """Plain text of an HTML body, quoted blocks left out."""
