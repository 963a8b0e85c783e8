"""`instantly.workflows.Unibox`: reading replies (waiting out the 20/min limit of `GET /emails`),
grouping them into threads, unread count, marking read, replying in-thread, and classifying
replies with the keyword default or any classifier of your own (re-exported by
instantly.workflows). The C++ side is instantly/workflows/unibox.hpp and reply_classifier.hpp.

    unibox = instantly.workflows.Unibox(client)
    for email in unibox.emails(campaign_id=campaign.id, is_unread=True):
        ...
    for thread in unibox.threads(campaign_id=campaign.id):
        unibox.reply(thread, body="Thanks! Does Tuesday work?")
        unibox.mark_thread_read(thread)
    for item in unibox.classify(unibox.emails(), classifier=my_llm):
        print(item.label, item.email.subject)
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Dict, List, Optional, Protocol, Sequence, Tuple, Union, runtime_checkable

from .. import _core
from .._exceptions import ValidationError
from .._models import to_jsonable
from ..types.email import Email

__all__ = [
    "Classification", "ClassifiedEmail", "EmailThread", "KeywordReplyClassifier", "ReplyClassifier", "ReplyLabel",
    "Unibox", "UniboxWait", "reply_text",
]

# Only `_core.<name>` at call time here (see lead_import.py: stand-in `_core` modules in tests).

_EMAIL_TYPES = ("received", "sent", "manual")
_MODES = ("emode_focused", "emode_others", "emode_all")


# ---------------------------------------------------------------------------------------- labels


class ReplyLabel(str):
    """What a reply means: one of five strings (`c.label == "interested"`), also available as
    constants (`ReplyLabel.INTERESTED`); `ReplyLabel.ALL` lists them in the keyword classifier's
    precedence order."""

    __slots__ = ()

    UNSUBSCRIBE: ClassVar[ReplyLabel]
    OUT_OF_OFFICE: ClassVar[ReplyLabel]
    NOT_INTERESTED: ClassVar[ReplyLabel]
    INTERESTED: ClassVar[ReplyLabel]
    OTHER: ClassVar[ReplyLabel]
    ALL: ClassVar[Tuple[ReplyLabel, ...]]

    def __repr__(self) -> str:
        return f"ReplyLabel({str.__repr__(str(self))})"

    @classmethod
    def parse(cls, value: str) -> ReplyLabel:
        """`value` as a label, forgiving case, spaces and dashes ("Not Interested" →
        "not_interested"). Raises ValidationError for anything else."""
        if not isinstance(value, str):
            raise ValidationError(f"a reply label must be a str, not {type(value).__name__}")
        name = value.strip().lower().replace("-", "_").replace(" ", "_")
        for label in cls.ALL:
            if label == name:
                return label
        raise ValidationError(f"unknown reply label {value!r}; one of: {', '.join(cls.ALL)}")


ReplyLabel.ALL = tuple(ReplyLabel(name) for name in (
    "unsubscribe", "out_of_office", "not_interested", "interested", "other"))
for _label in ReplyLabel.ALL:
    setattr(ReplyLabel, _label.upper(), _label)
del _label


@dataclass(frozen=True)
class Classification:
    """A classifier's verdict on one reply."""

    #: One of ReplyLabel.ALL (a plain string such as "Interested" is accepted and normalised).
    label: ReplyLabel
    #: 0..1 when the classifier can say how sure it is; the keyword classifier cannot.
    confidence: Optional[float] = None
    #: Why, for people reading logs ("matched 'not interested'").
    reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", ReplyLabel.parse(self.label))
        if self.confidence is not None:
            confidence = float(self.confidence)
            if not 0.0 <= confidence <= 1.0:
                raise ValidationError(f"confidence must be between 0 and 1, got {self.confidence!r}")
            object.__setattr__(self, "confidence", confidence)
        object.__setattr__(self, "reason", str(self.reason))


@dataclass(frozen=True)
class ClassifiedEmail:
    """One email and its verdict (made by Unibox.classify)."""

    email: Email
    classification: Classification

    @property
    def label(self) -> ReplyLabel:
        return self.classification.label


