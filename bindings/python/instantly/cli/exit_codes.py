"""The command's exit codes, one per class of failure, so scripts can branch on what went wrong
without parsing messages (docs/cli.md lists them). The mapping from exceptions lives here too."""
from __future__ import annotations

import errno
from typing import Tuple

from .. import _exceptions as api

__all__ = ["OK", "FAILURE", "USAGE", "AUTH", "NOT_FOUND", "RATE_LIMITED", "CONNECTION", "INTERRUPTED",
           "CliError", "UsageError", "classify"]

OK = 0
#: An API error not classified below (400, 402, 409, 422, 5xx after retries), or any other failure.
FAILURE = 1
#: Bad command line or input: unknown flag, wrong type, missing file, a broken CSV row, a config
#: file others can read. Nothing was sent (or, for an import, nothing was sent unreported).
USAGE = 2
#: 401 or 403: the API key is wrong, revoked or lacks the scope.
AUTH = 3
#: 404
NOT_FOUND = 4
#: 429 after the client's retries.
RATE_LIMITED = 5
#: No HTTP answer: DNS, connect, TLS, a dropped connection, a timeout.
CONNECTION = 6
#: Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


class CliError(Exception):
    """A failure the command reports as one line and an exit code."""

    def __init__(self, message: str, code: int = FAILURE) -> None:
        super().__init__(message)
        self.code = code


class UsageError(CliError):
    """Bad command line or input (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, USAGE)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _api_message(error: api.ApiError) -> str:
    where = f" ({error.method} {error.path})" if error.method and error.path else ""
    name = f" {error.error}" if error.error else ""
    text = f"{error.status_code}{name}: {error.message}{where}"
    if isinstance(error, api.RateLimitError) and error.retry_after is not None:
        text += f"; retry after {error.retry_after:g} s"
    return text


def classify(error: BaseException) -> Tuple[int, str]:
    """(exit code, one-line message) for an exception. The messages come from the package's
    errors, which never contain the API key (the C++ core scrubs it)."""
    if isinstance(error, CliError):
        return error.code, _one_line(str(error))
    if isinstance(error, (api.AuthenticationError, api.PermissionDeniedError)):
        hint = " (check INSTANTLY_API_KEY or `instantly config set-key`)" \
            if isinstance(error, api.AuthenticationError) else ""
        return AUTH, _one_line(_api_message(error)) + hint
    if isinstance(error, api.NotFoundError):
        return NOT_FOUND, _one_line(_api_message(error))
    if isinstance(error, api.RateLimitError):
        return RATE_LIMITED, _one_line(_api_message(error))
    if isinstance(error, api.ApiError):
        return FAILURE, _one_line(_api_message(error))
    if isinstance(error, api.ApiConnectionError):  # ApiTimeoutError included
        return CONNECTION, _one_line(str(error))
    if isinstance(error, api.ValidationError):
        return USAGE, _one_line(str(error))
    if isinstance(error, api.Error):
        return FAILURE, _one_line(str(error))
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED, "interrupted"
    if isinstance(error, OSError):
        # A file the command was pointed at: missing, unreadable, a directory...
        missing = error.errno in (errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENOTDIR)
        where = f"{error.filename}: " if error.filename else ""
        return (USAGE if missing else FAILURE), _one_line(f"{where}{error.strerror or error}")
    return FAILURE, _one_line(f"unexpected {type(error).__name__}: {error}")
