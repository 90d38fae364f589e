"""Data for the pupil browser tests, written straight into the live server's database, and the
taps they share.

Seeding runs in a worker thread with its own event loop: Playwright's sync API
owns the test thread's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["PupilWorld", "answer_every_radio_group", "choose", "count_rows", "seed_pupil_world"]


@dataclass(frozen=True)
class PupilWorld:
    tokens: list[str]  # open wave of ung-trivsel-rusmidler
    code: str  # the typable code of one more link of that wave
    test_tokens: list[str]  # open wave of the small test-flow instrument (required questions)
    closed: str
    not_open: str
    staff: str


def _in_thread(function, *args):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, function(*args)).result()


async def _seed(database_url: str, count: int) -> PupilWorld:
    from surveys.db.engine import opened_database
    from surveys.answering.issuing import issue_links
    from surveys.organisation.municipality import get_organisation
    from tests.integration.answering_support import BASE, make_event_links, make_wave, signer

    async with opened_database(database_url, pool_size=2):
        await get_organisation("Testkommune")
        main = await make_wave(count, instrument="ung-trivsel-rusmidler", school="Nordskolen")
        flow = await make_wave(count, school="Sydskolen")
        today = dt.date.today()
        closed = await make_wave(1, instrument="ung-trivsel-rusmidler", school="Lukket Skole",
                                 closes_on=today - dt.timedelta(days=1))
        later = await make_wave(1, instrument="ung-trivsel-rusmidler", school="Senere Skole",
                                opens_on=today + dt.timedelta(days=5))
        staff = await make_event_links(1)
        extra = await issue_links(signer(), BASE, "pupil", 1, wave=main.wave_id, school=main.school_id,
                                  school_class=main.class_id)
        return PupilWorld(
            tokens=[link.token for link in main.links],
            code=extra[0].code,
            test_tokens=[link.token for link in flow.links],
            closed=closed.links[0].token,
            not_open=later.links[0].token,
            staff=staff[0].token,
        )


def seed_pupil_world(database_url: str, count: int = 4) -> PupilWorld:
    return _in_thread(_seed, database_url, count)


async def _counts(database_url: str) -> dict[str, int]:
    from surveys.db.engine import opened_database
    from surveys.db.tables import Draft, HeldResponse, Link, Response

    async with opened_database(database_url, pool_size=2):
        return {
            # Stored answers: released, or held (sealed) until k of the class can be released together.
            "responses": await Response.count() + await HeldResponse.count(),
            "used": await Link.count().where(Link.uses == 1),
            "drafts": await Draft.count(),
        }


def count_rows(database_url: str) -> dict[str, int]:
    return _in_thread(_counts, database_url)


def choose(page, name: str, label: str) -> None:
    """Tap the option ``label`` of the question (or matrix item) ``name``."""
    page.locator(f'label.choice:has(input[name="{name}"])', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()


def answer_every_radio_group(page) -> None:
    """Tap the first option of every visible question with radio buttons not yet answered."""
    names = page.evaluate(
        """() => [...new Set([...document.querySelectorAll('input[type=radio]:not(:disabled)')]
              .filter(i => !document.querySelector(`input[name="${i.name}"]:checked`)).map(i => i.name))]"""
    )
    for name in names:
        page.locator(f'label.choice:has(input[name="{name}"])').first.click()
