"""What a pupil meets (issue 14), through the real app on SQLite and PostgreSQL: the
municipality's name on every pupil page and in the title, a welcome page that says who asks, why
and that it is voluntary, a privacy notice page, structured help (tel: and web links, hours) with
separate pupil and staff blocks and on every page with sensitive questions, and a mistyped code
kept in its field."""

from __future__ import annotations

import html
import re

import pytest

from surveys.db.tables import Organisation
from surveys.organisation.municipality import get_organisation
from tests.integration.answering_support import close_wave, make_event_links, make_wave, path

pytestmark = pytest.mark.anyio
KEY = "ung-trivsel-rusmidler"


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


async def _municipality(name: str = "Faxe Kommune", logo: str = "Faxe Kommune – Ung i Faxe") -> None:
    organisation = await get_organisation(name)
    await Organisation.update({Organisation.name: name, Organisation.logo_text: logo}).where(
        Organisation.id == organisation.id
    )


async def test_every_pupil_page_names_the_municipality_and_the_welcome_says_who_asks(client) -> None:
    await _municipality()
    setup = await make_wave(2, instrument=KEY)
    base = path(setup.links[0])
    for url in ("/", "/k", "/privatliv", base, base + "/p/1", base + "/p/3", base + "/review"):
        page = await client.get(url)
        assert page.status_code == 200, url
        assert '<span class="brand">Faxe Kommune – Ung i Faxe</span>' in page.text, url
        assert "– trivsel</title>" not in page.text and "– Faxe Kommune – Ung i Faxe</title>" in page.text, url
    welcome = _text((await client.get(base)).text)
    assert "<title>Trivsel og rusmidler – Faxe Kommune – Ung i Faxe</title>" in (await client.get(base)).text
    assert "Faxe Kommune spørger, og Faxe Kommune har ansvaret for svarene (dataansvarlig)." in welcome
    assert "Kommunen bruger svarene til at se, hvordan unge i kommunen har det" in welcome
    assert "Det er frivilligt at være med, og du kan springe ethvert spørgsmål over." in welcome
    assert welcome.lower().count("springe") == 1 and welcome.lower().count("anonym") == 1  # each said once
    assert 'href="/privatliv"' in (await client.get(base)).text
    english = _text((await client.get(base + "?lang=en")).text)
    assert "Faxe Kommune is asking" in english and "Taking part is voluntary" in english
    await close_wave(setup.wave_id)  # an error page is a pupil page too
    closed = await client.get(path(setup.links[1]))
    assert closed.status_code == 410 and '<span class="brand">Faxe Kommune – Ung i Faxe</span>' in closed.text


async def test_the_privacy_notice_says_what_art_13_asks_and_follows_the_console(client) -> None:
    await _municipality()
    notice = _text((await client.get("/privatliv")).text)
    for words in ("Faxe Kommune spørger", "Hvad bruges svarene til?", "Vi gemmer ikke dit navn", "IP-adresse",
                  "højst 10 år", "databeskyttelsesrådgiver", "Datatilsynet", "Det er frivilligt",
                  "artikel 6, stk. 1, litra e", "Hvem ser svarene?", "ser kun tal for grupper med mange svar"):
        assert words in notice, words
    organisation = await get_organisation()
    await Organisation.update({Organisation.notice: {"retention": "Svarene slettes efter 5 år."}}).where(
        Organisation.id == organisation.id
    )
    import server.profile as profile

    client._transport.app.state.profile_loaded = -profile.REFRESH_S * 10  # type: ignore[attr-defined]
    again = _text((await client.get("/privatliv")).text)
    assert "Svarene slettes efter 5 år." in again and "højst 10 år" not in again


async def test_help_is_structured_tappable_and_separate_for_pupils_and_staff(client) -> None:
    await _municipality()
    setup = await make_wave(1, instrument=KEY)
    base = path(setup.links[0])
    substances = (await client.get(base + "/p/3")).text  # the page of alcohol, tobacco and drugs
    assert '<details class="help-box">' in substances and 'href="tel:116111"' in substances
    assert '<details class="help-box">' not in (await client.get(base + "/p/2")).text  # no sensitive question there
    await client.post(base + "/submit")
    thanks = (await client.get(base + "/tak")).text
    assert 'href="tel:116111"' in thanks and ">Ring 116 111<" in thanks
    assert 'href="https://cyberhus.dk"' in thanks and ">Gå til cyberhus.dk<" in thanks
    assert "Åbent: hele døgnet" in thanks
    assert "BørneTelefonen" in thanks and "Rusmiddelcentret – rådgivning til fagpersoner" not in thanks
    (staff,) = await make_event_links(1)
    await client.post(path(staff) + "/submit")
    staff_thanks = _text((await client.get(path(staff) + "/tak")).text)
    assert "Hvis du er bekymret for en ung" in staff_thanks
    assert "Rusmiddelcentret – rådgivning til fagpersoner" in staff_thanks
    assert "BørneTelefonen" not in staff_thanks and "Spørg din lærer" not in staff_thanks


async def test_an_older_free_text_contact_still_shows_as_a_link(client) -> None:
    organisation = await get_organisation()
    await Organisation.update({Organisation.help_contacts: [
        {"name": "UNG RUS", "text": "Anonym rådgivning", "contact": "56 20 35 00"},
        {"name": "headspace", "text": "Gratis samtale", "contact": "headspace.dk"},
        {"name": "SSP", "text": "Hjælp", "contact": "Spørg din lærer"},
    ]}).where(Organisation.id == organisation.id)
    setup = await make_wave(1, instrument=KEY)
    await client.post(path(setup.links[0]) + "/submit")
    thanks = (await client.get(path(setup.links[0]) + "/tak")).text
    assert 'href="tel:56203500"' in thanks and 'href="https://headspace.dk"' in thanks
    assert "Hjælp (Spørg din lærer)" in _text(thanks)


async def test_a_mistyped_code_stays_in_the_field_with_the_error_beside_it(client) -> None:
    await make_wave(1, instrument=KEY)
    page = await client.post("/k", data={"code": "ABCD-EFGH"})
    assert page.status_code == 404
    assert 'value="ABCD-EFGH"' in page.text and 'aria-describedby="code-error"' in page.text
    assert 'id="code-error"' in page.text
    hostile = await client.post("/k", data={"code": '"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in hostile.text and 'value="&#34;&gt;&lt;script&gt;alert(1' in hostile.text
