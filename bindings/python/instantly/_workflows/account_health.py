"""`instantly.workflows.AccountHealth`: which sending accounts are fine, which need a look and
which hurt deliverability now, with the reasons and the numbers behind each verdict (the C++
AccountHealth of instantly/workflows/account_health.hpp; re-exported by instantly.workflows).

    from instantly.workflows import AccountHealth, HealthThresholds

    health = AccountHealth(client, thresholds=HealthThresholds(bounce_rate_critical=0.08))
    for result in health.check():                       # or check(emails=["a@x.com"])
        print(result.email, result.level, result.warmup_score, result.bounce_rate)
        for reason in result.reasons:
            print("  ", reason.level, reason.code, reason.message)

docs/account-health.md lists every reason, its level and the calls a check makes.
"""
from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Iterable
from typing import Any, Dict, List, Optional, Tuple, Union

from .. import _core
from .._exceptions import ValidationError

__all__ = [
    "AccountHealth", "AccountHealthResult", "DomainVitals", "HealthLevel", "HealthReason", "HealthReasonCode",
    "HealthThresholds", "WarmupNumbers",
]


class HealthLevel(enum.StrEnum):
    """How an account stands. A str, so `result.level == "critical"` works; `rank` orders them."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 ok, 1 warning, 2 critical: `max(levels, key=lambda l: l.rank)` is the worst."""
        return _RANKS[self]


_RANKS = {HealthLevel.OK: 0, HealthLevel.WARNING: 1, HealthLevel.CRITICAL: 2}


class HealthReasonCode(enum.StrEnum):
    """Why an account is not ok (docs/account-health.md has the table)."""

    CONNECTION_ERROR = "connection_error"
    SOFT_BOUNCE_ERROR = "soft_bounce_error"
    SENDING_ERROR = "sending_error"
    ACCOUNT_ERROR = "account_error"
    ACCOUNT_PAUSED = "account_paused"
    WARMUP_PAUSED = "warmup_paused"
    WARMUP_SPAM_FOLDER_UNKNOWN = "warmup_spam_folder_unknown"
    WARMUP_BANNED = "warmup_banned"
    WARMUP_SUSPENDED = "warmup_suspended"
    WARMUP_ERROR = "warmup_error"
    LOW_WARMUP_SCORE = "low_warmup_score"
    MX_FAILING = "mx_failing"
    SPF_FAILING = "spf_failing"
    DKIM_FAILING = "dkim_failing"
    DMARC_FAILING = "dmarc_failing"
    VITALS_UNKNOWN = "vitals_unknown"
    HIGH_BOUNCE_RATE = "high_bounce_rate"
    ACCOUNT_NOT_FOUND = "account_not_found"


_Level = Union[HealthLevel, str]


