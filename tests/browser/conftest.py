"""Browser fixtures: the test app served on a real port, and a headless Debian Chromium.

``playwright install`` is not used: the browser is the distribution's Chromium, so
these tests run offline. Without it they are skipped with a hint, not failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app on 127.0.0.1 at a free port; yields its base URL."""
    requests_log = logging.getLogger("werkzeug")
    level = requests_log.level
    requests_log.setLevel(logging.WARNING)  # one line per request drowns a failure's report
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        requests_log.setLevel(level)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session; each test gets its own context."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian chromium is not installed (apt-get install chromium); browser tests need it"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh page (own cookies) whose relative URLs go to the live server."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = chromium.new_context(base_url=live_server, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
