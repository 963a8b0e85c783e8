"""argparse value types shared by the command line (instantly.cli) and the webhook receiver's
script (instantly._receiver), which does not import the command line."""
from __future__ import annotations

import argparse
from typing import Callable

__all__ = ["positive_int"]


def positive_int(what: str = "integer") -> Callable[[str], int]:
    """A type= for a whole number of at least 1: "expected a positive <what>, got '0'" otherwise."""
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(f"expected a positive {what}, got {text!r}")
        return value
    return parse
