"""Issuing batches of single-use links for a class (pupils) or an event (staff).

Links that are handed out on paper or in a file exist only if that file was made:
:func:`issue_links_with` builds the file from the drawn links first and stores the links after,
so a file that fails leaves no links behind (and a failed insert leaves no file in the caller's
hands: it gets the exception).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from surveys.answering.links import IssuedLink, LinkSigner, Purpose, new_code
from surveys.db.engine import write_transaction
from surveys.db.tables import Link
from surveys.errors import InvalidInput

__all__ = ["MAX_LINKS_PER_BATCH", "issue_links", "issue_links_with", "link_url"]

MAX_LINKS_PER_BATCH = 2000
_CODE_RETRIES = 5
T = TypeVar("T")


def link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"


async def issue_links(signer: LinkSigner, base_url: str, purpose: Purpose, count: int, **where: int | None) -> list[IssuedLink]:
    """Create ``count`` unused links in one transaction and return their URLs and codes.

    ``where``: ``wave``, ``event``, ``school``, ``school_class``, ``class_session``.
    """
    return await issue_links_with(lambda issued: issued, signer, base_url, purpose, count, **where)


async def issue_links_with(
    build: Callable[[list[IssuedLink]], T],
    signer: LinkSigner,
    base_url: str,
    purpose: Purpose,
    count: int,
    *,
    wave: int | None = None,
    event: int | None = None,
    school: int | None = None,
    school_class: int | None = None,
    class_session: int | None = None,
) -> T:
    """Draw ``count`` links, ``build`` what carries them (a PDF, a CSV), then store the links in
    one transaction; return what ``build`` made. If ``build`` raises, nothing is stored."""
    if not 1 <= count <= MAX_LINKS_PER_BATCH:
        raise InvalidInput(f"Antal links skal være mellem 1 og {MAX_LINKS_PER_BATCH}.")
    if purpose == "pupil" and (wave is None or school is None):
        raise InvalidInput("Elevlinks skal høre til en måling og en skole.")
    if purpose == "staff" and event is None:
        raise InvalidInput("Links til ansatte skal høre til et arrangement.")
    for attempt in range(_CODE_RETRIES):
        issued: list[IssuedLink] = []
        rows: list[Link] = []
        for _ in range(count):
            code = new_code()
            token, id_hash = signer.for_code(purpose, code)
            issued.append(IssuedLink(token=token, code=code, url=link_url(base_url, token)))
            rows.append(
                Link(
                    id_hash=id_hash,
                    code=signer.stored_code(code),
                    purpose=purpose,
                    wave=wave,
                    event=event,
                    school=school,
                    school_class=school_class,
                    class_session=class_session,
                )
            )
        if len({link.code for link in issued}) != count:
            continue
        built = build(issued)
        try:
            async with write_transaction(Link._meta.db):
                await Link.insert(*rows)
        except Exception as exc:  # a code collided with an existing one: draw again
            if "unique" in str(exc).lower() and attempt < _CODE_RETRIES - 1:
                continue
            raise
        return built
    raise RuntimeError("could not draw unique link codes")
