"""`python -m instantly.cli ...`: the `instantly` command."""
from __future__ import annotations

if __name__ == "__main__":
    from .main import console_main
    console_main()
