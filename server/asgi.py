"""ASGI entry point for process managers: ``uvicorn --factory server.asgi:app_from_env``."""

from __future__ import annotations

from litestar import Litestar

from server.serving import serving_app
from server.settings import Settings

__all__ = ["app_from_env"]


def app_from_env() -> Litestar:
    """Build the app from ``TRIVSEL_*`` environment variables."""
    return serving_app(Settings.from_env())
