"""HTML layout of the report and the theme-day reports (Jinja, autoescaped)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

import templates

from .events import EventReport
from .content import Report

__all__ = ["event_html", "report_html"]

_FOLDER = Path(templates.__file__).parent / "report"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(_FOLDER)), autoescape=select_autoescape(["html"]), trim_blocks=False, lstrip_blocks=False
    )


def report_html(report: Report) -> str:
    return _environment().get_template("report.html").render(r=report)


def event_html(event: EventReport) -> str:
    return _environment().get_template("event.html").render(e=event)
