"""`python -m instantly ...`: the `instantly` command (instantly.cli)."""
from __future__ import annotations

if __name__ == "__main__":
    from .cli.main import console_main
    console_main()
