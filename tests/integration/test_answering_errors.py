"""Bad input in the answering flow: friendly 4xx pages, never a 500, draft intact."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from surveys.answering.links import LinkSigner
from surveys.db.tables import Draft, Response
from tests.conftest import TEST_KEY
from tests.integration.answering_support import close_wave, make_event_links, draft_answers, make_wave, path, release_all

pytestmark = pytest.mark.anyio


def _tampered(token: str) -> str:
    random_id, _, signature = token.partition(".")
    flipped = ("B" if random_id[0] == "A" else "A") + random_id[1:]
    return f"{flipped}.{signature}"


async def test_forged_tampered_and_unknown_tokens_are_a_danish_404(client) -> None:
    setup = await make_wave(1)
    token = setup.links[0].token
    other_key_token, _ = LinkSigner(("another-key-" + "y" * 40,)).new_token("pupil")
    unknown_but_valid, _ = LinkSigner((TEST_KEY,)).new_token("pupil")
    for bad in (_tampered(token), token[:-1], token + "x", other_key_token, unknown_but_valid, "x", "a" * 300, "%00", "æøå"):
        for suffix in ("", "/p/1", "/review", "/tak"):
            response = await client.get(f"/s/{bad}{suffix}")
            assert response.status_code == 404, (bad, suffix)
            assert "Linket findes ikke" in response.text
        posted = await client.post(f"/s/{bad}/submit")
        assert posted.status_code == 404
    assert await Response.count() == 0


async def test_token_signed_with_the_other_purposes_salt_is_404(client) -> None:
    setup = await make_wave(1)
    staff_links = await make_event_links(1)
    signer = LinkSigner((TEST_KEY,))
    # Re-sign each link's random id with the other purpose's salt.
    for link, other in ((setup.links[0], "staff"), (staff_links[0], "pupil")):
        random_id = link.token.partition(".")[0]
        forged = signer._signers[other].sign(random_id).decode()
        response = await client.get(f"/s/{forged}")
        assert response.status_code == 404 and "Linket findes ikke" in response.text
    assert (await client.get(path(setup.links[0]))).status_code == 200
    assert (await client.get(path(staff_links[0]))).status_code == 200


async def test_old_links_still_open_after_a_new_key_is_added(client, settings, engine) -> None:
    from litestar.testing import AsyncTestClient

    from server.app import create_app

    setup = await make_wave(1)
    rotated = settings.with_(secret_keys=(TEST_KEY, "the-new-key-" + "z" * 40))
    async with AsyncTestClient(app=create_app(rotated, engine=engine), base_url="http://testserver.local") as new:
        response = await new.get(path(setup.links[0]))
        assert response.status_code == 200 and "Dine svar er anonyme" in response.text
    new_token, _ = LinkSigner(rotated.secret_keys).new_token("pupil")
    assert new_token != setup.links[0].token


async def test_closed_wave_is_410_and_not_yet_open_is_403(client) -> None:
    today = dt.date.today()
    later = await make_wave(1, opens_on=today + dt.timedelta(days=3), school="Senere Skole")
    response = await client.get(path(later.links[0]))
    assert response.status_code == 403 and "ikke åbnet endnu" in response.text
    past = await make_wave(1, closes_on=today - dt.timedelta(days=1), school="Tidligere Skole")
    response = await client.get(path(past.links[0]))
    assert response.status_code == 410 and "lukket" in response.text
    open_now = await make_wave(1, school="Nu Skole")
    await client.post(path(open_now.links[0]) + "/p/1", data={"q1": "1"})
    await close_wave(open_now.wave_id)
    for method, suffix in (("get", ""), ("get", "/p/1"), ("post", "/submit"), ("post", "/p/1")):
        response = await getattr(client, method)(path(open_now.links[0]) + suffix)
        assert response.status_code == 410
    assert await Response.count() == 0


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"q1": "7"}, "q1", "Vælg en af mulighederne."),
        ({"q1": "abc"}, "q1", "Vælg en af mulighederne."),
        ({"q1": ["1", "2"]}, "q1", "Vælg kun ét svar."),
        ({"q1": "1", "q2": "x" * 21}, "q2", "Teksten er for lang. Du kan højst skrive 20 tegn."),
        ({"q2": "hej"}, "q1", "Besvar venligst spørgsmålet."),
        ({"q1": "1", "hacker": "1"}, "_form", "Formularen indeholdt noget, vi ikke kender."),
    ],
)
async def test_invalid_answers_are_422_with_messages_beside_the_fields(client, form, field, message) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    await client.post(base + "/p/1", data={"q1": "3", "q2": "gammel"})
    response = await client.post(base + "/p/1", data=form)
    assert response.status_code == 422
    assert message in response.text
    if field != "_form":
        block = response.text.split(f'id="q-{field}"')[1].split('class="question')[0]
        assert message in block
        assert 'aria-invalid="true"' in block
    if field == "q2":
        assert "x" * 21 in response.text  # what was typed is not thrown away
    assert await draft_answers(setup.links[0]) == {"q1": 3, "q2": "gammel"}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"q4": ["1", "2", "3"]}, "Du har valgt for mange. Fjern nogle af dem."),
        ({"q4": ["1", "98"]}, "Vælg enten »Vil ikke svare«"),
        ({"q5": "11"}, "Vælg et tal mellem 0 og 10."),
        ({"q6": "-1"}, "Vælg et tal mellem 0 og 30."),
        ({"q6": "1e9"}, "Skriv et helt tal mellem 0 og 30."),
        ({"m1": "4"}, "Vælg en af mulighederne."),
    ],
)
async def test_invalid_answers_on_page_two(client, form, message) -> None:
    setup = await make_wave(1)
    response = await client.post(path(setup.links[0]) + "/p/2", data=form)
    assert response.status_code == 422 and message in response.text


async def test_decline_code_answers_a_sensitive_question(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    await client.post(base + "/p/1", data={"q1": "1"})
    response = await client.post(base + "/p/2", data={"q4": "98"}, follow_redirects=False)
    assert response.status_code == 303
    await client.post(base + "/submit")
    await release_all()
    row = await Response.select(Response.answers).first()
    answers = json.loads(row["answers"]) if isinstance(row["answers"], str) else row["answers"]
    assert answers["q4_98"] == 1 and answers["q4_1"] == 0


async def test_oversized_body_is_a_friendly_413(client) -> None:
    setup = await make_wave(1)
    response = await client.post(path(setup.links[0]) + "/p/1", data={"q2": "x" * 200_000})
    assert response.status_code == 413
    assert "For meget tekst" in response.text
    assert await Draft.count() == 0


async def test_pages_out_of_range_and_garbage_never_500(client) -> None:
    setup = await make_wave(1)
    base = path(setup.links[0])
    for url in (base + "/p/0", base + "/p/99", base + "/p/-1", base + "/p/abc", base + "/nope"):
        response = await client.get(url)
        assert 400 <= response.status_code < 500, url
        response = await client.post(url, data={"q1": "1"})
        assert 400 <= response.status_code < 500, url
    weird = await client.post(base + "/p/1", content=b"\xff\xfe\x00garbage", headers={"content-type": "application/x-www-form-urlencoded"})
    assert 400 <= weird.status_code < 500
    multipart = await client.post(base + "/p/1", files={"q1": ("a.txt", b"1")})
    assert 400 <= multipart.status_code < 500 or multipart.status_code == 303
    json_body = await client.post(base + "/p/1", json={"q1": 1})
    assert json_body.status_code < 500
