"""Reading stored responses into the analysis frame, on both databases: batches by id, the fast
decode of a batch, and the row-by-row path for a batch holding odd values, give one frame."""

from __future__ import annotations

import json

import pytest

from analysis.frame import FrameBuilder
from analysis.frame import MISSING
from surveys.db.tables import InstrumentVersion, Response
from surveys.responses import copied
from surveys.db.urls import is_sqlite
from surveys.responses.copied import CopyReader, copy_into_reader
from surveys.responses.frame import load_frame, read_sqlite
from surveys.responses.importing import insert_responses, stored_instrument
from surveys.responses.synthetic import synthetic_responses
from tests.frames import assert_same_frames

pytestmark = pytest.mark.anyio
KEY = "ung-trivsel-rusmidler"


async def _expected(instrument, years=None):
    """The frame built row by row from every stored response, in id order (the reference)."""
    builder = FrameBuilder(instrument)
    rows = await Response.select(
        Response.year, Response.school.name.as_alias("school"), Response.class_name, Response.grade, Response.answers
    ).order_by(Response.id)
    for r in rows:
        if years is None or r["year"] in years:
            answers = json.loads(r["answers"]) if isinstance(r["answers"], str) else r["answers"]
            builder.add(r["year"], r["school"], r["class_name"], r["grade"], answers)
    return builder.build()


async def test_the_frame_read_in_batches_equals_the_frame_row_by_row(engine, monkeypatch) -> None:
    monkeypatch.setattr(copied, "PIECE", 4096)  # PostgreSQL's COPY read in many pieces, most typed
    version_id, instrument = await stored_instrument(KEY)
    data = synthetic_responses(instrument, schools=4, years=[2024, 2025, 2026], pupils=40, seed=11)
    await insert_responses(version_id, data.rows(), create_schools=True)
    # One stored response with a text where a code belongs (as a hand-edited import might hold):
    # its batch goes row by row, and the value counts as not answered.
    odd = await Response.select(Response.id, Response.answers).order_by(Response.id).first()
    answers = json.loads(odd["answers"]) if isinstance(odd["answers"], str) else dict(odd["answers"])
    answers["hash_nogensinde"] = "1"
    answers["koen"] = True  # JSON true is no code either (the database must not turn it into 1)
    await Response.update({Response.answers: answers}).where(Response.id == odd["id"])
    # Text COPY escapes: a class name with a tab, backslash, quote, newline and æ; answers stored
    # with line breaks and a backslash in a string (PostgreSQL keeps a json value's text as given)
    some = [r["id"] for r in await Response.select(Response.id).order_by(Response.id).limit(5).offset(3)]
    await Response.update({Response.class_name: '7.\tæ\\ "b"\n'}).where(Response.id.is_in(some[:3]))
    await Response.update({Response.answers: '{\n\t"koen": 2,\r\n "besked": "a\\\\b\\n",\n "klassetrin": 8\n}'}).where(
        Response.id.is_in(some[3:])
    )

    frame, _ = await load_frame(KEY, batch_size=64)  # many batches: keyset paging and read-ahead
    assert len(frame.year) == data.n == 480
    assert_same_frames(frame, await _expected(instrument))

    frame, _ = await load_frame(KEY, [2025, 2026], batch_size=50)
    assert sorted(set(frame.year.tolist())) == [2025, 2026]
    assert_same_frames(frame, await _expected(instrument, {2025, 2026}))

    empty, _ = await load_frame(KEY, [])
    assert len(empty.year) == 0
    none_stored, _ = await load_frame(KEY, [1999])  # a year without responses: nothing read
    assert none_stored.n == 0 and set(none_stored.values) == {i.id for i in instrument.indicators}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL reads in one COPY, no pages
async def test_sqlite_pages_by_id_without_gaps_or_repeats(engine) -> None:
    version_id, instrument = await stored_instrument(KEY)
    data = synthetic_responses(instrument, schools=2, years=[2026], pupils=37, seed=3)
    await insert_responses(version_id, data.rows(), create_schools=True)
    versions = [r["id"] for r in await InstrumentVersion.select(InstrumentVersion.id)]
    reader = CopyReader(FrameBuilder(instrument).variables)
    await read_sqlite(reader, versions, None, 10)
    assert [len(part.ids) for part in reader.parts] == [10] * 7 + [4]
    ids = [i for part in reader.parts for i in part.ids.tolist()]
    assert ids == sorted(ids) == sorted(r["id"] for r in await Response.select(Response.id))


@pytest.mark.parametrize("extra", [0, 73, 164])  # 18, 91 (a lone last path) and 182 variables
async def test_the_database_extracts_any_number_of_fields(engine, extra: int) -> None:
    version_id, instrument = await stored_instrument(KEY)
    data = synthetic_responses(instrument, schools=1, years=[2026], pupils=12, seed=5)
    await insert_responses(version_id, data.rows(), create_schools=True)
    variables = FrameBuilder(instrument).variables + [f"ikke_et_felt_{i}" for i in range(extra)]
    versions = [r["id"] for r in await InstrumentVersion.select(InstrumentVersion.id)]
    reader = CopyReader(variables)
    if is_sqlite(engine):
        await read_sqlite(reader, versions, None, 100)
    else:
        await copy_into_reader(reader, versions)
    (part,) = reader.parts
    stored = {r["id"]: json.loads(r["answers"]) if isinstance(r["answers"], str) else r["answers"]
              for r in await Response.select(Response.id, Response.answers)}
    for i, name in enumerate(variables):
        assert part.codes[i].tolist() == [stored[id_].get(name, MISSING) for id_ in part.ids.tolist()]
