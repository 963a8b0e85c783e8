"""A webhook endpoint for the package's tests: a small HTTP server on 127.0.0.1 that records every
POST (headers and body) and answers a status the test chooses."""
from __future__ import annotations

import http.server
import threading


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records every POST and answers `status`."""

    def __init__(self) -> None:
        self.status = 200
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.status
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        # A short poll interval: shutdown() waits for the next poll.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def bodies(self) -> list[bytes]:
        return [body for _, body in self.received]
