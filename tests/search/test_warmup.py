"""The embedding model is warmed in the background when a web or worker process starts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import build_kernel
from mizan.kernel import Kernel, set_process_kernel
from search.backends import embedder
from tests.conftest import make_settings


@pytest.fixture
def warming(tmp_path: Path) -> Iterator[Kernel]:
    """A kernel whose settings ask for the warm-up (the test settings turn it off)."""
    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_WARM_MODEL="true"))
    set_process_kernel(kernel)
    yield kernel
    set_process_kernel(None)
    kernel.close()


def test_the_setting_reads_and_defaults_to_on(tmp_path: Path) -> None:
    from mizan.settings import load_settings

    env = {"MIZAN_DATA_DIR": str(tmp_path)}
    assert load_settings(env, env_file=None).warm_model is True
    assert load_settings({**env, "MIZAN_WARM_MODEL": "false"}, env_file=None).warm_model is False


def test_turned_off_no_thread_starts(kernel: Kernel) -> None:
    from web import create_app

    assert kernel.settings.warm_model is False
    assert create_app(kernel.settings, kernel=kernel).extensions["mizan_warm_up"] is None
    assert embedder(kernel).warmed is False


@pytest.mark.slow  # loads the embedding model
def test_the_web_app_warms_the_model_without_waiting_for_it(warming: Kernel) -> None:
    from web import create_app

    app = create_app(warming.settings, kernel=warming)
    thread = app.extensions["mizan_warm_up"]
    assert thread is not None and thread.daemon  # start-up did not wait for it
    thread.join(timeout=300)
    assert embedder(warming).warmed and embedder(warming).loaded
    assert embedder(warming).encoded == 0  # the warm-up is not counted as passage work


@pytest.mark.slow  # loads the embedding model
def test_a_worker_pool_process_warms_the_model_on_start(warming: Kernel) -> None:
    from celery import signals

    import mizan.worker  # noqa: F401  (connects the signal handlers)

    signals.worker_process_init.send(sender=None)
    deadline = time.monotonic() + 300
    while not embedder(warming).warmed and time.monotonic() < deadline:
        time.sleep(0.1)
    assert embedder(warming).warmed and embedder(warming).loaded
