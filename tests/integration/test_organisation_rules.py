"""One rule set for schools, classes, waves and events, whether the CLI (by name) or the
console (by id, from a form) asks: the same name gets the same answer on both paths."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys.db.tables import InstrumentVersion, SchoolClass, Wave
from surveys.errors import InvalidInput
from surveys.instruments import PUPIL_INSTRUMENT, STAFF_INSTRUMENT
from surveys.organisation.schools import add_class, add_class_to, update_class
from surveys.organisation.waves import EventForm, WaveForm, create_event, create_event_from, create_wave, create_wave_from
from tests.integration.console_world import World, world  # noqa: F401

pytestmark = pytest.mark.anyio

LONG_CLASS = "7." + "a" * 99  # 101 characters: over the class name column's 100


async def _instrument(audience: str) -> int:
    return (await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.audience == audience).first())["id"]


async def test_a_class_name_over_the_column_is_refused_by_name_by_id_and_on_edit(world: World) -> None:
    for attempt in (
        add_class("Alfa Skole", LONG_CLASS, grade=7),
        add_class_to(world.school_a, name=LONG_CLASS, grade=7),
        update_class(world.class_a, name=LONG_CLASS, grade=7, pupils=4),
    ):
        with pytest.raises(InvalidInput) as refused:
            await attempt
        assert refused.value.problems == {"name": "for langt (højst 100 tegn)"}
    assert not await SchoolClass.exists().where(SchoolClass.name == LONG_CLASS)


async def test_names_are_cleaned_before_their_length_is_checked_on_both_paths(world: World) -> None:
    spaced = "Trivsel " + " " * 300 + "2026"  # 312 characters typed, 12 after cleaning
    by_key = await create_wave(PUPIL_INSTRUMENT, year=2026, name=spaced)
    form = WaveForm(await _instrument("pupil"), spaced, 2026, None, None, (world.school_a,))
    by_form = await create_wave_from(form)
    names = {row["name"] for row in await Wave.select(Wave.name).where(Wave.id.is_in([by_key.id, by_form.id]))}
    assert names == {"Trivsel 2026"}
    for attempt in (
        create_event(STAFF_INSTRUMENT, name="x" * 201, held_on=dt.date.today()),
        create_event_from(EventForm(await _instrument("staff"), "x" * 201, dt.date.today())),
    ):
        with pytest.raises(InvalidInput) as refused:
            await attempt
        assert refused.value.problems == {"name": "for langt (højst 200 tegn)"}


async def test_a_staff_instrument_makes_no_wave_on_either_path(world: World) -> None:
    with pytest.raises(InvalidInput, match="temadag-evaluering er et skema til ansatte"):
        await create_wave(STAFF_INSTRUMENT, year=2026, name="Forkert")
    form = WaveForm(await _instrument("staff"), "Forkert", 2026, None, None, (world.school_a,))
    with pytest.raises(InvalidInput, match="temadag-evaluering er et skema til ansatte"):
        await create_wave_from(form)
    assert not await Wave.exists().where(Wave.name == "Forkert")
