"""Reading an answer's JSON text (already checked by the C++ core) into Python data."""
from __future__ import annotations

import json
from typing import Any

from ._exceptions import DecodeError

__all__ = ["loads_answer"]


def loads_answer(text: str) -> Any:
    """json.loads, with one difference: the C++ core accepts nesting up to 1024 levels, Python's
    json module stops near its recursion limit (about 1000) with RecursionError; such an answer is
    a DecodeError here like any other answer that cannot be read."""
    try:
        return json.loads(text)
    except RecursionError:
        raise DecodeError("the answer is nested too deeply to be read in Python") from None