@dataclasses.dataclass(frozen=True)
class HealthThresholds:
    """When a reading counts as a problem, and how bad. A level of "ok" turns that check off.

    Defaults: a warmup score below 80 is a warning, below 60 critical; a bounce rate (bounced /
    sent over the window, a fraction) above 0.03 is a warning, above 0.05 critical, judged only
    from 20 emails sent on; failing MX, SPF or DKIM is critical, failing DMARC a warning; warmup
    paused and a domain the DNS check did not report are warnings."""

    warmup_score_warning: float = 80
    warmup_score_critical: float = 60
    bounce_rate_warning: float = 0.03
    bounce_rate_critical: float = 0.05
    min_sent_for_bounce_rate: int = 20
    mx_failing: _Level = HealthLevel.CRITICAL
    spf_failing: _Level = HealthLevel.CRITICAL
    dkim_failing: _Level = HealthLevel.CRITICAL
    dmarc_failing: _Level = HealthLevel.WARNING
    warmup_paused: _Level = HealthLevel.WARNING
    vitals_unknown: _Level = HealthLevel.WARNING

    def _to_core(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            out[field.name] = value.value if isinstance(value, HealthLevel) else value
        return out


@dataclasses.dataclass(frozen=True)
class HealthReason:
    """One finding: its code, its level and a message for people (with the numbers)."""

    code: HealthReasonCode
    level: HealthLevel
    message: str

    def to_dict(self) -> Dict[str, Any]:
        return {"code": self.code.value, "level": self.level.value, "message": self.message}


@dataclasses.dataclass(frozen=True)
class DomainVitals:
    """The DNS checks of the account's domain (None: the answer did not say)."""

    domain: str
    mx: Optional[bool]
    spf: Optional[bool]
    dkim: Optional[bool]
    dmarc: Optional[bool]
    all_pass: Optional[bool]


@dataclasses.dataclass(frozen=True)
class WarmupNumbers:
    """The account's warmup traffic over the period the warmup analytics cover."""

    sent: float
    received: float
    landed_inbox: float
    landed_spam: float


@dataclasses.dataclass(frozen=True)
class AccountHealthResult:
    """The verdict on one account: `level` is its worst reason ("ok" with none), `reasons` come
    worst first, and the readings behind them are kept for display."""

    email: str
    level: HealthLevel
    reasons: Tuple[HealthReason, ...]
    #: False when an email given to check() is not an account of the workspace.
    found: bool = True
    #: The account's status code (1 active, 2 paused, -1 connection error, ...), None when absent.
    status: Optional[int] = None
    #: What the mail server last said ("Invalid login: 535 ..."), None when nothing.
    status_detail: Optional[str] = None
    #: 1 active, 0 paused, -1 banned, -2 spam folder unknown, -3 suspended.
    warmup_status: Optional[int] = None
    #: The warmup health score (0..100), None when the API has none.
    warmup_score: Optional[float] = None
    warmup: Optional[WarmupNumbers] = None
    vitals: Optional[DomainVitals] = None
    #: Campaign emails sent over the window, and how many of them bounced.
    sent: int = 0
    bounced: int = 0
    #: bounced / sent (a fraction), None when nothing was sent.
    bounce_rate: Optional[float] = None

    @property
    def ok(self) -> bool:
        return self.level == HealthLevel.OK

    def has(self, code: Union[HealthReasonCode, str]) -> bool:
        """Whether a reason with this code is among `reasons`."""
        return any(reason.code == code for reason in self.reasons)

    def to_dict(self) -> Dict[str, Any]:
        """Every attribute as plain JSON-ready values."""
        out = dataclasses.asdict(self)
        out["level"] = self.level.value
        out["reasons"] = [reason.to_dict() for reason in self.reasons]
        return out

    @classmethod
    def _from_core(cls, d: Dict[str, Any]) -> "AccountHealthResult":
        return cls(
            email=d["email"],
            level=HealthLevel(d["level"]),
            reasons=tuple(HealthReason(HealthReasonCode(r["code"]), HealthLevel(r["level"]), r["message"])
                          for r in d["reasons"]),
            found=d["found"],
            status=d["status"],
            status_detail=d["status_detail"],
            warmup_status=d["warmup_status"],
            warmup_score=d["warmup_score"],
            warmup=WarmupNumbers(**d["warmup"]) if d["warmup"] is not None else None,
            vitals=DomainVitals(**d["vitals"]) if d["vitals"] is not None else None,
            sent=d["sent"],
            bounced=d["bounced"],
            bounce_rate=d["bounce_rate"],
        )

    def __repr__(self) -> str:
        codes = ", ".join(reason.code.value for reason in self.reasons)
        return (f"AccountHealthResult(email={self.email!r}, level={self.level.value!r}, reasons=[{codes}], "
                f"warmup_score={self.warmup_score}, bounce_rate={self.bounce_rate}, sent={self.sent})")


class AccountHealth:
    """Checks the health of a workspace's sending accounts.

    One check lists the accounts (`GET /accounts`, every page), then, for the accounts checked,
    runs the DNS vitals once per domain (`POST /accounts/test/vitals`, `vitals_batch_size` domains
    a call), reads the warmup analytics (`POST /accounts/warmup-analytics`, 100 emails a call) and
    the daily account analytics of the last `window_days` days ending `end_date` (UTC; default
    today) (`GET /accounts/analytics/daily`, 200 emails a call). The GIL is released while it runs.

    Raises ValidationError for bad options (here, before anything is sent)."""

    def __init__(self, client: Any, *, thresholds: Optional[HealthThresholds] = None, window_days: int = 7,
                 end_date: Union[datetime.date, str, None] = None, vitals_batch_size: int = 100,
                 warmup_batch_size: int = 100, daily_batch_size: int = 200) -> None:
        thresholds = thresholds if thresholds is not None else HealthThresholds()
        if not isinstance(thresholds, HealthThresholds):
            raise ValidationError("thresholds must be a HealthThresholds")
        if isinstance(end_date, datetime.datetime):
            end_date = end_date.date()
        if isinstance(end_date, datetime.date):
            end_date = end_date.isoformat()
        for name, value in (("window_days", window_days), ("vitals_batch_size", vitals_batch_size),
                            ("warmup_batch_size", warmup_batch_size), ("daily_batch_size", daily_batch_size)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(f"{name} must be an int")
        self._thresholds = thresholds
        self._runner = _core.AccountHealthRunner(
            client._core, thresholds=thresholds._to_core(), window_days=window_days, end_date=end_date,
            vitals_batch_size=vitals_batch_size, warmup_batch_size=warmup_batch_size,
            daily_batch_size=daily_batch_size)

    @property
    def thresholds(self) -> HealthThresholds:
        return self._thresholds

    def check(self, emails: Optional[Iterable[str]] = None) -> List[AccountHealthResult]:
        """Every account of the workspace in listing order (emails=None), or only these, in the
        given order (case does not matter, repeats are checked once; an email that is not an
        account gets found=False and an account_not_found reason). Raises the API's errors."""
        wanted: Optional[List[str]] = None
        if emails is not None:
            if isinstance(emails, (str, bytes)):
                raise ValidationError("emails must be a list of addresses, not one string")
            wanted = [str(email) for email in emails]
        return [AccountHealthResult._from_core(d) for d in self._runner.check(wanted)]

    def __repr__(self) -> str:
        return f"AccountHealth(thresholds={self._thresholds!r})"
