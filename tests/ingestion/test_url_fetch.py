"""Fetching a court's list from an address: only public http(s) sites unless allowed, within
size and time limits, only PDFs or images; every refusal in words. A real HTTP server on
loopback stands in for the court's site."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from ingestion.url_fetch import FetchError, check_url, fetch

PDF = b"%PDF-1.4\n" + b"x" * 5000


class _Court(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.pdf":
            time.sleep(1.5)
        if self.path == "/moved.pdf":
            self.send_response(302)
            self.send_header("Location", "/list.pdf")
            self.end_headers()
            return
        if self.path == "/missing.pdf":
            self.send_error(404, "Not Found")
            return
        kind = "text/html" if self.path == "/page.html" else "application/pdf"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if self.path != "/unsized.pdf":
            self.send_header("Content-Length", str(len(PDF)))
        if self.path == "/list.pdf":
            self.send_header("Content-Disposition", 'attachment; filename="atc-12.pdf"')
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a refused fetch
            self.wfile.write(PDF)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def court_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Court)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://court.example/list.pdf", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("https://user:secret@court.example/list.pdf", "user name or password"),
        ("http://127.0.0.1:8000/list.pdf", "inside this network"),
        ("http://localhost/list.pdf", "inside this network"),
        ("http://10.1.2.3/list.pdf", "inside this network"),
        ("http://169.254.169.254/latest/meta-data", "inside this network"),
        ("http://[::1]/list.pdf", "inside this network"),
    ],
)
def test_addresses_outside_the_public_web_are_refused(url: str, says: str) -> None:
    with pytest.raises(FetchError, match=says):
        check_url(url)


def test_loopback_is_fetched_only_when_allowed(court_site: str) -> None:
    with pytest.raises(FetchError, match="inside this network"):
        fetch(f"{court_site}/list.pdf", max_bytes=10**6)
    got = fetch(f"{court_site}/list.pdf", max_bytes=10**6, allow_private=True)
    assert (got.data, got.filename, got.media_type) == (PDF, "atc-12.pdf", "application/pdf")
    moved = fetch(f"{court_site}/moved.pdf", max_bytes=10**6, allow_private=True)
    assert moved.data == PDF


@pytest.mark.parametrize(
    ("path", "limit", "seconds", "says"),
    [
        ("/page.html", 10**6, 10, "gave text/html, not a PDF"),
        ("/missing.pdf", 10**6, 10, "answered 404"),
        ("/list.pdf", 1000, 10, "larger than the limit"),  # announced too large
        ("/unsized.pdf", 1000, 10, "larger than the limit"),  # found too large while reading
        ("/slow.pdf", 10**6, 0.5, "did not send the file"),
    ],
)
def test_what_cannot_be_fetched_is_said(
    court_site: str, path: str, limit: int, seconds: float, says: str
) -> None:
    with pytest.raises(FetchError, match=says):
        fetch(f"{court_site}{path}", max_bytes=limit, seconds=seconds, allow_private=True)


def test_a_server_that_is_down_is_said(court_site: str) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not be reached"):
        fetch(f"http://127.0.0.1:{port}/list.pdf", max_bytes=10**6, allow_private=True)
