"""/healthz with an Elasticsearch search backend that is down: degraded, never a 500."""

from __future__ import annotations

import socket
from pathlib import Path


def _dead_url() -> str:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_healthz_reports_the_search_server_down(tmp_path: Path) -> None:
    dead_url = _dead_url()
    from app.bootstrap import build_kernel
    from mizan.kernel import set_process_kernel
    from tests.conftest import make_settings
    from web import create_app

    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_SEARCH=dead_url))
    set_process_kernel(kernel)
    try:
        app = create_app(kernel.settings, kernel=kernel)
        app.config["TESTING"] = True
        response = app.test_client().get("/healthz")
        body = response.get_json()
        assert response.status_code == 503 and body["status"] == "degraded"
        assert body["components"]["index"]["up"] is False
        assert dead_url in body["components"]["index"]["detail"]
        vectors = body["components"]["vectors"]
        assert vectors["up"] is False and dead_url in vectors["detail"]
        assert "vectors" not in vectors  # no count from a server that cannot be reached
        assert body["components"]["store"]["up"] is True
    finally:
        set_process_kernel(None)
        kernel.close()


def test_a_search_with_the_server_down_explains_itself(tmp_path: Path) -> None:
    from app.bootstrap import build_kernel
    from app.demo import seed
    from mizan.kernel import set_process_kernel
    from tests.conftest import Browser, make_settings
    from web import create_app

    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_SEARCH=_dead_url()))
    set_process_kernel(kernel)
    try:
        seed(kernel)
        app = create_app(kernel.settings, kernel=kernel)
        app.config["TESTING"] = True
        browser = Browser(app)
        browser.login("pp.rahim")
        response = browser.get("/search/?q=murder&mode=keyword")
        assert response.status_code == 503
        assert "Search is unavailable" in response.get_data(as_text=True)
    finally:
        set_process_kernel(None)
        kernel.close()
