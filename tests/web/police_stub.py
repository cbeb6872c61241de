"""TEST STUB of a police system's webhook receiver: a real HTTP server on loopback.

It checks each webhook's signature as the guide tells police systems to, keeps the
messages by id (so a message that arrives twice, by webhook and by the feed, counts
once), and can be taken down, brought back on the same port, made to answer 500 or
to answer too slowly.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mizan.webhooks import verify


class PoliceStub:
    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.port = 0
        self.messages: dict[str, dict] = {}
        self.received = 0  # webhook posts accepted (duplicates included)
        self.refused_signatures = 0
        self.mode = "ok"  # "ok" | "error" (answers 500) | "slow" (sleeps past the timeout)
        self.slow_seconds = 1.0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mizan-webhook"

    def start(self) -> PoliceStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                mode = stub.mode  # as it was when the request came, whatever happens meanwhile
                if mode == "slow":
                    time.sleep(stub.slow_seconds)
                if mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                stamp = self.headers.get("X-Mizan-Timestamp", "")
                if not verify(stub.secret, stamp, body, self.headers.get("X-Mizan-Signature", "")):
                    stub.refused_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                message = json.loads(body)
                assert message["id"] == self.headers["X-Mizan-Message-Id"]
                stub.messages.setdefault(message["id"], message)
                stub.received += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def wait_received(self, count: int, seconds: float = 10.0) -> int:
        """``received`` once it reaches ``count`` (a slow answer lands late), or on time-out."""
        end = time.monotonic() + seconds
        while self.received < count and time.monotonic() < end:
            time.sleep(0.05)
        return self.received

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
