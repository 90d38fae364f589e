"""Anonymity by construction: what a response row holds, ids, and logs."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from surveys.db.tables import Response
from tests.integration.answering_support import make_wave, path, release_all

pytestmark = pytest.mark.anyio

EXPECTED_COLUMNS = {
    "id", "instrument", "wave", "event", "school", "school_class", "class_name", "grade",
    "year", "language", "submitted_on", "source", "answers",
}


async def _submit(client, link, number: int) -> None:
    base = path(link)
    await client.post(base + "/p/1", data={"q1": "1"})
    await client.post(base + "/p/2", data={"q6": str(number)})
    response = await client.post(base + "/submit", follow_redirects=False)
    assert response.status_code == 303


async def test_a_response_row_has_no_link_reference_and_only_a_date(client) -> None:
    setup = await make_wave(1)
    await _submit(client, setup.links[0], 5)
    await release_all()
    columns = {column._meta.db_column_name for column in Response._meta.columns}
    assert columns == EXPECTED_COLUMNS  # no link, no timestamp, no address, no device
    row = await Response.select().first()
    assert type(row["submitted_on"]) is dt.date and row["submitted_on"] == dt.date.today()
    serialised = json.dumps(row, default=str)
    assert setup.links[0].token not in serialised and setup.links[0].code not in serialised
    answers = json.loads(row["answers"]) if isinstance(row["answers"], str) else row["answers"]
    assert set(answers) == {"q1", "q6"}


async def test_response_ids_follow_neither_issue_nor_submit_order(client, settings) -> None:
    setup = await make_wave(12)
    for number, link in enumerate(setup.links):
        await _submit(client, link, number)
    await release_all()
    rows = await Response.select(Response.id, Response.answers)
    by_submit = sorted(rows, key=lambda r: (json.loads(r["answers"]) if isinstance(r["answers"], str) else r["answers"])["q6"])
    ids = [row["id"] for row in by_submit]
    assert len(set(ids)) == 12
    assert ids != sorted(ids) and ids != sorted(ids, reverse=True)
    assert all(0 <= i < 2**63 for i in ids) and max(ids) > 2**50
    if settings.is_sqlite:
        # The id is the rowid, so the file's row order is random too. (PostgreSQL's heap
        # keeps insertion order; see the answering notes on physical order.)
        physical = [row["id"] for row in await Response.raw("SELECT id FROM response")]
        assert physical == sorted(ids) != ids


async def test_logs_never_contain_tokens_answers_or_addresses(client, caplog) -> None:
    setup = await make_wave(2)
    caplog.set_level(logging.DEBUG)
    await _submit(client, setup.links[0], 17)
    await client.get(path(setup.links[1]) + "?lang=en")
    await client.post(path(setup.links[1]) + "/p/1", data={"q1": "99", "q2": "hemmelig-tekst"})
    await client.post("/k", data={"code": setup.links[1].code})
    await client.get("/s/forged.token-value")
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any("/s/{token}" in line for line in server_lines)  # the access log names the route pattern
    text = "\n".join(server_lines)
    for secret in (setup.links[0].token, setup.links[1].token, setup.links[1].code, "hemmelig-tekst",
                   "forged.token-value", "127.0.0.1", "testclient"):
        assert secret not in text
