"""Jinja templates and static assets (CSS, and htmx fetched from the npm registry at install)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR", "TEMPLATE_DIR", "HTMX_FILE"]

TEMPLATE_DIR = Path(__file__).parent
STATIC_DIR = TEMPLATE_DIR / "static"
HTMX_FILE = STATIC_DIR / "vendor" / "htmx.min.js"
