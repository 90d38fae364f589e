"""Waves, events, progress (counts only, small counts suppressed) and the municipality's settings."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from html import unescape

import pytest

from surveys.db.tables import Event, InstrumentVersion, Organisation, Response, Wave, WaveSchool
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio


async def _instrument(audience: str = "pupil") -> int:
    newest = InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.audience == audience)
    return (await newest.order_by(InstrumentVersion.version, ascending=False).first())["id"]


async def _respond(world: World, school: int, school_class: int, n: int, wave: int | None = None) -> None:
    instrument = await _instrument()
    for _ in range(n):
        await Response(
            id=random.getrandbits(62), instrument=instrument, wave=wave or world.wave, school=school,
            school_class=school_class, year=2026, answers={},
        ).save()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def test_create_a_wave_with_instrument_dates_and_schools(client, world: World) -> None:
    await login_as(client, world, "admin")
    form = await client.get("/console/waves/new")
    assert form.status_code == 200 and "ung-trivsel-rusmidler" in form.text
    response = await post_form(client, "/console/waves", {
        "instrument": str(await _instrument()), "name": "Trivsel 2027", "year": "2027",
        "opens_on": "2027-02-01", "closes_on": "2027-03-01", "schools": [str(world.school_a), str(world.school_b)],
    })
    assert response.status_code == 303
    wave = await Wave.objects().get(Wave.name == "Trivsel 2027")
    assert wave.opens_on == dt.date(2027, 2, 1) and wave.status == "open"
    assert await WaveSchool.count().where(WaveSchool.wave == wave.id) == 2


async def test_wave_form_errors_are_shown_beside_the_fields(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await post_form(client, "/console/waves", {
        "instrument": str(await _instrument()), "name": "", "year": "20x7", "opens_on": "2027-03-01", "closes_on": "2027-02-01",
    })
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "helt tal" in response.text


async def test_a_wave_instrument_cannot_change_once_it_has_responses(client, world: World) -> None:
    await login_as(client, world, "admin")
    current = await InstrumentVersion.select().where(InstrumentVersion.id == await _instrument()).first()
    other = InstrumentVersion(
        key=current["key"], version=current["version"] + 1, audience="pupil", title="Ny version", definition=current["definition"]
    )
    await other.save()
    form = {"instrument": str(other.id), "name": "Trivsel i år", "year": "2026", "schools": [str(world.school_a), str(world.school_b)]}
    assert (await post_form(client, f"/console/waves/{world.wave}", form)).status_code == 303  # no responses yet: allowed
    assert (await Wave.select(Wave.instrument).where(Wave.id == world.wave).first())["instrument"] == other.id
    await _respond(world, world.school_a, world.class_a, 1)
    form["instrument"] = str(current["id"])
    refused = await post_form(client, f"/console/waves/{world.wave}", form)
    assert refused.status_code == 422 and "har allerede svar" in refused.text
    assert (await Wave.select(Wave.instrument).where(Wave.id == world.wave).first())["instrument"] == other.id


async def test_close_and_reopen_a_wave(client, world: World) -> None:
    await login_as(client, world, "coordinator_b")
    assert (await post_form(client, f"/console/waves/{world.wave_b}/status", {"status": "closed"})).status_code == 303
    assert (await Wave.select(Wave.status).where(Wave.id == world.wave_b).first())["status"] == "closed"
    assert (await post_form(client, f"/console/waves/{world.wave_b}/status", {"status": "open"})).status_code == 303
    assert (await Wave.select(Wave.status).where(Wave.id == world.wave_b).first())["status"] == "open"


async def test_events_create_open_close(client, world: World) -> None:
    await login_as(client, world, "coordinator_a")
    response = await post_form(client, "/console/events", {"instrument": str(await _instrument("staff")), "name": "Kursus i SSP", "held_on": "2026-04-02"})
    assert response.status_code == 303
    event = await Event.objects().get(Event.name == "Kursus i SSP")
    assert (await post_form(client, f"/console/events/{event.id}/status", {"status": "closed"})).status_code == 303
    page = await client.get(f"/console/events/{event.id}")
    assert "lukket" in page.text and "links.csv" not in page.text
    opened = await post_form(client, f"/console/events/{event.id}/sessions", {"capacity": "10"})
    assert opened.status_code == 422  # a closed event hands out no links


async def test_progress_counts_with_small_numbers_suppressed(client, world: World) -> None:
    from surveys.organisation.schools import add_class

    big = await add_class("Alfa Skole", "9.a", grade=9, pupils=20)
    await _respond(world, world.school_a, big.id, 12)
    await _respond(world, world.school_a, world.class_a, 3)
    await login_as(client, world, "analyst")
    page = await client.get(f"/console/waves/{world.wave}/progress")
    assert page.status_code == 200
    text = _text(page.text)
    assert "7.a 4 < 5 –" in text  # 3 answers are shown as "< 5", and no rate that would give them away
    assert "Alfa Skole 24 15 62 %" in text
    # the school's 15 minus 9.a's 12 would give 7.a's 3 away: 9.a is hidden to protect it, and says so
    assert "9.a 20 skjult –" in text and "skjult for at beskytte en lille gruppe" in text
    assert "Beta Skole 3 0 0 %" in text
    partial = await client.get(f"/console/waves/{world.wave}/progress", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "< 5" in _text(partial.text)


async def test_progress_is_limited_to_the_coordinators_schools(client, world: World) -> None:
    await _respond(world, world.school_b, world.class_b, 6)
    await login_as(client, world, "coordinator_a")
    text = _text((await client.get(f"/console/waves/{world.wave}/progress")).text)
    assert "Alfa Skole" in text and "Beta Skole" not in text


async def test_threshold_follows_the_municipality_setting(client, world: World) -> None:
    await Organisation.update({Organisation.suppression_threshold: 10}).where(Organisation.id > 0)
    await _respond(world, world.school_b, world.class_b, 7)
    await login_as(client, world, "admin")
    assert "< 10" in _text((await client.get(f"/console/waves/{world.wave}/progress")).text)


async def test_municipality_settings_with_help_contacts(client, world: World) -> None:
    await login_as(client, world, "admin")
    page = await client.get("/console/municipality")
    assert page.status_code == 200
    response = await post_form(client, "/console/municipality", {
        "name": "Hjørring Kommune", "logo_text": "Hjørring", "suppression_threshold": "6",
        "contact_0_name": "UNG RUS", "contact_0_text": "Anonym rådgivning", "contact_0_phone": "72 33 00 00",
        "contact_0_web": "ungrus.hjoerring.dk", "contact_0_hours": "Man–tors 14–18", "contact_0_audience": "pupil",
        "contact_1_name": "SSP", "contact_1_audience": "staff",
        "contact_2_name": "", "contact_2_text": "", "contact_2_phone": "", "contact_2_audience": "pupil",
        "notice_retention": "Svarene slettes efter 5 år.",
        "notice_purpose": "Kommunen bruger svarene til at se, hvordan unge i kommunen har det, og til at planlægge "
                          "arbejdet med trivsel, alkohol og stoffer – fx i skolerne, i SSP og i rådgivningen for unge.",
    })
    assert response.status_code == 303
    org = await Organisation.objects().first()
    assert org.name == "Hjørring Kommune" and org.suppression_threshold == 6
    contacts = org.help_contacts if isinstance(org.help_contacts, list) else json.loads(org.help_contacts)
    assert contacts == [
        {"name": "UNG RUS", "text": "Anonym rådgivning", "phone": "72 33 00 00", "web": "https://ungrus.hjoerring.dk",
         "hours": "Man–tors 14–18", "audience": "pupil"},
        {"name": "SSP", "text": "", "phone": "", "web": "", "hours": "", "audience": "staff"},
    ]
    notice = org.notice if isinstance(org.notice, dict) else json.loads(org.notice)
    assert notice == {"retention": "Svarene slettes efter 5 år."}  # the unchanged default is not stored
    shown = (await client.get("/console/municipality")).text
    assert "Svarene slettes efter 5 år." in shown and "Hjørring Kommune spørger" in shown
    bad = await post_form(client, "/console/municipality", {
        "name": "", "suppression_threshold": "2", "contact_0_text": "uden navn",
        "contact_1_name": "X", "contact_1_phone": "ring 112", "contact_2_name": "Y", "contact_2_web": "javascript:alert(1)",
    })
    assert bad.status_code == 422
    assert "diskretionsgrænse" in bad.text and "giv kontakten et navn" in bad.text
    assert "telefonnummeret må kun have cifre" in bad.text and "webadressen skal være en adresse" in bad.text
    assert "Hjørring" in (await client.get("/console")).text  # the logo text heads the pages


async def test_pupils_see_saved_municipality_settings_at_once(client, world: World) -> None:
    await login_as(client, world, "admin")
    assert (await client.get("/privatliv")).status_code == 200  # this process now keeps a copy of the settings
    response = await post_form(client, "/console/municipality", {
        "name": "Faxe Kommune", "logo_text": "Ung i Faxe", "suppression_threshold": "5",
        "notice_retention": "Svarene slettes efter 3 år.",
    })
    assert response.status_code == 303
    shown = (await client.get("/privatliv")).text  # within the refresh interval: the save replaced the copy
    assert '<span class="brand">Ung i Faxe</span>' in shown and "Svarene slettes efter 3 år." in shown


async def test_instruments_are_offered_even_on_a_fresh_database(client, engine) -> None:
    from surveys.accounts.users import create_user

    await create_user("solo@test.dk", "admin", password="correct-horse-battery-staple")
    from tests.integration.console_world import login

    assert (await login(client, "solo@test.dk")).status_code == 303
    assert "ung-trivsel-rusmidler" in (await client.get("/console/waves/new")).text
