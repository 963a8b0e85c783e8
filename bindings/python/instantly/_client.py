"""`instantly.Client`: the entry point. One attribute per API resource, all sharing one C++
core (connections, retries, rate limits). `_ClientBase` is what it shares with AsyncClient."""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Dict, Optional, Self, Union

from . import _core
from ._answer import loads_answer
from ._exceptions import ValidationError
from ._models import to_jsonable
from .observability import hooks_of
from ._resource import query_pairs
from ._types import NOT_GIVEN, NotGiven, Query
from .resources import ResourceAccessors

__all__ = ["Client", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "https://api.instantly.ai"
#: The largest answer body a call accepts, counted decompressed (C++ kDefaultMaxResponseBytes).
DEFAULT_MAX_RESPONSE_BYTES = 64 << 20


def _positive_bytes(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"max_response_bytes must be a positive number of bytes, not {value!r}")
    return value


class _ClientBase:
    """Settings, the C++ core and with_options: the same for Client and AsyncClient."""

    def __init__(self, api_key: Optional[str] = None, *, base_url: Optional[str] = None, timeout: float = 60.0,
                 max_retries: int = 2, workspace: Optional[str] = None, user_agent: Optional[str] = None,
                 rate_limit: bool = True, rate_limit_backend: Optional[str] = None,
                 max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES, validate_requests: bool = True,
                 observer: Any = None) -> None:
        key = api_key if api_key is not None else os.environ.get("INSTANTLY_API_KEY")
        if not key:
            raise ValidationError(
                f"no API key: pass {type(self).__name__}(api_key=...) or set the INSTANTLY_API_KEY environment variable")
        self._base_url = base_url or os.environ.get("INSTANTLY_BASE_URL") or DEFAULT_BASE_URL
        self._workspace = workspace if workspace is not None else os.environ.get("INSTANTLY_WORKSPACE")
        self._timeout = float(timeout)
        self._max_retries = int(max_retries)
        self._user_agent = user_agent
        self._rate_limit = bool(rate_limit)
        self._max_response_bytes = _positive_bytes(max_response_bytes)
        self._validate_requests = bool(validate_requests)
        self._observer = observer
        self._core = _core.Core(api_key=key, base_url=self._base_url, timeout=self._timeout,
                                max_retries=self._max_retries, workspace=self._workspace,
                                user_agent=self._user_agent, rate_limit=self._rate_limit,
                                rate_limit_backend=rate_limit_backend,
                                max_response_bytes=self._max_response_bytes,
                                validate_requests=self._validate_requests,
                                observer_hooks=None if observer is None else hooks_of(observer))

    @classmethod
    def _sharing(cls, parent: "_ClientBase", core: "_core.Core", **settings: Any) -> Self:
        client = cls.__new__(cls)
        # Settings carry over; the core and the resource objects (bound to the parent) do not.
        client.__dict__.update({k: v for k, v in parent.__dict__.items()
                                if k.startswith("_") and k not in ("_core", "_resources")})
        client.__dict__.update(settings)
        client._core = core
        return client

    def with_options(self, *, timeout: Union[float, NotGiven] = NOT_GIVEN,
                     max_retries: Union[int, NotGiven] = NOT_GIVEN,
                     workspace: Union[Optional[str], NotGiven] = NOT_GIVEN,
                     max_response_bytes: Union[int, NotGiven] = NOT_GIVEN,
                     validate_requests: Union[bool, NotGiven] = NOT_GIVEN) -> Self:
        """A copy with other settings that shares this client's connections and rate limits
        (for one large call: `client.with_options(max_response_bytes=...).leads.list(...)`)."""
        settings: Dict[str, Any] = {}
        if not isinstance(timeout, NotGiven):
            settings["_timeout"] = float(timeout)
        if not isinstance(max_retries, NotGiven):
            settings["_max_retries"] = int(max_retries)
        if not isinstance(workspace, NotGiven):
            settings["_workspace"] = workspace
        if not isinstance(max_response_bytes, NotGiven):
            settings["_max_response_bytes"] = _positive_bytes(max_response_bytes)
        if not isinstance(validate_requests, NotGiven):
            settings["_validate_requests"] = bool(validate_requests)
        core = self._core.with_options(
            timeout=settings.get("_timeout", self._timeout),
            max_retries=settings.get("_max_retries", self._max_retries),
            workspace=settings.get("_workspace", self._workspace),
            max_response_bytes=settings.get("_max_response_bytes", self._max_response_bytes),
            validate_requests=settings.get("_validate_requests", self._validate_requests))
        return type(self)._sharing(self, core, **settings)

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def workspace(self) -> Optional[str]:
        return self._workspace

    @property
    def observer(self) -> Any:
        """The observer given to the constructor (with_options copies keep it), or None."""
        return self._observer

    @staticmethod
    def _request_arguments(method: str, path: str, query: Optional[Query], body: Any,
                           headers: Optional[Mapping[str, str]],
                           timeout: Optional[float]) -> tuple[str, str, list[tuple[str, str]], Optional[str],
                                                              dict[str, str], Optional[float]]:
        return (method.upper(), path, query_pairs(query), None if body is None else json.dumps(to_jsonable(body)),
                dict(headers or {}), timeout)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, workspace={self._workspace!r})"