@runtime_checkable
class ReplyClassifier(Protocol):
    """What `Unibox.classify(classifier=...)` accepts besides a plain callable: any object with
    `classify(email)` returning a Classification, a label string, a (label, confidence, reason)
    tuple or a mapping with those keys."""

    def classify(self, email: Email) -> Any: ...


def _email_json(email: Union[Email, Mapping[str, Any]]) -> str:
    if isinstance(email, Email):
        return email.to_json()
    if isinstance(email, Mapping):
        return json.dumps(to_jsonable(email))
    raise TypeError(f"expected an instantly.types.Email or a dict, got {type(email).__name__}")


def _as_email(email: Union[Email, Mapping[str, Any]]) -> Email:
    if isinstance(email, Email):
        return email
    if isinstance(email, Mapping):
        return Email.from_dict(email)
    raise TypeError(f"expected an instantly.types.Email or a dict, got {type(email).__name__}")


def reply_text(email: Union[Email, Mapping[str, Any], str]) -> str:
    """The lead's own words: the body's text (or its HTML as text, or the content preview)
    without quoted history ("On ... wrote:" and below, lines starting with ">", Outlook header
    blocks). A str is taken as a body text. What to hand an LLM classifier."""
    if isinstance(email, str):
        return _core.reply_strip_quoted_text(email)
    return _core.reply_text(_email_json(email))


def _verdict(result: Tuple[str, Optional[float], str]) -> Classification:
    label, confidence, reason = result
    return Classification(ReplyLabel.parse(label), confidence, reason)


class KeywordReplyClassifier:
    """Classifies replies by keyword lists, case-insensitively and on whole words, ignoring
    quoted history; precedence unsubscribe > out_of_office > not_interested > interested >
    other (an opt-out must never be filed as a mere no; auto-replies are full of words that look
    like interest; refusals contain the positive words). The subject counts for out_of_office
    only. Pass your own lists per label to replace the defaults, or with `extend=True` to add to
    them. Thread-safe; docs/unibox.md has the details."""

    def __init__(self, *, unsubscribe: Optional[Sequence[str]] = None,
                 out_of_office: Optional[Sequence[str]] = None,
                 not_interested: Optional[Sequence[str]] = None,
                 interested: Optional[Sequence[str]] = None,
                 extend: bool = False) -> None:
        given = {"unsubscribe": unsubscribe, "out_of_office": out_of_office,
                 "not_interested": not_interested, "interested": interested}
        lists: Dict[str, Optional[List[str]]] = {}
        defaults = _core.reply_default_keywords() if extend else {}
        for name, words in given.items():
            if words is None:
                lists[name] = None
                continue
            if isinstance(words, str) or not all(isinstance(w, str) for w in words):
                raise ValidationError(f"{name} must be a list of strings")
            lists[name] = (defaults.get(name, []) + list(words)) if extend else list(words)
        self._impl = _core.KeywordReplyClassifier(**lists)

    @staticmethod
    def default_keywords() -> Dict[str, List[str]]:
        """The built-in English keyword lists, by label."""
        return _core.reply_default_keywords()

    @property
    def keywords(self) -> Dict[str, List[str]]:
        """The lists in use, by label (lower-cased)."""
        return self._impl.keywords()

    def classify(self, email: Union[Email, Mapping[str, Any], str], *, subject: str = "",
                 is_auto_reply: bool = False) -> Classification:
        """The label of an email (a model or a dict: its text, subject and is_auto_reply are
        read), or of a body text given as a str (with `subject` and `is_auto_reply`)."""
        if isinstance(email, str):
            return _verdict(self._impl.classify_text(subject, email, is_auto_reply))
        return _verdict(self._impl.classify_email(_email_json(email)))

    def __call__(self, email: Union[Email, Mapping[str, Any], str]) -> Classification:
        return self.classify(email)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(words)}" for name, words in self.keywords.items())
        return f"KeywordReplyClassifier({sizes} keywords)"


ClassifierLike = Union[ReplyClassifier, Callable[[Email], Any]]


