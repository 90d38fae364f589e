"""The whole answering flow through the real app, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from surveys.db.tables import Draft, Link, Response
from tests.integration.answering_support import make_event_links, make_wave, path, release_all

pytestmark = pytest.mark.anyio


async def _answers(response_row: dict) -> dict:
    value = response_row["answers"]
    return json.loads(value) if isinstance(value, str) else value


async def test_welcome_page_is_danish_explains_anonymity_and_does_not_consume(client) -> None:
    setup = await make_wave(1)
    for _ in range(3):
        response = await client.get(path(setup.links[0]))
        assert response.status_code == 200
        assert "Dine svar er anonyme" in response.text
        assert "Din lærer kan ikke se dine svar" in response.text
        assert '<html lang="da" dir="ltr">' in response.text
    assert await Link.select(Link.uses).first() == {"uses": 0}
    english = await client.get(path(setup.links[0]) + "?lang=en")
    assert "Your answers are anonymous" in english.text
    assert english.cookies.get("lang") == "en"
    # The chosen language sticks (cookie) on the next page.
    page = await client.get(path(setup.links[0]) + "/p/1")
    assert "Page 1 of 3" in page.text


async def test_whole_flow_stores_one_anonymous_response(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    first = await client.get(base + "/p/1")
    assert "Side 1 af 3" in first.text
    assert 'id="q-q3"' in first.text and "hidden" in first.text.split('id="q-q3"')[1][:200]
    assert "Skriv ikke navne" in first.text
    step = await client.post(base + "/p/1", data={"q1": "1", "q2": "hej"}, follow_redirects=False)
    assert step.status_code == 303 and step.headers["location"] == base + "/p/2"
    step = await client.post(
        base + "/p/2",
        data={"q4": ["1", "2"], "q5": "7", "q6": "12", "m1": "3", "m2": "2", "nav": "next"},
        follow_redirects=False,
    )
    # q8 (page 3) is hidden because q1 is not 3: straight to the review.
    assert step.headers["location"] == base + "/review"
    review = await client.get(base + "/review")
    assert review.status_code == 200
    assert "Godt" in review.text and "hej" in review.text and "ret" in review.text
    assert f'href="{base}/p/2#q-q5"' in review.text
    submitted = await client.post(base + "/submit", follow_redirects=False)
    assert submitted.status_code == 303 and submitted.headers["location"] == base + "/tak"
    thanks = await client.get(base + "/tak")
    assert "Tak for dine svar!" in thanks.text
    assert "headspace" in thanks.text or "UNG RUS" in thanks.text or "Har du brug for" in thanks.text
    assert await Response.count() == 0  # held, sealed, until k of the class are released together
    assert await release_all() == 1
    rows = await Response.select()
    assert len(rows) == 1
    answers = await _answers(rows[0])
    assert answers == {"q1": 1, "q2": "hej", "q4_1": 1, "q4_2": 1, "q4_3": 0, "q4_98": 0, "q5": 7, "q6": 12, "m1": 3, "m2": 2}
    assert rows[0]["wave"] == setup.wave_id and rows[0]["school"] == setup.school_id
    assert rows[0]["grade"] == 7 and rows[0]["class_name"] == "7.a" and rows[0]["year"] == 2026
    assert await Draft.count() == 0
    assert await Link.select(Link.uses).first() == {"uses": 1}


async def test_used_link_shows_already_answered_everywhere(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    await client.post(base + "/p/1", data={"q1": "1"})
    await client.post(base + "/submit")
    for url in (base, base + "/p/1", base + "/review"):
        response = await client.get(url)
        assert response.status_code == 200
        assert "Du har allerede svaret – tak!" in response.text
    again = await client.post(base + "/submit", follow_redirects=True)
    assert again.status_code == 200 and "Tak for dine svar!" in again.text
    late_page = await client.post(base + "/p/1", data={"q1": "2"}, follow_redirects=False)
    assert late_page.headers["location"] == base + "/tak"
    await release_all()
    assert await Response.count() == 1
    assert await Draft.count() == 0


async def test_condition_on_the_same_page_is_revealed_without_javascript(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    # q1 = 2 reveals q3 on the same page; the pupil has not seen it, so the page comes back.
    step = await client.post(base + "/p/1", data={"q1": "2"}, follow_redirects=False)
    assert step.headers["location"] == base + "/p/1"
    page = await client.get(base + "/p/1")
    block = page.text.split('id="q-q3"')[1][:300]
    assert "hidden" not in block.split(">")[0]
    # Seen (the form says so, as flow.js does) but unanswered and required: 422.
    rejected = await client.post(base + "/p/1", data={"q1": "2", "_shown": "q3"})
    assert rejected.status_code == 422
    assert "Besvar venligst spørgsmålet." in rejected.text
    step = await client.post(base + "/p/1", data={"q1": "2", "q3": "1", "_shown": "q3"}, follow_redirects=False)
    assert step.headers["location"] == base + "/p/2"
    # Changing q1 hides q3 again and drops its stale answer; q1 = 3 shows page 3.
    await client.post(base + "/p/1", data={"q1": "3"})
    step = await client.post(base + "/p/2", data={}, follow_redirects=False)
    assert step.headers["location"] == base + "/p/3"
    assert await Draft.count() == 1  # sealed: what it holds is read back through the flow
    page = await client.get(base + "/p/1")
    assert 'name="q1" value="3" checked' in page.text and 'name="q3" value="1" checked' not in page.text


async def test_back_button_saves_and_goes_back(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    await client.post(base + "/p/1", data={"q1": "1"})
    step = await client.post(base + "/p/2", data={"q5": "3", "nav": "back"}, follow_redirects=False)
    assert step.headers["location"] == base + "/p/1"
    page = await client.get(base + "/p/2")
    assert 'name="q5" value="3" checked' in page.text


async def test_submit_with_a_required_question_missing_is_422_on_the_review(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    response = await client.post(base + "/submit")
    assert response.status_code == 422
    assert "Nogle spørgsmål skal besvares" in response.text
    assert await Response.count() == 0
    assert await Link.select(Link.uses).first() == {"uses": 0}


async def test_draft_survives_a_new_client(client, settings, engine) -> None:
    from litestar.testing import AsyncTestClient

    from server.app import create_app

    setup = await make_wave(1)
    base = path(setup.links[0])
    await client.post(base + "/p/1", data={"q1": "1", "q2": "gemt tekst"})
    await client.post(base + "/p/2", data={"q5": "9"})
    async with AsyncTestClient(app=create_app(settings, engine=engine), base_url="http://testserver.local") as other:
        welcome = await other.get(base)
        assert "Fortsæt, hvor du slap" in welcome.text
        assert f'href="{base}/p/3"' in welcome.text or f'href="{base}/review"' in welcome.text
        page = await other.get(base + "/p/1")
        assert "gemt tekst" in page.text and 'name="q1" value="1" checked' in page.text
        done = await other.post(base + "/submit", follow_redirects=False)
        assert done.status_code == 303
    await release_all()
    assert await Response.count() == 1


async def test_staff_link_uses_the_staff_instrument(client) -> None:
    links = await make_event_links(1)
    base = path(links[0])
    welcome = await client.get(base)
    assert "Evaluering af temadagen" in welcome.text
    assert "Din lærer" not in welcome.text
    step = await client.post(base + "/p/1", data={"rolle": "3"}, follow_redirects=False)
    assert step.headers["location"] == base + "/p/2"
    await client.post(base + "/p/3", data={"prioritet": ["1", "2"]})
    await client.post(base + "/submit")
    await release_all()
    row = await Response.select().first()
    assert row["event"] is not None and row["wave"] is None and row["school"] is None


async def test_code_entry_leads_to_the_same_flow(client) -> None:
    from surveys.answering.links import format_code

    setup = await make_wave(1)
    typed = format_code(setup.links[0].code).lower().replace("-", " ")
    entered = await client.post("/k", data={"code": typed}, follow_redirects=False)
    assert entered.status_code == 303
    flow = entered.headers["location"]
    assert flow.startswith("/k/") and setup.links[0].code not in flow
    welcome = await client.get(flow)
    assert "Dine svar er anonyme" in welcome.text and f'href="{flow}/p/1"' in welcome.text
    await client.post(flow + "/p/1", data={"q1": "1"})
    # The slip's QR token resumes the draft made through the code.
    page = await client.get(path(setup.links[0]) + "/p/1")
    assert 'name="q1" value="1" checked' in page.text
    await client.post(flow + "/submit")
    await release_all()
    assert await Response.count() == 1
    again = await client.post("/k", data={"code": setup.links[0].code}, follow_redirects=True)
    assert "Du har allerede svaret – tak!" in again.text


async def test_unknown_code_is_a_friendly_404(client) -> None:
    await make_wave(1)
    for typed in ("ACEF-HJKM", "nonsense", "", "x" * 5000):
        response = await client.post("/k", data={"code": typed})
        assert response.status_code == 404
        assert "Den kode findes ikke" in response.text
    page = await client.get("/k")
    assert page.status_code == 200 and 'action="/k"' in page.text


async def test_htmx_gets_the_partial_and_vary(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    full = await client.get(base + "/p/1")
    partial = await client.get(base + "/p/1", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in partial.text
    assert partial.text.lstrip().startswith('<div id="flow"')
    assert "HX-Request" in full.headers["vary"] and "HX-Request" in partial.headers["vary"]
    rejected = await client.post(base + "/p/1", data={"q1": "9"}, headers={"HX-Request": "true"})
    assert rejected.status_code == 422 and "<html" not in rejected.text
