"""Waiting for work the API finishes in the background (instantly/workflows/pollers.hpp):
background jobs and single email verifications. Re-exported by `instantly.workflows`.

    job = client.leads.move(ids=[...], to_campaign_id=campaign.id)
    job = workflows.wait_for_background_job(client, job, timeout=300)
    if not workflows.job_succeeded(job):
        print("move failed:", job.status, job.data)

    result = workflows.verify_email(client, "jane@example.com")
    result.verification_status  # "verified" / "invalid"

The waits run in C++ with the GIL released; Ctrl-C (or `cancel=`) ends a wait at once.
"""
from __future__ import annotations

import enum
from typing import Any, Callable, Dict, Optional, Union

from .. import _core
from .._exceptions import Error
from ..types.background_job import BackgroundJob
from ..types.email_verification import EmailVerification

__all__ = [
    "wait_for_background_job", "verify_email", "wait_for_email_verification", "job_succeeded", "job_finished",
    "is_terminal_job_status", "verification_finished", "CancelToken", "PollError", "PollTimeoutError",
    "PollCancelledError",
]

#: Seconds; the same defaults as the C++ PollOptions.
_TIMEOUT = 600.0
_INITIAL_INTERVAL = 1.0
_MAX_INTERVAL = 30.0
_MULTIPLIER = 2.0


class PollError(Error):
    """A poller stopped before what it waited for was finished."""

    def __init__(self, message: str, *, last_status: Optional[str] = None, polls: int = 0) -> None:
        super().__init__(message)
        #: The status the last poll saw (None when it never polled).
        self.last_status = last_status
        #: How many reads the poller made.
        self.polls = polls

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_status={self.last_status!r}, polls={self.polls})"


class PollTimeoutError(PollError):
    """The timeout ran out; the job or verification may still finish later."""


class PollCancelledError(PollError):
    """The wait was cancelled through its CancelToken."""


class CancelToken:
    """Cancels waits from any thread: pass it as `cancel=` to one or more waits, then call
    `cancel()`; each wait ends at once with PollCancelledError (also a wait that has not
    started yet). A token stays cancelled."""

    __slots__ = ("_source",)

    def __init__(self) -> None:
        self._source = _core.StopSource()

    def cancel(self) -> None:
        self._source.request_stop()

    @property
    def cancelled(self) -> bool:
        return bool(self._source.stop_requested)

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled})"


def _text(value: Any) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else str(value)


def is_terminal_job_status(status: Any) -> bool:
    """Whether a background job status is final: success, completed, failed, error or cancelled.
    pending, in-progress, paused, draining and values not known yet may still change."""
    return bool(_core.workflows_is_terminal_job_status(_text(status)))


def job_finished(job: BackgroundJob) -> bool:
    """The job is in a final status (successful or not)."""
    return is_terminal_job_status(job.status)


def job_succeeded(job: BackgroundJob) -> bool:
    """The job finished well: status success or completed."""
    return _text(job.status) in ("success", "completed")


def verification_finished(verification: EmailVerification) -> bool:
    """The verification has a result: verification_status is no longer "pending"
    (catch_all may still be "pending")."""
    return _text(verification.verification_status) != "pending"


def _schedule(timeout: Optional[float], initial_interval: float, max_interval: float,
              multiplier: float, cancel: Optional[CancelToken]) -> Dict[str, Any]:
    return {
        "timeout": None if timeout is None else float(timeout),
        "initial_interval": float(initial_interval),
        "max_interval": float(max_interval),
        "multiplier": float(multiplier),
        "cancel": None if cancel is None else cancel._source,
    }


def _callback(on_update: Optional[Callable[[Any], object]], model: Any) -> Optional[Callable[[str], object]]:
    if on_update is None:
        return None
    callback = on_update  # narrowed for the closure

    def forward(text: str) -> object:
        return callback(model.from_json(text))

    return forward


def wait_for_background_job(
    client: Any,
    job: Union[str, BackgroundJob],
    *,
    timeout: Optional[float] = _TIMEOUT,
    initial_interval: float = _INITIAL_INTERVAL,
    max_interval: float = _MAX_INTERVAL,
    multiplier: float = _MULTIPLIER,
    on_update: Optional[Callable[[BackgroundJob], object]] = None,
    cancel: Optional[CancelToken] = None,
) -> BackgroundJob:
    """Polls `GET /api/v2/background-jobs/{id}` until the job is finished and returns it,
    successful or not (check `job_succeeded`). `job` is an id or the BackgroundJob an action
    returned (`client.leads.move(...)`, `client.accounts.enable_warmup(...)`).

    Waits start at `initial_interval` seconds and grow by `multiplier` up to `max_interval`;
    `timeout` (seconds, None for none) bounds the whole wait, with a last poll at the deadline.
    `on_update(job)` runs after every poll. Raises PollTimeoutError / PollCancelledError (both
    with `last_status` and `polls`), ValidationError for bad settings, ApiError from a poll (a
    404 for an unknown id), and whatever on_update raises. Ctrl-C ends the wait at once."""
    job_id = job if isinstance(job, str) else job.id
    text = _core.workflows_wait_for_background_job(
        client._core, job_id, on_update=_callback(on_update, BackgroundJob),
        **_schedule(timeout, initial_interval, max_interval, multiplier, cancel))
    return BackgroundJob.from_json(text)


def verify_email(
    client: Any,
    email: str,
    *,
    timeout: Optional[float] = _TIMEOUT,
    initial_interval: float = _INITIAL_INTERVAL,
    max_interval: float = _MAX_INTERVAL,
    multiplier: float = _MULTIPLIER,
    on_update: Optional[Callable[[EmailVerification], object]] = None,
    cancel: Optional[CancelToken] = None,
) -> EmailVerification:
    """Starts a verification (`POST /api/v2/email-verification`) and, while it is pending, polls
    `GET /api/v2/email-verification/{email}` until it has a result, which it returns (one call
    when the API answers at once). The schedule, errors and cancellation are those of
    wait_for_background_job; ValidationError for something that is not an address."""
    text = _core.workflows_verify_email(
        client._core, email, on_update=_callback(on_update, EmailVerification),
        **_schedule(timeout, initial_interval, max_interval, multiplier, cancel))
    return EmailVerification.from_json(text)


def wait_for_email_verification(
    client: Any,
    email: str,
    *,
    timeout: Optional[float] = _TIMEOUT,
    initial_interval: float = _INITIAL_INTERVAL,
    max_interval: float = _MAX_INTERVAL,
    multiplier: float = _MULTIPLIER,
    on_update: Optional[Callable[[EmailVerification], object]] = None,
    cancel: Optional[CancelToken] = None,
) -> EmailVerification:
    """Only the polling half of verify_email (every poll a GET), for a verification started
    elsewhere."""
    text = _core.workflows_wait_for_email_verification(
        client._core, email, on_update=_callback(on_update, EmailVerification),
        **_schedule(timeout, initial_interval, max_interval, multiplier, cancel))
    return EmailVerification.from_json(text)

