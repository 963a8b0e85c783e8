"""What a command runs with: the global options, the output, and a client made on first use (so
`--help`, `config` and bad flags never need an API key)."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Optional, TextIO

from .._client import Client
from .config import Settings, resolve
from .exit_codes import UsageError
from .output import Output

__all__ = ["Context"]

NO_KEY = ("no API key: set INSTANTLY_API_KEY, or save one with `instantly config set-key` "
          "(stored in a file only you can read)")


class Context:
    def __init__(self, args: argparse.Namespace, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> None:
        self.args = args
        self.stderr = stderr
        self.output = Output(getattr(args, "output", None), stdout)
        self.verbose = bool(getattr(args, "verbose", False))
        self.timeout: Optional[float] = getattr(args, "timeout", None)
        self.validate_requests = not getattr(args, "no_validate", False)
        self._settings: Optional[Settings] = None
        self._client: Optional[Client] = None
        #: The client's observer (a PrometheusMetrics with --metrics-port); set before client().
        self.observer: Optional[Any] = None

    def log(self, message: str) -> None:
        """A --verbose line on stderr. Callers never pass the key (only where it came from)."""
        if self.verbose:
            print(f"instantly: {message}", file=self.stderr, flush=True)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = resolve(base_url=getattr(self.args, "base_url", None),
                                     workspace=getattr(self.args, "workspace", None),
                                     config=getattr(self.args, "config_file", None))
        return self._settings

    def client(self) -> Client:
        if self._client is None:
            settings = self.settings
            if not settings.api_key:
                raise UsageError(NO_KEY)
            if self.timeout is not None and not self.timeout > 0:
                raise UsageError("--timeout must be a positive number of seconds")
            self._client = Client(api_key=settings.api_key, base_url=settings.base_url, workspace=settings.workspace,
                                  timeout=self.timeout if self.timeout is not None else 60.0,
                                  validate_requests=self.validate_requests, observer=self.observer)
            self.log(f"API key from {settings.api_key_source}; base URL {self._client.base_url}; "
                     f"workspace {settings.workspace or '(the key’s own)'}")
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
