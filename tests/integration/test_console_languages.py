"""The console names each instrument version's languages and says which are drafts (issue 16)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.integration.console_world import World, client, login_as, world  # noqa: F401

pytestmark = pytest.mark.anyio


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" ,", ",").replace(" .", ".")


async def test_the_wave_form_flags_draft_translations(client, world: World) -> None:
    await login_as(client, world, "admin")
    page = await client.get("/console/waves/new")
    assert page.status_code == 200
    text = _text(page.text)
    assert "ung-trivsel-rusmidler v2 kan besvares på: Dansk, English, Українська (kladde), العربية (kladde)." in text
    assert "Kladde: en modersmålstalende skal gennemse oversættelsen, før den bruges." in text
    assert "ung-trivsel-rusmidler v1 kan besvares på: Dansk, English." in text
    assert '<span lang="ar" dir="rtl">العربية</span>' in page.text
    staff = _text((await client.get("/console/events/new")).text)
    assert "temadag-evaluering v2 kan besvares på: Dansk, English." in staff and "Kladde:" not in staff
