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
    from app.demo import seed
    from mizan.kernel import set_process_kernel
    from tests.conftest import Browser, make_settings
    from web import create_app

    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_SEARCH=dead_url))
    set_process_kernel(kernel)
    try:
        seed(kernel)
        app = create_app(kernel.settings, kernel=kernel)
        app.config["TESTING"] = True
        public = app.test_client().get("/healthz")
        assert public.status_code == 503 and public.get_json()["status"] == "degraded"
        assert public.get_json()["components"]["index"] == {"up": False}
        assert dead_url not in public.get_data(as_text=True)  # the server is for admins only
        admin = Browser(app)
        admin.login("admin")
        response = admin.get("/healthz?detail=1")
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


def test_health_details_never_show_the_search_server_password(tmp_path: Path) -> None:
    """An Elasticsearch URL with credentials: the administrator's page masks them."""
    from app.bootstrap import build_kernel
    from app.demo import seed
    from mizan.kernel import set_process_kernel
    from tests.conftest import Browser, make_settings
    from web import create_app

    host = _dead_url().removeprefix("http://")
    url = f"http://elastic:s3cret-pw@{host}"
    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_SEARCH=url))
    set_process_kernel(kernel)
    try:
        seed(kernel)
        app = create_app(kernel.settings, kernel=kernel)
        app.config["TESTING"] = True
        admin = Browser(app)
        admin.login("admin")
        for page in (admin.get("/healthz?detail=1"), admin.get("/admin/health")):
            text = page.get_data(as_text=True)
            assert host in text  # the administrator learns which server is down
            assert "s3cret-pw" not in text and "elastic:" not in text
        public = app.test_client().get("/healthz").get_data(as_text=True)
        assert host not in public and "s3cret-pw" not in public
    finally:
        set_process_kernel(None)
        kernel.close()
