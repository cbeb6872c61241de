"""The web layer: HTTP only — parse the request, call a service, render the answer."""

from web.app import create_app

__all__ = ["create_app"]