def _classification_of(result: Any) -> Classification:
    if isinstance(result, Classification):
        return result
    if isinstance(result, str):
        return Classification(ReplyLabel.parse(result))
    if isinstance(result, Mapping):
        return Classification(result["label"], result.get("confidence"), result.get("reason", ""))
    if isinstance(result, tuple) and 1 <= len(result) <= 3:
        return Classification(*result)
    raise TypeError("a classifier must return a Classification, a label str, a (label, confidence, reason) "
                    f"tuple or a mapping with 'label'; got {type(result).__name__}")


# ---------------------------------------------------------------------------------------- threads


@dataclass
class EmailThread:
    """A conversation with one lead, its messages newest first. `id` is the API's thread_id, or
    "subject:<normalised subject>|lead:<lead>" when the messages carry none (`has_api_id` False)."""

    id: str
    has_api_id: bool
    #: The newest message's subject.
    subject: str
    #: The lead's email address; None when no message names one.
    lead: Optional[str]
    #: The campaign of the newest message that has one.
    campaign_id: Optional[str]
    unread: bool
    unread_count: int
    messages: List[Email]

    @property
    def last_message(self) -> Email:
        return self.messages[0]

    @property
    def last_received(self) -> Optional[Email]:
        """The newest message the lead sent (the one to answer); None when there is none."""
        for message in self.messages:
            if message.get("ue_type") == 2:
                return message
        return None

    def __repr__(self) -> str:
        return (f"EmailThread(id={self.id!r}, lead={self.lead!r}, subject={self.subject!r}, "
                f"messages={len(self.messages)}, unread_count={self.unread_count})")

    def _json(self) -> str:
        return json.dumps({"id": self.id, "has_api_id": self.has_api_id,
                           "messages": [m.to_dict() for m in self.messages]})


def _thread_from(data: Mapping[str, Any]) -> EmailThread:
    return EmailThread(id=data["id"], has_api_id=data["has_api_id"], subject=data["subject"], lead=data["lead"],
                       campaign_id=data["campaign_id"], unread=data["unread"], unread_count=data["unread_count"],
                       messages=[Email.from_dict(m) for m in data["messages"]])


# ---------------------------------------------------------------------------------------- unibox


@dataclass(frozen=True)
class UniboxWait:
    """A wait the listing is about to make (passed to `on_wait`)."""

    #: Seconds.
    delay: float
    #: 429 for the rate limit; another status (5xx, 408) or 0 for a connection failure.
    status: int
    #: Failed attempts at this page so far.
    attempt: int
    #: Whether the server's Retry-After decided the delay.
    from_retry_after: bool


def _optional_str(name: str, value: Any) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise ValidationError(f"{name} must be a str, not {type(value).__name__}")


def _filter_json(given: Dict[str, Any]) -> str:
    email_type = given["email_type"]
    if email_type is not None and str(email_type) not in _EMAIL_TYPES:
        raise ValidationError(f"email_type must be one of {', '.join(_EMAIL_TYPES)} or None, not {email_type!r}")
    if given["mode"] is not None and str(given["mode"]) not in _MODES:
        raise ValidationError(f"mode must be one of {', '.join(_MODES)}, not {given['mode']!r}")
    eaccount = given["eaccount"]
    if eaccount is not None and not isinstance(eaccount, str):
        eaccount = ",".join(_optional_str("eaccount", a) or "" for a in eaccount)
    is_unread, i_status = given["is_unread"], given["i_status"]
    if is_unread is not None and not isinstance(is_unread, bool):
        raise ValidationError("is_unread must be a bool")
    if i_status is not None and (isinstance(i_status, bool) or not isinstance(i_status, int)):
        raise ValidationError("i_status must be an int")
    out: Dict[str, Any] = {
        "email_type": None if email_type is None else str(email_type),
        "eaccount": eaccount, "is_unread": is_unread, "i_status": i_status,
        "mode": None if given["mode"] is None else str(given["mode"]),
    }
    for name in ("campaign_id", "list_id", "lead", "company_domain", "search", "assigned_to",
                 "min_timestamp_created", "max_timestamp_created", "starting_after"):
        out[name] = _optional_str(name, given[name])
    return json.dumps(out)


