"""Version 2 of the pupil instrument in use, on SQLite and PostgreSQL: a class link does not ask
the grade, the skip after "Nej" to alcohol is stored as "Ingen gange", every substance question
offers "Vil ikke svare"; years answered with version 1 and version 2 are compared where the
indicator is asked alike, and kept apart (with the report saying why) where it is not."""

from __future__ import annotations

import html
import json
import re

import pytest

from exports.report.source import load_report_inputs, make_report, results_of
from exports.report.method import questionnaire_changes
from exports.report.story import Context, comparability_sentence
from surveys.db.tables import InstrumentVersion, Response
from surveys.instruments import builtin_versions
from surveys.instruments.catalog import instrument_for
from surveys.responses.importing import insert_responses, stored_instrument
from surveys.responses.synthetic import synthetic_responses
from tests.integration.answering_support import make_wave, path, release_all

pytestmark = pytest.mark.anyio
KEY = "ung-trivsel-rusmidler"


async def test_a_class_link_asks_version_2_without_the_grade_and_stores_the_skip(client) -> None:
    setup = await make_wave(3, instrument=KEY)  # class 7.a, grade 7
    base = path(setup.links[0])
    first = await client.get(base + "/p/1")
    assert 'name="koen"' in first.text and 'name="klassetrin"' not in first.text
    substances = await client.get(base + "/p/3")
    for name in ("alkohol_nogensinde", "fuld_seneste_maaned", "cigaretter", "e_cigaret", "snus",
                 "hash_nogensinde", "tilbudt_stoffer"):
        assert f'name="{name}" value="98"' in substances.text, name
    assert 'id="q-andre_stoffer"' not in substances.text  # asked from 8. klasse; the class says 7
    # "Nej" to alcohol: the drunk question is skipped and stored as "Ingen gange"
    await client.post(base + "/p/3", data={"alkohol_nogensinde": "1", "hash_nogensinde": "1"})
    await client.post(base + "/submit")
    # without JavaScript, "Ja" to alcohol brings the page back with the drunk question now shown
    third = path(setup.links[2])
    again = await client.post(third + "/p/3", data={"alkohol_nogensinde": "2"}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].endswith("/p/3")
    shown = (await client.get(third + "/p/3")).text
    block = shown.split('id="q-fuld_seneste_maaned"')[1].split(">")[0]  # the question's own tag
    assert "data-show-if" in block and " hidden" not in block
    # a second pupil declines the alcohol question: nothing is implied
    other = path(setup.links[1])
    await client.post(other + "/p/3", data={"alkohol_nogensinde": "98"})
    await client.post(other + "/submit")
    assert await release_all() == 2  # held until released together (issue 12)
    stored = [json.loads(r["answers"]) if isinstance(r["answers"], str) else r["answers"]
              for r in await Response.select(Response.answers, Response.grade)]
    by_alcohol = {a["alkohol_nogensinde"]: a for a in stored}
    assert by_alcohol[1]["klassetrin"] == 7 and by_alcohol[1]["fuld_seneste_maaned"] == 1
    assert "andre_stoffer_7" not in by_alcohol[1]
    assert by_alcohol[98]["klassetrin"] == 7 and "fuld_seneste_maaned" not in by_alcohol[98]


async def _store_years(version: int, years: list[int], seed: int) -> None:
    instrument = {i.version: i for i in builtin_versions() if i.id == KEY}[version]
    row = await instrument_for(KEY, version)
    data = synthetic_responses(instrument, schools=3, years=years, pupils=90, seed=seed)
    await insert_responses(row.id, data.rows(), create_schools=True)


