"""The WSGI entry point: ``gunicorn web.wsgi:app`` (settings from MIZAN_* and .env)."""

from __future__ import annotations

from web.app import create_app

app = create_app()
