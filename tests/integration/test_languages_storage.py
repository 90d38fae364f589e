"""Languages in the database, on SQLite and PostgreSQL: BCP 47 tags up to 35 characters on
responses, and translations that reach a stored instrument version without a new one."""

from __future__ import annotations

import io
import json

import pytest

from surveys.db.tables import InstrumentVersion, Response
from surveys.errors import Conflict
from surveys.instruments import PUPIL_INSTRUMENT, builtin_instruments, instrument_from_dict, instrument_to_dict
from surveys.instruments.catalog import stored_languages, sync_instruments
from surveys.responses.csv_format import read_responses_csv
from surveys.responses.importing import insert_responses, stored_instrument

pytestmark = pytest.mark.anyio

LONG_TAG = "sr-Latn-RS-1994-biske-ekavsk"  # 28 characters, well formed


async def test_responses_and_drafts_keep_long_language_tags(engine) -> None:
    await sync_instruments()
    version_id, instrument = await stored_instrument(PUPIL_INSTRUMENT)
    text = "year,school,class,grade,language\n2026,Skole A,7.a,7,uk\n2026,Skole A,7.a,7,ar\n" \
           f"2026,Skole A,7.a,7,{LONG_TAG}\n2026,Skole A,7.a,7,\n"
    responses = read_responses_csv(io.StringIO(text), instrument)
    await insert_responses(version_id, responses, create_schools=True)
    languages = sorted(r["language"] for r in await Response.select(Response.language))
    assert languages == sorted(["uk", "ar", LONG_TAG, "da"])
    await Response.update({Response.language: "x" * 35}).where(Response.language == LONG_TAG)  # the full width
    assert await Response.count().where(Response.language == "x" * 35) == 1


async def test_a_translation_reaches_the_stored_version_but_a_danish_change_does_not(engine) -> None:
    instrument = builtin_instruments()[PUPIL_INSTRUMENT]
    old = instrument_to_dict(instrument)
    # As stored before issue 16: Danish and English only, the languages as a list.
    old["languages"] = ["da", "en"]

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("uk", "ar")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    old = strip(old)
    await InstrumentVersion(key=instrument.id, version=instrument.version, audience="pupil",
                            title=instrument.title.da, definition=old).save()
    assert [l["tag"] for l in stored_languages(old)] == ["da", "en"]
    added = await sync_instruments()
    assert f"{instrument.id}@{instrument.version} (translations)" in added
    row = await InstrumentVersion.select(InstrumentVersion.definition).where(
        (InstrumentVersion.key == instrument.id) & (InstrumentVersion.version == instrument.version)
    ).first()
    definition = row["definition"] if isinstance(row["definition"], dict) else json.loads(row["definition"])
    stored = instrument_from_dict(definition)
    assert stored.languages == ("da", "en", "uk", "ar") and stored.drafts == ("uk", "ar")
    assert [(l["tag"], l["draft"]) for l in stored_languages(definition)] == [
        ("da", False), ("en", False), ("uk", True), ("ar", True)]
    assert await sync_instruments() == []  # nothing more to do

    # A changed Danish text (or code) still needs a new version.
    changed = instrument_to_dict(instrument)
    changed["title"]["da"] = "Noget andet"
    await InstrumentVersion.update({InstrumentVersion.definition: changed}).where(
        (InstrumentVersion.key == instrument.id) & (InstrumentVersion.version == instrument.version)
    )
    with pytest.raises(Conflict, match="new version"):
        await sync_instruments()
