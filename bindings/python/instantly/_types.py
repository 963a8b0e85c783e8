"""Small types shared by the whole package: the "not given" sentinel and aliases for the
per-call escape hatches every method accepts."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Dict, Tuple, Union

__all__ = ["NotGiven", "NOT_GIVEN", "Headers", "Query", "Body"]


class NotGiven:
    """Marks a keyword argument the caller did not pass, so it is left out of the request.

    `None` means something else: it is sent as JSON null (which clears a field in an update).
    """

    _instance: "NotGiven | None" = None

    def __new__(cls) -> "NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Headers = Mapping[str, str]
Query = Union[Mapping[str, Any], Sequence[Tuple[str, Any]]]
Body = Dict[str, Any]
