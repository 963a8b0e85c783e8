class Core(metaclass=type):
    """The C++ client behind one instantly.Client (and its with_options copies)."""

    def __init__(self, *, api_key: str, base_url: str, timeout: float, max_retries: int,
                 workspace: Optional[str], user_agent: Optional[str], rate_limit: bool,
                 rate_limit_backend: Optional[str] = None, max_response_bytes: int = ...,
                 validate_requests: bool = ...,
                 observer_hooks: Optional[Tuple[Optional[Callable[[Any], None]], ...]] = None) -> None: ...
    def with_options(self, *, timeout: float, max_retries: int, workspace: Optional[str],
                     max_response_bytes: int, validate_requests: bool) -> Core:
        """A core with other settings that shares this one's connections and limits."""
    def close(self) -> None:
        """Drops this core's client; later calls raise instantly.Error."""
    @property
    def closed(self) -> bool: ...
    def request(self, method: str, path: str, query: List[Tuple[str, str]], body_json: Optional[str],
                headers: Dict[str, str], timeout: Optional[float]) -> Optional[str]:
        """Any endpoint: returns the answer as JSON text, or None."""
    def start_request(self, method: str, path: str, query: List[Tuple[str, str]], body_json: Optional[str],
                      headers: Dict[str, str], timeout: Optional[float], port: CompletionPort,
                      token: object) -> PendingCall:
        """request() for asyncio: returns a PendingCall at once; the answer (JSON text or None) or the exception goes to `port` with `token`."""

class CallOptions(metaclass=type):
    """Extra headers, extra query parameters and a timeout for one call."""

    def __init__(self, headers: Dict[str, str], query: List[Tuple[str, str]], timeout: Optional[float]) -> None: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def query(self) -> List[Tuple[str, str]]: ...
    @property
    def timeout(self) -> Optional[float]: ...

class PageFetcher(metaclass=type):
    """Fetches the pages of one listing; made by list operations."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): list operations make fetchers."""
    def fetch(self, cursor: Optional[str]) -> Tuple[str, Optional[str]]:
        """(JSON array of the items, next cursor) of the page after `cursor`."""
    def start_fetch(self, cursor: Optional[str], port: CompletionPort, token: object) -> PendingCall:
        """fetch() for asyncio: returns a PendingCall at once; the page (or the exception) goes to `port` with `token`."""

class CompletionPort(metaclass=type):
    """Where calls started for asyncio post their outcomes; one per event loop, which watches fileno()."""

    def __init__(self) -> None: ...
    def fileno(self) -> int:
        """The eventfd that turns readable when outcomes wait."""
    def drain(self) -> List[Tuple[Any, Any, Optional[BaseException]]]:
        """Every waiting outcome as [(token, value, error), ...]."""

class PendingCall(metaclass=type):
    """A call running for asyncio; made by the start_* functions."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): the start_* functions make them."""
    def cancel(self) -> None:
        """Stops the call: nothing more is sent, waits end at once."""
    @property
    def cancel_requested(self) -> bool: ...

def start_call(binding: str, core: Core, path_args: List[str], params_json: Optional[str], options: CallOptions,
               port: CompletionPort, token: object) -> PendingCall:
    """Starts the operation `binding` for asyncio: returns a PendingCall at once; the answer (JSON text or None) or the exception goes to `port` with `token`."""

# The webhook receiver (instantly/webhooks.hpp), re-exported by instantly.webhooks.
