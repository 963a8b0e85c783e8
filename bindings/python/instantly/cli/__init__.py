"""The `instantly` command line (docs/cli.md): every API operation as
`instantly <resource> <method>`, built by introspecting the client's resource classes, plus the
workflows `import`, `sync analytics`, `accounts health`, `webhooks listen` and `config`.

    instantly campaigns list --all -o json
    python -m instantly.cli campaigns get ID
"""
from __future__ import annotations

from .main import console_main, main

__all__ = ["main", "console_main"]
