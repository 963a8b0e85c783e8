"""A TCP server on 127.0.0.1 (port 0) that answers every request with scripted bytes, for the
hostile-input tests: lying lengths, answers that never end, non-HTTP replies. The script gets
the connected socket after the request head was read; it may write, wait (checking `stopping`)
or just return, which closes the connection."""
from __future__ import annotations

import socket
import threading
from typing import Callable, List


class HostileServer:
    def __init__(self, script: Callable[[socket.socket, "HostileServer"], None]) -> None:
        self.script = script
        self.stopping = threading.Event()
        self.heads: List[bytes] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "HostileServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._thread.join(10)
        self._listener.close()

    @property
    def requests(self) -> int:
        return len(self.heads)

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            with conn:
                conn.settimeout(0.05)
                head = b""
                while b"\r\n\r\n" not in head and not self.stopping.is_set():
                    try:
                        chunk = conn.recv(4096)
                    except socket.timeout:
                        continue
                    except OSError:
                        break
                    if not chunk:
                        break
                    head += chunk
                if b"\r\n\r\n" not in head:
                    continue
                self.heads.append(head)
                try:
                    self.script(conn, self)
                except OSError:
                    pass  # the client hung up: what these scripts are waiting for


def respond(status: str, body: bytes, headers: str = "Content-Type: application/json\r\n"):
    """A script answering one well-framed response."""
    def script(conn: socket.socket, _server: HostileServer) -> None:
        conn.sendall(f"HTTP/1.1 {status}\r\n{headers}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return script
