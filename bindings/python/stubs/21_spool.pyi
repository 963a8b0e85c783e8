# The webhook spool (instantly/webhooks/spool.hpp), re-exported by instantly.webhooks.

class SpoolPosition(metaclass=type):
    """A place in the spool (a read() batch's end), for commit(). Opaque: compare it, hand it back, do not build one."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): read() makes positions."""
    @property
    def segment(self) -> int: ...
    @property
    def offset(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class SpooledDelivery(metaclass=type):
    """One delivery as it was accepted."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): read() makes deliveries."""
    @property
    def received_at(self) -> str:
        """When it was accepted: ISO 8601 UTC with milliseconds."""
    @property
    def content_type(self) -> str:
        """The request's Content-Type, or ""."""
    @property
    def body(self) -> bytes:
        """The body, byte for byte."""

class SpoolBatch(metaclass=type):
    """What read() returns: deliveries in arrival order, and the end."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): read() makes batches."""
    @property
    def deliveries(self) -> List[SpooledDelivery]: ...
    @property
    def end(self) -> SpoolPosition: ...
    def __len__(self) -> int: ...

class SpoolUsage(metaclass=type):
    """How full the spool is."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): Spool.usage() makes it."""
    @property
    def bytes(self) -> int:
        """The segment files' total size."""
    @property
    def max_bytes(self) -> int:
        """The bound."""
    @property
    def pending(self) -> int:
        """Deliveries appended and not yet committed."""
    @property
    def fill(self) -> float:
        """bytes / max_bytes."""

class Spool(metaclass=type):
    """A local durable spool of webhook deliveries: append() returns once the delivery is on disk; a forwarder read()s, stores and commit()s. One process per directory."""

    def __init__(self, directory: Union[str, os.PathLike[str]], max_bytes: int = 1073741824,
                 segment_bytes: int = 67108864) -> None: ...
    def append(self, body: Union[bytes, bytearray, memoryview], content_type: str = "") -> None:
        """Returns once the delivery is on disk. Raises SpoolFullError at the bound, SpoolError otherwise."""
    def read(self, max: int, wait: float = 0.0) -> SpoolBatch:
        """Up to `max` deliveries after the last batch read (or the committed position), waiting up to `wait` seconds for one."""
    def commit(self, end: SpoolPosition) -> None:
        """Everything up to `end` (a batch's end) is stored: the position moves there durably."""
    def committed(self) -> SpoolPosition:
        """Where reading starts again after a restart."""
    def rewind(self) -> None:
        """The next read() starts at the committed position again."""
    def usage(self) -> SpoolUsage: ...
    @property
    def directory(self) -> str: ...
    def close(self) -> None:
        """Wakes a read() that waits, refuses later appends, releases the directory."""
    def __enter__(self) -> Spool: ...
    def __exit__(self, *args: object) -> None: ...
