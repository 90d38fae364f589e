"""Shared setup for the answering tests: a small instrument, a wave, links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from surveys.answering.issuing import issue_links
from surveys.answering.links import IssuedLink, LinkSigner
from surveys.db.tables import InstrumentVersion, Wave
from surveys.instruments import instrument_to_dict, load_instrument_text
from surveys.instruments.catalog import sync_instruments
from surveys.organisation.schools import add_class, add_school
from surveys.organisation.waves import create_event, create_wave
from tests.conftest import TEST_KEY

BASE = "http://testserver.local"

TEST_INSTRUMENT = """
id = "test-flow"
version = 1
audience = "pupil"
title.da = "Testskema"
title.en = "Test form"
intro.da = "Et lille skema til test."
intro.en = "A small form for tests."

[[sections]]
id = "a"
title.da = "Første side"
title.en = "First page"

[[sections.questions]]
id = "q1"
type = "single"
required = true
text.da = "Hvordan har du det?"
text.en = "How are you?"
options = [ { code = 1, da = "Godt", en = "Good" }, { code = 2, da = "Skidt", en = "Bad" }, { code = 3, da = "Ved ikke", en = "Not sure" } ]

[[sections.questions]]
id = "q3"
type = "single"
required = true
show_if = { question = "q1", in = [2] }
text.da = "Hvorfor skidt?"
text.en = "Why bad?"
options = [ { code = 1, da = "Skole", en = "School" }, { code = 2, da = "Andet", en = "Other" } ]

[[sections.questions]]
id = "q2"
type = "text"
max_length = 20
text.da = "Noget at tilføje?"
text.en = "Anything to add?"

[[sections]]
id = "b"
title.da = "Anden side"
title.en = "Second page"

[[sections.questions]]
id = "q4"
type = "multi"
sensitive = true
max_choices = 2
text.da = "Hvad har du prøvet?"
text.en = "What have you tried?"
options = [ { code = 1, da = "A", en = "A" }, { code = 2, da = "B", en = "B" }, { code = 3, da = "C", en = "C" } ]

[[sections.questions]]
id = "q5"
type = "scale"
text.da = "Hvor glad er du?"
text.en = "How happy are you?"
min_label.da = "Slet ikke"
min_label.en = "Not at all"
max_label.da = "Meget"
max_label.en = "Very"

[[sections.questions]]
id = "q6"
type = "number"
min = 0
max = 30
text.da = "Hvor mange venner har du?"
text.en = "How many friends do you have?"

[[sections.questions]]
id = "q7"
type = "matrix"
text.da = "Hvor enig er du?"
text.en = "How much do you agree?"
options = [ { code = 1, da = "Uenig", en = "Disagree" }, { code = 2, da = "Midt imellem", en = "In between" }, { code = 3, da = "Enig", en = "Agree" } ]
items = [ { id = "m1", da = "Skolen er god", en = "School is good" }, { id = "m2", da = "Klassen er god", en = "The class is good" } ]

[[sections]]
id = "c"
title.da = "Tredje side"
title.en = "Third page"

[[sections.questions]]
id = "q8"
type = "likert"
show_if = { question = "q1", in = [3] }
text.da = "Vil du snakke med nogen?"
text.en = "Would you like to talk to someone?"
options = [ { code = 1, da = "Nej", en = "No" }, { code = 2, da = "Måske", en = "Maybe" }, { code = 3, da = "Ja", en = "Yes" } ]
"""


@dataclass
class Setup:
    wave_id: int
    school_id: int
    class_id: int
    links: list[IssuedLink]


def signer(*keys: str) -> LinkSigner:
    return LinkSigner(keys or (TEST_KEY,))


async def store_test_instrument() -> int:
    instrument = load_instrument_text(TEST_INSTRUMENT, "test")
    row = InstrumentVersion(key=instrument.id, version=1, audience="pupil", title=instrument.title.da,
                            definition=instrument_to_dict(instrument))
    await row.save()
    return row.id


async def make_wave(
    count: int = 3,
    *,
    instrument: str = "test-flow",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    school: str = "Testskolen",
) -> Setup:
    await sync_instruments()
    if instrument == "test-flow" and not await InstrumentVersion.exists().where(InstrumentVersion.key == "test-flow"):
        await store_test_instrument()
    school_row = await add_school(school)
    school_class = await add_class(school, "7.a", grade=7, pupils=count)
    wave = await create_wave(instrument, year=2026, name="Test", opens_on=opens_on, closes_on=closes_on)
    links = await issue_links(signer(), BASE, "pupil", count, wave=wave.id, school=school_row.id, school_class=school_class.id)
    return Setup(wave.id, school_row.id, school_class.id, links)


async def close_wave(wave_id: int) -> None:
    await Wave.update({Wave.status: "closed"}).where(Wave.id == wave_id)


async def make_event_links(count: int = 2) -> list[IssuedLink]:
    await sync_instruments()
    event = await create_event("temadag-evaluering", name="Temadag", held_on=dt.date.today())
    return await issue_links(signer(), BASE, "staff", count, event=event.id)


def path(link: IssuedLink) -> str:
    return f"/s/{link.token}"


async def release_all() -> int:
    """Release every held response now, as closing each wave and event would (without closing it)."""
    from surveys.answering.release import release_closed
    from surveys.answering.store.contract import Releaser
    from surveys.answering.store.sealing import Sealer
    from surveys.db.tables import HeldResponse

    engine = HeldResponse._meta.db
    releaser = Releaser(Sealer((TEST_KEY,)), 5)
    released = 0
    for row in await HeldResponse.select(HeldResponse.wave, HeldResponse.event).distinct():
        if row["wave"] is not None:
            released += await release_closed(engine, releaser, wave=row["wave"])
        else:
            released += await release_closed(engine, releaser, event=row["event"])
    return released


def releaser():
    """What the app builds from its settings: opens held responses with the test key; k is at least 5."""
    from surveys.answering.store.contract import Releaser
    from surveys.answering.store.sealing import Sealer

    return Releaser(Sealer((TEST_KEY,)), 5)


async def draft_answers(link: IssuedLink) -> dict | None:
    """The answers in a link's sealed draft, opened as the flow opens it (with the token's secret id)."""
    from surveys.answering.store.sealing import draft_key, open_draft
    from surveys.db.tables import Draft

    secret = link.token.split(".")[0]
    row = await Draft.select(Draft.sealed).where(Draft.key == draft_key(secret)).first()
    payload = open_draft(secret, row["sealed"]) if row else None
    return None if payload is None else payload["answers"]
