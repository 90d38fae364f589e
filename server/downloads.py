"""Every file download the server sends: one ``Content-Disposition`` for all of them.

RFC 6266 with RFC 5987's ``filename*``: an ASCII ``filename`` for old clients and the real name
in UTF-8 beside it, so a school named ``Łódź Skole`` or a class named ``Клас Україна`` downloads
under its own name and never breaks the header (HTTP headers are Latin-1 on the wire).
"""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response

from exports.filenames import ascii_name

__all__ = ["attachment", "content_disposition"]


def content_disposition(filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded`` for ``filename``."""
    return f"attachment; filename=\"{ascii_name(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(data: bytes, *, filename: str, media_type: str) -> Response:
    """A download of ``data`` named ``filename``, never cached (shared computers, back button)."""
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition(filename), "Cache-Control": "no-store"},
    )
