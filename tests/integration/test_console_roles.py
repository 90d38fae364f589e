"""Every console route × every role: allowed, 403, or sent to the login page.

Coordinator A and teacher A work at Alfa Skole, coordinator B at Beta Skole;
"wave" includes both schools, "wave_b" only Beta. A pupil who holds a link (and
has opened it) is, to the console, as anonymous as anyone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from surveys.answering.class_sessions import SessionTokens, open_class_session, open_event_session
from surveys.answering.issuing import issue_links
from surveys.answering.links import LinkSigner
from surveys.db.tables import Link, School, Wave
from tests.conftest import TEST_KEY
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio

ALL = {"admin", "coordinator_a", "coordinator_b", "analyst", "teacher_a"}
ADMIN = {"admin"}
COORDS = {"admin", "coordinator_a", "coordinator_b"}
A_MANAGE = {"admin", "coordinator_a"}
B_MANAGE = {"admin", "coordinator_b"}
A_STAFF = {"admin", "coordinator_a", "teacher_a"}


def routes(w: World, s: dict) -> list[tuple[str, str, dict | None, set[str]]]:
    """(method, path, form data, roles allowed). Destructive routes come last."""
    year = str(dt.date.today().year)
    wave_form = {"instrument": str(s["instrument"]), "name": "Ny måling", "year": year, "schools": [str(w.school_a)]}
    return [
        ("GET", "/console", None, ALL),
        ("GET", "/console/password", None, ALL),
        ("GET", "/console/schools", None, {"admin", "coordinator_a", "coordinator_b", "teacher_a"}),
        ("GET", "/console/schools/new", None, ADMIN),
        ("POST", "/console/schools", {"name": "Gamma Skole", "kind": "grundskole", "grades": ""}, ADMIN),
        ("GET", f"/console/schools/{w.school_a}", None, A_STAFF),
        ("GET", f"/console/schools/{w.school_b}", None, B_MANAGE),
        ("GET", f"/console/schools/{w.school_a}/edit", None, ADMIN),
        ("POST", f"/console/schools/{w.school_a}", {"name": "Alfa Skole", "kind": "grundskole", "grades": "0-9"}, ADMIN),
        ("GET", f"/console/schools/{w.school_a}/classes/new", None, A_MANAGE),
        ("POST", f"/console/schools/{w.school_a}/classes", {"name": "8.x", "grade": "8", "pupils": "20"}, A_MANAGE),
        ("GET", f"/console/schools/{w.school_b}/classes/new", None, B_MANAGE),
        ("POST", f"/console/schools/{w.school_b}/classes", {"name": "8.y", "grade": "8", "pupils": "20"}, B_MANAGE),
        ("GET", f"/console/classes/{w.class_a}/edit", None, A_MANAGE),
        ("POST", f"/console/classes/{w.class_a}", {"name": "7.a", "grade": "7", "pupils": "4"}, A_MANAGE),
        ("GET", f"/console/classes/{w.class_b}/edit", None, B_MANAGE),
        ("POST", f"/console/classes/{w.class_b}", {"name": "7.b", "grade": "7", "pupils": "3"}, B_MANAGE),
        ("GET", "/console/import/schools", None, ADMIN),
        ("GET", "/console/import/classes", None, COORDS),
        ("GET", f"/console/classes/{w.class_a}/slips", None, A_STAFF),
        ("POST", f"/console/classes/{w.class_a}/slips", {"wave": str(w.wave), "count": "2", "format": "pdf"}, A_STAFF),
        ("GET", f"/console/classes/{w.class_b}/slips", None, B_MANAGE),
        ("POST", f"/console/classes/{w.class_b}/slips", {"wave": str(w.wave), "count": "2", "format": "print"}, B_MANAGE),
        ("GET", f"/console/classes/{w.class_a}/session", None, A_STAFF),
        ("POST", f"/console/classes/{w.class_a}/sessions", {"wave": str(w.wave), "capacity": "4", "minutes": "45"}, A_STAFF),
        ("GET", f"/console/classes/{w.class_b}/session", None, B_MANAGE),
        ("POST", f"/console/classes/{w.class_b}/sessions", {"wave": str(w.wave), "capacity": "3", "minutes": "45"}, B_MANAGE),
        ("GET", f"/console/sessions/{s['session_a']}", None, A_STAFF),
        ("GET", f"/console/sessions/{s['session_b']}", None, B_MANAGE),
        ("GET", f"/console/sessions/{s['session_event']}", None, COORDS),
        ("GET", "/console/waves", None, {"admin", "coordinator_a", "coordinator_b", "analyst"}),
        ("GET", "/console/waves/new", None, COORDS),
        ("POST", "/console/waves", wave_form, A_MANAGE),
        ("GET", f"/console/waves/{w.wave}/edit", None, ADMIN),
        ("GET", f"/console/waves/{w.wave_b}/edit", None, B_MANAGE),
        ("GET", f"/console/waves/{w.wave}/progress", None, ALL),
        ("GET", f"/console/waves/{w.wave_b}/progress", None, {"admin", "coordinator_b", "analyst"}),
        ("GET", "/console/events", None, COORDS),
        ("GET", "/console/events/new", None, COORDS),
        ("POST", "/console/events", {"instrument": str(s["staff_instrument"]), "name": "Kursus", "held_on": "2026-05-01"}, COORDS),
        ("GET", f"/console/events/{w.event}", None, COORDS),
        ("POST", f"/console/events/{w.event}/links.csv", {"count": "3"}, COORDS),
        ("POST", f"/console/events/{w.event}/sessions", {"capacity": "30", "minutes": "60"}, COORDS),
        ("GET", "/console/municipality", None, ADMIN),
        ("GET", "/console/reports", None, {"admin", "analyst"}),
        (
            "POST",
            "/console/municipality",
            {"name": "Testkommune", "logo_text": "Testkommune", "suppression_threshold": "5"},
            ADMIN,
        ),
        ("POST", f"/console/sessions/{s['session_b']}/close", {}, B_MANAGE),
        ("POST", f"/console/waves/{w.wave_b}", {**wave_form, "schools": [str(w.school_b)]}, B_MANAGE),
        ("POST", f"/console/waves/{w.wave_b}/status", {"status": "closed"}, B_MANAGE),
        ("POST", f"/console/events/{w.event}/status", {"status": "closed"}, COORDS),
    ]


async def _sessions(w: World) -> dict:
    from surveys.db.tables import InstrumentVersion

    tokens = SessionTokens((TEST_KEY,))
    a = await open_class_session(tokens, school_class_id=w.class_a, wave_id=w.wave)
    b = await open_class_session(tokens, school_class_id=w.class_b, wave_id=w.wave)
    e = await open_event_session(tokens, event_id=w.event, capacity=20)
    pupil = (await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.audience == "pupil").first())["id"]
    staff = (await InstrumentVersion.select(InstrumentVersion.id).where(InstrumentVersion.audience == "staff").first())["id"]
    return {"session_a": a.id, "session_b": b.id, "session_event": e.id, "instrument": pupil, "staff_instrument": staff}


async def _request(client, method: str, path: str, data: dict | None):
    if method == "GET":
        return await client.get(path)
    return await post_form(client, path, data)


@pytest.mark.parametrize("role", sorted(ALL))
async def test_each_route_allows_exactly_its_roles(client, world: World, role: str) -> None:
    s = await _sessions(world)
    await login_as(client, world, role)
    wrong = []
    for method, path, data, allowed in routes(world, s):
        links_before = await Link.count()
        response = await _request(client, method, path, data)
        if role in allowed:
            ok = response.status_code in (200, 303) and not response.headers.get("location", "").startswith("/console/login")
        else:
            ok = response.status_code == 403 and await Link.count() == links_before
        if not ok:
            wrong.append(f"{method} {path}: {response.status_code} {response.headers.get('location', '')}")
    assert wrong == [], f"{role}: " + "; ".join(wrong)


async def test_the_forbidden_changed_nothing(client, world: World) -> None:
    s = await _sessions(world)
    await login_as(client, world, "coordinator_a")
    for method, path, data, allowed in routes(world, s):
        if method == "POST" and "coordinator_a" not in allowed:
            await _request(client, method, path, data)
    assert await School.count() == 2
    assert (await Wave.select(Wave.status).where(Wave.id == world.wave_b).first())["status"] == "open"


@pytest.mark.parametrize("who", ["anonymous", "pupil"])
async def test_without_a_console_session_every_route_leads_to_login(client, world: World, who: str) -> None:
    s = await _sessions(world)
    if who == "pupil":
        [link] = await issue_links(LinkSigner((TEST_KEY,)), "http://testserver.local", "pupil", 1, wave=world.wave, school=world.school_a)
        assert (await client.get(f"/s/{link.token}")).status_code == 200
    await client.get("/console/login")
    wrong = []
    for method, path, data, _ in routes(world, s):
        if path == "/console/password":
            continue
        response = await _request(client, method, path, data)
        if response.status_code != 303 or response.headers["location"] != "/console/login":
            wrong.append(f"{method} {path}: {response.status_code}")
    assert wrong == []
