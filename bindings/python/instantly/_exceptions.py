"""The error hierarchy, the same names as the C++ library (DESIGN.md).

The `_core` extension raises these classes directly: each C++ exception becomes the Python
class of the same name, with the same attributes. No message, attribute or repr ever contains the
API key: the C++ core scrubs it from bodies and messages before they get here.
"""
from __future__ import annotations

from typing import Optional

__all__ = [
    "Error", "ApiError", "BadRequestError", "AuthenticationError", "PaymentRequiredError",
    "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
    "RateLimitError", "InternalServerError", "ApiConnectionError", "ApiTimeoutError", "CancelledError",
    "ResponseTooLargeError", "ValidationError", "DecodeError", "PaginationError", "RateLimiterError", "DatabaseError", "SchemaError",
    "WebhookVerificationError", "SpoolError", "SpoolFullError",
]


class Error(Exception):
    """Base class of every error this package raises."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ApiError(Error):
    """The API answered with an error status (or a 200 whose body is only an error)."""

    def __init__(self, message: str, *, status_code: int, error: str = "", body: str = "",
                 method: str = "", path: str = "", attempts: int = 1, stop_reason: str = "",
                 server_message: Optional[str] = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        #: Short error name from the body ("Bad Request", "ACC_AUTH_ERROR") or the HTTP reason.
        self.error = error
        #: The raw response body (JSON, text or HTML).
        self.body = body
        self.method = method
        self.path = path
        #: Requests actually sent, retries included.
        self.attempts = attempts
        #: Why the client stopped retrying ("retries exhausted", ...), or "".
        self.stop_reason = stop_reason
        self._server_message = server_message

    @property
    def message(self) -> str:
        """The server's explanation (or ours when it gave none), without the request summary."""
        return self._server_message if self._server_message is not None else super().message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, error={self.error!r}, message={self.message!r})"


class BadRequestError(ApiError):
    """400"""


class AuthenticationError(ApiError):
    """401: the API key is missing, malformed or revoked."""


class PaymentRequiredError(ApiError):
    """402: no paid plan or out of credits (never retried)."""


class PermissionDeniedError(ApiError):
    """403: the key lacks a scope, or Cloudflare blocked a generic User-Agent (error code 1010)."""


class NotFoundError(ApiError):
    """404"""


class ConflictError(ApiError):
    """409"""


class UnprocessableEntityError(ApiError):
    """422"""


class RateLimitError(ApiError):
    """429 after the client's retries; `retry_after` (seconds) is the server's hint, if any."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(ApiError):
    """5xx after the client's retries."""


class ApiConnectionError(Error):
    """No HTTP answer: DNS, connect, TLS, a dropped connection or a truncated body."""

    def __init__(self, message: str, *, method: str = "", path: str = "", attempts: int = 1,
                 stop_reason: str = "", request_never_sent: bool = False) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.attempts = attempts
        self.stop_reason = stop_reason
        #: True when the request surely never reached the server (safe to send again).
        self.request_never_sent = request_never_sent


class ApiTimeoutError(ApiConnectionError):
    """The connect or total timeout passed."""


class CancelledError(Error):
    """The call was stopped before it ended: nothing was sent after the stop.

    Ctrl-C during a call raises KeyboardInterrupt, as ever; this is what a call stopped some
    other way raises. `attempts` counts the requests that went out; when `abandoned_in_flight`,
    the last one was cut off and the server may or may not have acted on it.
    """

    def __init__(self, message: str, *, method: str = "", path: str = "", attempts: int = 0,
                 abandoned_in_flight: bool = False) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.attempts = attempts
        self.abandoned_in_flight = abandoned_in_flight


class ResponseTooLargeError(Error):
    """The answer was larger than the client's `max_response_bytes` (counted decompressed), so
    it was abandoned as soon as it passed the limit. Not retried. `limit` is that limit."""

    def __init__(self, message: str, *, limit: int = 0, method: str = "", path: str = "",
                 attempts: int = 0) -> None:
        super().__init__(message)
        self.limit = limit
        self.method = method
        self.path = path
        self.attempts = attempts


class ValidationError(Error, ValueError):
    """Bad input caught before anything was sent."""


class DecodeError(Error):
    """A response could not be read as the expected JSON."""


class PaginationError(Error):
    """The server repeated a cursor; the listing was stopped instead of looping."""


class RateLimiterError(Error):
    """A rate limiter whose budget lives outside the process (rate_limit_backend="redis://...")
    could not be used: unreachable, refusing the credentials, or answering nonsense. The message
    names the host and port and the reason, never a password."""


class DatabaseError(Error):
    """A database store could not do what was asked: connect, authenticate, or run a statement.
    `sqlstate` is PostgreSQL's five-character code when the server gave one ("42501": refused by
    row-level security), "" otherwise. The message names the server, never a password."""

    def __init__(self, message: str, *, sqlstate: str = "") -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class SchemaError(DatabaseError):
    """The database's schema is not the one this version applies: migrations are missing, one this
    version does not know was applied, or a shipped migration was edited after it was applied."""


class WebhookVerificationError(Error):
    """A webhook delivery failed verification.

    The message names the reason and the header involved, never a secret or a signature.
    """

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        #: Why it was refused: "missing_header", "bad_secret", "malformed_signature",
        #: "bad_signature", "missing_timestamp", "stale_timestamp", "future_timestamp"
        #: or "invalid_secret" (the configured secret itself is unusable).
        self.reason = reason


class SpoolError(Error):
    """A webhook spool (instantly.webhooks.Spool) cannot be used: its directory cannot be created,
    locked (another process owns it), written or read, or a segment is damaged before its end. The
    message names the directory or the segment (and the offset of the damage)."""


class SpoolFullError(SpoolError):
    """An append would take the spool past its bound (max_bytes): a receiver answers 503 and
    Instantly delivers again later."""
