"""The privacy notice page, ``/privatliv``: who asks, why, on what basis, what is kept and not,
who sees it, for how long and whom to contact (GDPR art. 13, for a 13-year-old), with the pupils'
help contacts. The texts are the municipality's (Console → Kommunen) or the defaults."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from server.i18n import translator
from server.pupil.views import flow_language, render

__all__ = ["privacy_notice"]


@get("/privatliv", name="privacy_notice")
async def privacy_notice(request: Request) -> Template:
    """The privacy notice (GDPR art. 13) in words for a 13-year-old: who asks, why, what is kept,
    for how long, whom to contact; and where to get help."""
    return render(request, "privacy", {"title": translator(flow_language(request))("privacy_title")},
                  lang=flow_language(request), full_page=True)