class Client(_ClientBase, ResourceAccessors):
    """A client for the Instantly API v2.

        client = instantly.Client()                       # key from INSTANTLY_API_KEY
        for campaign in client.campaigns.list(limit=100):
            print(campaign.name)

    Safe to share between threads; every call releases the GIL while it waits on the network,
    and Ctrl-C stops it at once (nothing more is sent) with KeyboardInterrupt. For asyncio, the
    same surface with coroutines: instantly.AsyncClient.

    `rate_limit_backend` says where Instantly's per-workspace budget is kept: None or "local" for
    this process (every client of the workspace here shares it), "redis://host:port" for every
    process on the workspace when the package was built with its Redis component (URL
    parameters: on_unreachable=wait|local, headroom, safety_margin_ms, pacing_ms; see
    docs/scale-out.md). A Redis that refuses or is not there raises RateLimiterError at once.

    `max_response_bytes` (default 64 MiB) bounds every answer, counted decompressed: a larger
    one is abandoned as it arrives and raises ResponseTooLargeError. Redirects are never
    followed (a 3xx is an ApiError naming only the origin it pointed to).

    `validate_requests` (default True) checks every typed call against the API's request schemas
    before sending: a call the API would refuse (`campaigns.list(limit=0)`, 1,001 leads in one
    `leads.add`, both `campaign_id` and `list_id`) raises ValidationError naming the operation
    and the field, and nothing is sent. `client.request(...)` is never checked.

    `observer` (default None) gets an event for every request, retry, rate-limit wait and
    finished call, and those of workflows run on this client: any object with some of the methods
    on_attempt, on_retry, on_rate_limit_wait, on_call_succeeded, on_call_failed, on_workflow
    (instantly.observability; instantly.metrics.PrometheusMetrics is one). An observer that raises
    does not break the call; the first error is reported once as a warning on the `instantly`
    logger. Several at once: instantly.combine_observers(a, b).
    """

    def request(self, method: str, path: str, *, query: Optional[Query] = None, body: Any = None,
                headers: Optional[Mapping[str, str]] = None, timeout: Optional[float] = None) -> Any:
        """Any endpoint, by hand: `client.request("GET", "/api/v2/campaigns", query={"limit": 5})`.
        Returns the decoded JSON (text for a text answer, None for an empty one)."""
        text = self._core.request(*self._request_arguments(method, path, query, body, headers, timeout))
        return None if text is None else loads_answer(text)

    def close(self) -> None:
        """Releases this client's connections (copies from with_options keep theirs)."""
        self._core.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
