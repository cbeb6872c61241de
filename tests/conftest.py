"""Shared fixtures: a fresh data directory, kernel and app per test, real adapters only."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# `seed-demo` seeds the library from the small sample it ships, not 300 real judgments
# (tests that need the real data set read ../shared/data directly).
os.environ["MIZAN_SHARED_DATA"] = os.devnull

from argon2 import PasswordHasher

from app.bootstrap import build_kernel
from mizan.accounts import passwords
from mizan.kernel import Kernel, set_process_kernel
from mizan.settings import Settings, load_settings

# Argon2id at its lowest cost in this process (as Django advises for test suites): at the
# production cost (64 MiB, 3 passes) the nine demo accounts of every `demo` fixture and each
# sign-in spent more time hashing than most tests spend testing. Hashes stay argon2id, and
# processes the tests start (workers, the CLI) use the production cost.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)

DEMO_PASSWORD = "mizan-demo-2026"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def make_settings(data_dir: Path, **extra: str) -> Settings:
    env = {
        "MIZAN_DATA_DIR": str(data_dir),
        "MIZAN_BROKER": f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}",
        "MIZAN_WARM_MODEL": "false",  # tests that want the warm-up ask for it
        # Demo roles sign in with a password alone in tests; tests/web/test_two_factor.py
        # turns the second factor on (it is on for admin, DPP and PG by default).
        "MIZAN_TWO_FACTOR_ROLES": "none",
        **extra,
    }
    return load_settings(env, env_file=None)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def kernel(settings: Settings) -> Iterator[Kernel]:
    kernel = build_kernel(settings)
    set_process_kernel(kernel)
    yield kernel
    set_process_kernel(None)
    kernel.close()


@pytest.fixture
def demo(kernel: Kernel) -> Kernel:
    """The kernel with the demo districts, accounts and cases."""
    from app.demo import seed

    seed(kernel)
    return kernel


@pytest.fixture
def app(demo: Kernel):
    from web import create_app

    app = create_app(demo.settings, kernel=demo)
    app.config["TESTING"] = True
    return app


def csrf_token(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
    assert match, "no CSRF token in the page"
    return match.group(1)


class Browser:
    """A test client that signs in and carries CSRF tokens like a person's browser would."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def login(self, username: str, password: str = DEMO_PASSWORD):
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_token(page.data)},
        )

    def token(self, url: str) -> str:
        return csrf_token(self.client.get(url).data)

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict, form_url: str | None = None, **kw):
        data = {**data, "csrf_token": self.token(form_url or url)}
        return self.client.post(url, data=data, **kw)


@pytest.fixture
def browser(app):
    return lambda: Browser(app)


def user_id(kernel: Kernel, username: str) -> str:
    from mizan.accounts.models import User

    return kernel.store.find_one(User, {"username": username}).id


def render_scan(text: str, path: Path, dpi: int = 300) -> Path:
    """A page image of ``text`` as a 300-dpi scanner would produce it (black on white)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size=dpi // 6)
    lines = text.splitlines() or [text]
    width = int(dpi * 8.27)
    height = 200 + len(lines) * (dpi // 4)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((dpi // 2, 100 + n * (dpi // 4)), line, font=font, fill=0)
    image.save(path, dpi=(dpi, dpi))
    return path


@pytest.fixture
def celery_worker(kernel: Kernel):
    """A real Celery worker (solo pool, in a thread) consuming the real SQLite broker, both
    queues (interactive and bulk) as `mizan run-worker -Q all` does."""
    from celery.contrib.testing.worker import start_worker

    from mizan import worker

    worker.configure(kernel.settings)
    with start_worker(
        worker.app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
        queues=list(worker.QUEUES),
    ) as w:
        yield w


@pytest.fixture
def frozen_clock():
    """Mizan's one clock stopped at 2025-03-03 05:00 UTC (10:00 in Pakistan, a Monday).

    The only way tests stop time: `mizan.clock.now()` and everything built on it report
    this instant; move it with ``frozen_clock.set(...)`` or ``frozen_clock.advance(...)``.
    """
    import datetime as dt

    from mizan import clock

    with clock.freeze(dt.datetime(2025, 3, 3, 5, 0, tzinfo=dt.UTC)) as frozen:
        yield frozen


class RedisServer:
    """A private ``redis-server`` on a free port, its files in a temporary folder."""

    def __init__(self, directory: Path) -> None:
        import socket

        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it with the append-only file a deployment needs (docs/security.md): every
        acknowledged write is in the file before the reply, so a crash loses no queued job."""
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        args += ["--appendonly", "yes", "--appendfsync", "always", "--logfile", "redis.log"]
        self.process = subprocess.Popen(["redis-server", *args], start_new_session=True)
        for _ in range(100):
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start; see {self.directory / 'redis.log'}")

    def stop(self) -> None:
        """Shut it down as a service manager would (SIGTERM: it saves, then exits)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def crash(self) -> None:
        """Kill it without warning (SIGKILL: nothing saved at exit), then start it again."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.start()

    def ping(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running private Redis; the test is skipped, saying why, when redis-server is missing."""
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; make test does)")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    server.start()
    yield server
    server.stop()
