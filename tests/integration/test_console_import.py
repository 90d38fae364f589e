"""CSV import of schools and classes: all or nothing, with a reason per line."""

from __future__ import annotations

import pytest

from surveys.db.tables import School, SchoolClass
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio


async def _upload(client, kind: str, content: bytes):
    from tests.integration.console_world import csrf_token

    await client.get(f"/console/import/{kind}")
    return await client.post(
        f"/console/import/{kind}",
        data={"_csrf_token": await csrf_token(client)},
        files={"file": ("fil.csv", content, "text/csv")},
    )


async def test_schools_import_adds_and_updates(client, world: World) -> None:
    await login_as(client, world, "admin")
    content = "name,type,grades\nGamma Skole,grundskole,0-9\nAlfa Skole,grundskole,0-10\nDelta Gymnasium,ungdomsuddannelse,1g-3g\n"
    response = await _upload(client, "schools", content.encode())
    assert response.status_code == 200, response.text
    assert "2 nye og 1 opdaterede" in response.text
    assert await School.count() == 4
    assert (await School.select(School.grades).where(School.name == "Alfa Skole").first())["grades"] == "0-10"


async def test_excel_danish_csv_with_semicolons_bom_and_danish_headers(client, world: World) -> None:
    await login_as(client, world, "admin")
    content = "\ufeffSkole;Klasse;Klassetrin;Elever\r\nAlfa Skole;8.ø;8;23\r\nBeta Skole;9.b;9;19\r\n".encode("utf-8")
    response = await _upload(client, "classes", content)
    assert response.status_code == 200, response.text
    assert await SchoolClass.exists().where(SchoolClass.name == "8.ø")


async def test_cp1252_file_is_read(client, world: World) -> None:
    await login_as(client, world, "admin")
    content = "skole;klasse;klassetrin;elever\nAlfa Skole;Særklasse;;8\n".encode("cp1252")
    assert (await _upload(client, "classes", content)).status_code == 200
    assert await SchoolClass.exists().where(SchoolClass.name == "Særklasse")


async def test_a_bad_file_is_rejected_whole_with_reasons_per_line(client, world: World) -> None:
    await login_as(client, world, "admin")
    content = (
        "school,class,grade,pupils\n"
        "Alfa Skole,8.a,8,22\n"  # fine
        "Ukendt Skole,8.b,8,20\n"  # line 3: unknown school
        "Alfa Skole,9.a,nine,20\n"  # line 4: grade not a number
        "Alfa Skole,9.b,9,900\n"  # line 5: too many pupils
        "Alfa Skole,8.a,8,21\n"  # line 6: duplicate in file
        ",9.c,9,20\n"  # line 7: school missing
    )
    response = await _upload(client, "classes", content.encode())
    assert response.status_code == 422
    text = response.text
    for line, reason in [
        ("linje 3", "findes ikke"),
        ("linje 4", "helt tal"),
        ("linje 5", "mellem 0 og 500"),
        ("linje 6", "flere gange"),
        ("linje 7", "mangler"),
    ]:
        assert line in text and reason in text, (line, reason)
    assert "linje 2" not in text
    assert not await SchoolClass.exists().where(SchoolClass.name == "8.a")  # nothing half imported
    assert await SchoolClass.count() == 2


async def test_missing_columns_are_named(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await _upload(client, "classes", b"school,class\nAlfa Skole,8.a\n")
    assert response.status_code == 422
    assert "mangler kolonne: pupils" in response.text


async def test_empty_file_and_no_file(client, world: World) -> None:
    await login_as(client, world, "admin")
    assert (await _upload(client, "schools", b"")).status_code == 422
    no_file = await post_form(client, "/console/import/schools", {})
    assert no_file.status_code == 422


async def test_coordinator_cannot_import_into_another_school(client, world: World) -> None:
    await login_as(client, world, "coordinator_a")
    content = "school,class,grade,pupils\nAlfa Skole,8.a,8,22\nBeta Skole,8.b,8,20\n"
    response = await _upload(client, "classes", content.encode())
    assert response.status_code == 422
    assert "linje 3" in response.text and "adgang" in response.text
    assert not await SchoolClass.exists().where(SchoolClass.name == "8.a")
    assert (await _upload(client, "schools", b"name\nX\n")).status_code == 403


async def test_import_without_csrf_token_is_refused(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await client.post("/console/import/schools", files={"file": ("f.csv", b"name\nX Skole\n", "text/csv")})
    assert response.status_code == 403
    assert not await School.exists().where(School.name == "X Skole")
