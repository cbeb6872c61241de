"""The WSGI entry point: ``gunicorn app.wsgi:app`` (settings from MIZAN_* and .env)."""

from __future__ import annotations

from app.web import create_web_app

app = create_web_app()