class Unibox:
    """The unibox over a Client: received emails page by page, waiting out `GET /emails`' 20 calls
    per minute (the client's limiter spaces the calls; a 429 from the server is waited out,
    Retry-After first, and never raised), threads, unread count, mark read and replies.

    `sleep(seconds)` replaces the listing's own waits (tests, schedulers); by default they are
    interruptible by Ctrl-C. `on_wait(UniboxWait)` is told about each one. Every call releases
    the GIL while it waits on the network or the rate limit."""

    def __init__(self, client: Any, *, page_size: int = 100, rate_limit_backoff: float = 2.0,
                 max_rate_limit_wait: float = 60.0, sleep: Optional[Callable[[float], object]] = None,
                 on_wait: Optional[Callable[[UniboxWait], object]] = None) -> None:
        if not hasattr(client, "_core"):
            raise TypeError(f"Unibox needs an instantly.Client, got {type(client).__name__}")
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 100:
            raise ValidationError("page_size must be an int between 1 and 100 (the API's limit per call)")
        for name, value in (("rate_limit_backoff", rate_limit_backoff), ("max_rate_limit_wait", max_rate_limit_wait)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValidationError(f"{name} must be a positive number of seconds")
        if sleep is not None and not callable(sleep):
            raise TypeError("sleep must be callable")
        if on_wait is not None and not callable(on_wait):
            raise TypeError("on_wait must be callable")
        self._client = client
        self._page_size = page_size
        self._backoff = float(rate_limit_backoff)
        self._max_wait = float(max_rate_limit_wait)
        self._sleep = sleep
        self._on_wait = on_wait

    def __repr__(self) -> str:
        return f"Unibox(page_size={self._page_size})"

    # ---- reading ----------------------------------------------------------------------------

    def emails(self, *, email_type: Optional[str] = "received", campaign_id: Optional[str] = None,
               list_id: Optional[str] = None, eaccount: Union[str, Sequence[str], None] = None,
               lead: Optional[str] = None, company_domain: Optional[str] = None, search: Optional[str] = None,
               is_unread: Optional[bool] = None, i_status: Optional[int] = None, mode: Optional[str] = None,
               assigned_to: Optional[str] = None, min_timestamp_created: Optional[str] = None,
               max_timestamp_created: Optional[str] = None,
               starting_after: Optional[str] = None) -> Iterator[Email]:
        """Every email matching the filters, newest first, fetched a page at a time as you iterate.
        `email_type`: "received" (the leads' mail, default), "sent", "manual", or None for every
        email. `eaccount` may be a list; `search` takes "thread:<thread_id>" for one thread;
        `i_status` is the lead's interest status (1 interested, -1 not interested, 0 out of
        office, ...). Raises ValidationError for a bad filter at once, API errors as you iterate
        (never RateLimitError)."""
        filter_json = _filter_json(dict(
            email_type=email_type, campaign_id=campaign_id, list_id=list_id, eaccount=eaccount, lead=lead,
            company_domain=company_domain, search=search, is_unread=is_unread, i_status=i_status, mode=mode,
            assigned_to=assigned_to, min_timestamp_created=min_timestamp_created,
            max_timestamp_created=max_timestamp_created, starting_after=starting_after))
        return self._iterate(filter_json)

    def _iterate(self, filter_json: str) -> Iterator[Email]:
        tell: Optional[Callable[[float, int, int, bool], object]] = None
        if self._on_wait is not None:
            on_wait = self._on_wait

            def tell(delay: float, status: int, attempt: int, from_retry_after: bool) -> object:
                return on_wait(UniboxWait(delay, status, attempt, from_retry_after))

        listing = _core.UniboxListing(
            self._client._core, filter_json, page_size=self._page_size, rate_limit_backoff=self._backoff,
            max_rate_limit_wait=self._max_wait, sleep=self._sleep, on_wait=tell)
        try:
            while True:
                page = listing.next_page()
                if page is None:
                    return
                for item in json.loads(page):
                    yield Email.from_dict(item)
        finally:
            listing.stop()  # a loop left early (break, Ctrl-C) ends any wait still running

    def threads(self, **filters: Any) -> List[EmailThread]:
        """Every email matching the filters (as for `emails`) grouped into threads, newest first.
        Reads the whole listing first: narrow the filters for a big workspace. Pass
        `email_type=None` to see the mail you sent in the threads too."""
        emails = list(self.emails(**filters))
        text = _core.unibox_group_threads("[" + ",".join(e.to_json() for e in emails) + "]")
        return [_thread_from(t) for t in json.loads(text)]

    def unread_count(self) -> int:
        """Unread emails in the workspace (`GET /api/v2/emails/unread/count`)."""
        return _core.unibox_unread_count(self._client._core)

    # ---- changing ---------------------------------------------------------------------------

    def mark_thread_read(self, thread: Union[str, EmailThread]) -> bool:
        """Marks a thread read: a thread id (`POST /emails/threads/{id}/mark-as-read`; NotFoundError
        for an unknown one), or an EmailThread (a thread without an API id is marked message by
        message). Returns the API's success flag."""
        if isinstance(thread, EmailThread):
            self.mark_read(thread)
            return True
        if not isinstance(thread, str) or not thread:
            raise ValidationError("mark_thread_read needs a thread id or an EmailThread")
        return _core.unibox_mark_thread_read(self._client._core, thread)

    def mark_read(self, thread: EmailThread) -> int:
        """Marks an EmailThread read; returns the number of calls it took."""
        if not isinstance(thread, EmailThread):
            raise TypeError(f"mark_read needs an EmailThread, got {type(thread).__name__}")
        return _core.unibox_mark_read(self._client._core, thread._json())

    def reply(self, email: Union[Email, Mapping[str, Any], EmailThread], body: Union[str, Mapping[str, str], None] = None,
              *, html: Optional[str] = None, subject: Optional[str] = None, eaccount: Optional[str] = None,
              cc: Optional[str] = None, bcc: Optional[str] = None,
              additional_recipients: Optional[Sequence[str]] = None, reminder_ts: Optional[str] = None,
              assigned_to: Optional[str] = None) -> Email:
        """Answers `email` in its thread (`POST /api/v2/emails/reply` with reply_to_uuid = its id)
        and returns the sent email. For an EmailThread the newest message the lead sent is
        answered. `body` is the text (or {"text": ..., "html": ...}); `html` the HTML version.
        The subject defaults to "Re: <subject>", the sending account to the one that received
        the email. Raises ValidationError without a body."""
        if isinstance(email, EmailThread):
            if not email.messages:
                raise ValidationError("cannot reply to a thread without messages")
            email = email.last_received or email.last_message
        text: Optional[str]
        if isinstance(body, Mapping):
            text, html = body.get("text"), body.get("html", html)
        else:
            text = _optional_str("body", body)
        reply = {"text": text, "html": _optional_str("html", html), "subject": _optional_str("subject", subject),
                 "eaccount": _optional_str("eaccount", eaccount), "cc_address_email_list": _optional_str("cc", cc),
                 "bcc_address_email_list": _optional_str("bcc", bcc),
                 "additional_recipients": list(additional_recipients or []),
                 "reminder_ts": _optional_str("reminder_ts", reminder_ts),
                 "assigned_to": _optional_str("assigned_to", assigned_to)}
        sent = _core.unibox_reply(self._client._core, _email_json(email), json.dumps(reply))
        return Email.from_json(sent)

    # ---- classifying ------------------------------------------------------------------------

    def classify(self, emails: Iterable[Union[Email, Mapping[str, Any]]], *,
                 classifier: Optional[ClassifierLike] = None) -> List[ClassifiedEmail]:
        """Classifies every email, in order. `classifier`: None for KeywordReplyClassifier(), an
        object with `classify(email)`, or a callable `classifier(email)`; either may return a
        Classification, a label str, a (label, confidence, reason) tuple or a mapping. Exceptions
        it raises propagate."""
        if classifier is None:
            classifier = KeywordReplyClassifier()
        if isinstance(classifier, ReplyClassifier):
            call: Callable[[Email], Any] = classifier.classify
        elif callable(classifier):
            call = classifier
        else:
            raise TypeError("classifier must have a classify(email) method or be callable")
        out: List[ClassifiedEmail] = []
        for item in emails:
            email = _as_email(item)
            out.append(ClassifiedEmail(email, _classification_of(call(email))))
        return out
