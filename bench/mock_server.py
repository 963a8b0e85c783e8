"""instantly-mock for the Python benchmarks: started on a port the OS chooses, stopped on exit,
and its /__mock admin routes in one call."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
from typing import Any, Dict, Optional, Sequence

__all__ = ["MockServer"]


class MockServer:
    def __init__(self, binary: str, args: Sequence[str] = (), api_key: str = "bench-key",
                 user_agent: str = "instantly-bench/1.0"):
        self.command = [binary, "--port", "0", *args]
        self.api_key = api_key
        self.user_agent = user_agent
        self.process: "subprocess.Popen[str] | None" = None
        self.url = ""
        self.port = 0

    def __enter__(self) -> "MockServer":
        if not os.path.exists(self.command[0]):
            raise RuntimeError(f"{self.command[0]} is not built")
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.__exit__()
            raise RuntimeError(f"instantly-mock did not start: {line!r}")
        self.url = line.removeprefix("listening on ")
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        """`method /__mock<path>`; its JSON answer, or RuntimeError for anything but 200."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            data = None if body is None else json.dumps(body).encode()
            headers = {"Authorization": f"Bearer {self.api_key}", "User-Agent": self.user_agent}
            if data is not None:
                headers["Content-Type"] = "application/json"
            connection.request(method, "/__mock" + path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            if response.status != 200:
                raise RuntimeError(f"{method} /__mock{path}: HTTP {response.status} {text[:300]}")
            return json.loads(text) if text else None
        finally:
            connection.close()