async def test_years_across_versions_are_compared_only_where_the_question_is_asked_alike(engine, tmp_path) -> None:
    await stored_instrument(KEY)  # syncs the shipped versions
    assert {r["version"] for r in await InstrumentVersion.select().where(InstrumentVersion.key == KEY)} == {1, 2}
    await _store_years(1, [2023, 2024, 2025], seed=3)
    await _store_years(2, [2026, 2027], seed=4)
    inputs = await load_report_inputs(KEY, [2023, 2024, 2025, 2026, 2027], with_events=False)
    marked = {ind.id: ind for ind in inputs.instrument.indicators}
    assert marked["drukket_sig_fuld_seneste_maaned"].comparable_from == 2026
    assert marked["drukket_sig_fuld_seneste_maaned"].change_note.da == "version 2: »Vil ikke svare« er tilføjet"
    assert marked["har_proevet_hash"].comparable_from is None  # asked alike in both versions
    rows = results_of(inputs, ("school",))

    def town(indicator: str, comparison: str, year: int):
        (row,) = [r for r in rows if r.indicator == indicator and r.comparison == comparison
                  and r.dimension == "municipality" and r.year == year]
        return row

    across = town("drukket_sig_fuld_seneste_maaned", "vs_previous", 2026)
    assert across.p is None and across.conclusion == (
        "Kan ikke sammenlignes: spørgsmålet stilles anderledes fra 2026 (version 2: »Vil ikke svare« er tilføjet).")
    assert town("drukket_sig_fuld_seneste_maaned", "vs_previous", 2027).p is not None  # both version 2
    assert town("drukket_sig_fuld_seneste_maaned", "vs_previous", 2025).p is not None  # both version 1
    assert town("har_proevet_hash", "vs_previous", 2026).p is not None  # unchanged: compared across versions
    assert town("har_proevet_hash", "trend", 2027).reference == "2023, 2024, 2025, 2026, 2027"
    trend = town("drukket_sig_fuld_seneste_maaned", "trend", 2027)
    assert trend.p is None and trend.conclusion == (
        "Ikke testet: færre end tre år med svar, der kan vises, siden spørgsmålet blev ændret i 2026.")
    # the report says it where the development would otherwise be told
    ctx = Context(rows=None, instrument=inputs.instrument, years=list(inputs.years), baseline=None, threshold=5)
    sentence = comparability_sentence(ctx, marked["drukket_sig_fuld_seneste_maaned"])
    assert sentence.startswith("Spørgsmålet stilles anderledes fra 2026 (version 2: »Vil ikke svare« er tilføjet)")
    assert comparability_sentence(ctx, marked["har_proevet_hash"]) == ""
    ((heading, lines),) = questionnaire_changes(ctx, inputs.instrument.indicators)  # the method appendix
    assert heading == "Ændringer i spørgeskemaet" and len(lines) == 1 + 5
    assert lines[1].startswith("Har været fuld inden for de seneste 30 dage: spørgsmålet stilles anderledes fra 2026")
    files = make_report(inputs, tmp_path / "rapport")  # the whole report says it too
    page = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(files.html.read_text(encoding="utf-8"))).split())
    assert "Ændringer i spørgeskemaet" in page
    assert "Spørgsmålet stilles anderledes fra 2026 (version 2: »Vil ikke svare« er tilføjet)" in page
    assert files.pdf.read_bytes().startswith(b"%PDF")


async def test_an_earlier_year_is_imported_as_the_version_it_was_asked_with(engine, tmp_path) -> None:
    from surveys.errors import InvalidInput
    from surveys.responses.importing import import_responses

    good = tmp_path / "v1.csv"
    good.write_text("year,school,class,grade,language,alkohol_nogensinde,fuld_seneste_maaned\n"
                    "2010,Alfa Skole,7.a,7,da,2,3\n", encoding="utf-8")
    result = await import_responses(good, KEY, create_schools=True, version=1)
    assert result.imported == 1
    (row,) = await Response.select(Response.instrument)
    assert row["instrument"] == (await instrument_for(KEY, 1)).id
    declined = tmp_path / "declined.csv"  # "Vil ikke svare" on alcohol did not exist in version 1
    declined.write_text("year,school,class,grade,language,alkohol_nogensinde\n2010,Alfa Skole,7.a,7,da,98\n",
                        encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        await import_responses(declined, KEY, version=1)
    assert "alkohol_nogensinde" in str(refused.value.problems) or "alkohol_nogensinde" in refused.value.message
    assert (await import_responses(declined, KEY)).imported == 1  # version 2 has it
