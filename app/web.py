"""The web application, built on a kernel from the root (``web`` never builds one itself)."""

from __future__ import annotations

from flask import Flask

from app.bootstrap import build_kernel
from mizan.settings import Settings
from web import create_app


def create_web_app(settings: Settings | None = None) -> Flask:
    """The Flask app over a new kernel for ``settings`` (default: from the environment)."""
    kernel = build_kernel(settings)
    return create_app(kernel.settings, kernel=kernel)
