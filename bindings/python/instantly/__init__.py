"""Instantly API v2 for Python, on the `instantly` C++ core.

    import instantly
    client = instantly.Client(api_key="...")
    page = client.campaigns.list(limit=100)

    async with instantly.AsyncClient(api_key="...") as client:   # the same surface, for asyncio
        page = await client.campaigns.list(limit=100)
"""
from typing import TYPE_CHECKING, Any

from . import _logging, observability, types
from ._async_client import AsyncClient
from ._async_pagination import AsyncPage, AsyncPager
from ._client import DEFAULT_BASE_URL, Client
from ._exceptions import (ApiConnectionError, ApiError, ApiTimeoutError, AuthenticationError, BadRequestError,
                          CancelledError, ConflictError, DatabaseError, DecodeError, Error, InternalServerError,
                          NotFoundError, PaginationError, PaymentRequiredError, PermissionDeniedError,
                          RateLimiterError, RateLimitError, ResponseTooLargeError, SchemaError, SpoolError,
                          SpoolFullError, UnprocessableEntityError, ValidationError, WebhookVerificationError)
from ._models import BaseModel
from ._pagination import SyncPage
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__
from .observability import Observer, combine_observers

_logging.configure_from_environment()

if TYPE_CHECKING:
    from . import metrics, webhooks, workflows

__all__ = [
    "Client", "AsyncClient", "DEFAULT_BASE_URL", "types", "BaseModel", "SyncPage", "AsyncPage", "AsyncPager", "NOT_GIVEN", "NotGiven", "__version__",
    "Observer", "combine_observers",
    "Error", "ApiError", "BadRequestError", "AuthenticationError", "PaymentRequiredError", "PermissionDeniedError",
    "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError", "InternalServerError",
    "ApiConnectionError", "ApiTimeoutError", "CancelledError", "ResponseTooLargeError", "ValidationError", "DecodeError", "PaginationError",
    "RateLimiterError", "DatabaseError", "SchemaError", "WebhookVerificationError", "SpoolError", "SpoolFullError",
    "webhooks", "workflows",
    "observability",
]


def __getattr__(name: str) -> Any:
    # `instantly.webhooks` without `import instantly.webhooks` (and the same for workflows and
    # metrics): imported on first use, so that importing the package does not load them (metrics
    # needs prometheus_client, which `import instantly` must not).
    if name in ("webhooks", "workflows", "metrics"):
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
