"""Downloads named after schools, classes and events in any script (issue 18, item 1).

A school named ``Łódź Skole`` or a reception class with a Ukrainian or Arabic name is ordinary:
every download gets an RFC 6266 ``Content-Disposition`` with an ASCII fallback and the real name
in ``filename*`` (RFC 5987), and links are issued only when the file that carries them is built.
The same names go through the CLI (slips, CSV, and the report's per-school and per-event files).
"""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

from surveys.db.tables import Link, WaveSchool
from surveys.organisation.schools import add_class, add_school
from surveys.organisation.waves import create_event
from tests.conftest import TEST_KEY
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio

# (school, class): Danish, Polish, and reception classes with Ukrainian and Arabic names.
NAMES = [
    ("Ærøskøbing Skole", "0.å"),
    ("Łódź Skole", "7.a"),
    ("Nordskolen", "Клас Україна"),
    ("مدرسة النور", "الصف السابع"),
]
EVENTS = ["Temadag Україна", "يوم موضوعي للعاملين", "Temadag på Ærø"]
DISPOSITION = re.compile(r"attachment; filename=\"([A-Za-z0-9._-]+)\"; filename\*=UTF-8''([A-Za-z0-9%._~!$&+^`|-]+)")


def disposition_names(header: str) -> tuple[str, str]:
    """The ASCII fallback and the decoded UTF-8 name of an RFC 6266 attachment header."""
    match = DISPOSITION.fullmatch(header)
    assert match, f"not an RFC 6266 attachment with an ASCII fallback and filename*: {header!r}"
    return match.group(1), unquote(match.group(2), encoding="utf-8", errors="strict")


def _letters(text: str) -> str:
    """The letters of a name, lower-cased, as a file name keeps them."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text.lower()) if ch.isalpha())


@pytest.mark.parametrize(("school_name", "class_name"), NAMES)
async def test_slips_for_a_class_named_in_any_script(client, world: World, school_name: str, class_name: str) -> None:
    school = await add_school(school_name)
    school_class = await add_class(school.name, class_name, grade=7, pupils=6)
    await WaveSchool(wave=world.wave, school=school.id).save()
    await login_as(client, world, "admin")
    response = await post_form(client, f"/console/classes/{school_class.id}/slips", {"wave": str(world.wave), "count": "6"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    fallback, name = disposition_names(response.headers["content-disposition"])
    assert fallback.endswith(".pdf") and name.endswith(".pdf")
    assert _letters(school_name) in _letters(name) and _letters(class_name) in _letters(name)
    assert await Link.count().where(Link.school_class == school_class.id) == 6
    if not any("\u0600" <= ch <= "\u06ff" for ch in school_name):  # reportlab does not join Arabic letters
        import pypdfium2

        text = " ".join(pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range().split())
        assert f"{school_name} {class_name}" in text, text[:200]  # printed as itself, not as black boxes


@pytest.mark.parametrize("event_name", EVENTS)
async def test_staff_links_csv_for_an_event_named_in_any_script(client, world: World, event_name: str) -> None:
    import datetime as dt

    event = await create_event("temadag-evaluering", name=event_name, held_on=dt.date.today())
    await login_as(client, world, "admin")
    response = await post_form(client, f"/console/events/{event.id}/links.csv", {"count": "4"})
    assert response.status_code == 200, response.text[:300]
    fallback, name = disposition_names(response.headers["content-disposition"])
    assert fallback.endswith(".csv") and name.endswith(".csv") and _letters(event_name) in _letters(name)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5 and rows[1][1] == event_name
    assert await Link.count().where(Link.event == event.id) == 4


async def test_no_links_are_issued_when_the_slip_pdf_cannot_be_built(client, world: World, monkeypatch) -> None:
    """The links a file carries exist only if the file was built: a failing PDF leaves none behind."""
    import server.console.slips as slips_module

    def broken_pdf(*args, **kwargs) -> bytes:
        raise RuntimeError("the PDF could not be built")

    monkeypatch.setattr(slips_module, "slips_pdf", broken_pdf)
    await login_as(client, world, "admin")
    response = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "6"})
    assert response.status_code != 200
    assert await Link.count() == 0


async def test_no_links_are_issued_when_the_staff_csv_cannot_be_built(client, world: World, monkeypatch) -> None:
    import server.console.slips as slips_module

    def broken_cell(value: str) -> str:
        raise RuntimeError("the CSV could not be built")

    monkeypatch.setattr(slips_module, "_cell", broken_cell)
    await login_as(client, world, "admin")
    response = await post_form(client, f"/console/events/{world.event}/links.csv", {"count": "3"})
    assert response.status_code != 200
    assert await Link.count() == 0


# ---------------------------------------------------------------- the CLI
@pytest.fixture
def cli(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIVSEL_")}
    env.update({
        "TRIVSEL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "TRIVSEL_SECRET_KEYS": TEST_KEY,
        "TRIVSEL_BASE_URL": "https://trivsel.example.dk",
        "TRIVSEL_DATA_DIR": str(tmp_path),
    })

    def run(*args: str, ok: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "server.cli", *args], env=env, capture_output=True, text=True,
                                timeout=timeout, cwd=tmp_path)
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    run("db", "upgrade")
    run.path = tmp_path  # type: ignore[attr-defined]
    return run


def _links_in(path: Path) -> int:
    with sqlite3.connect(path / "cli.sqlite") as connection:
        return connection.execute("SELECT count(*) FROM link").fetchone()[0]


def test_cli_slips_and_csv_for_classes_named_in_any_script(cli) -> None:
    from tests.integration.test_console_slips import decode_pdf

    for school_name, class_name in NAMES:
        cli("schools", "add", school_name)
        cli("classes", "add", "--school", school_name, "--name", class_name, "--grade", "7")
    wave = cli("wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel 2026").stdout.strip()
    for number, (school_name, class_name) in enumerate(NAMES):
        pdf, table = cli.path / f"slips-{number}.pdf", cli.path / f"links-{number}.csv"
        cli("links", "create", "--wave", wave, "--school", school_name, "--class", class_name, "--count", "3",
            "--pdf", str(pdf), "--csv", str(table))
        assert len(set(decode_pdf(pdf.read_bytes())[0])) == 3
        rows = list(csv.DictReader(table.open(encoding="utf-8")))
        assert [(row["school"], row["class"]) for row in rows] == [(school_name, class_name)] * 3
    assert _links_in(cli.path) == 3 * len(NAMES)


@pytest.mark.parametrize("option", ["--pdf", "--csv"])
def test_cli_issues_no_links_when_the_file_cannot_be_written(cli, option: str) -> None:
    cli("schools", "add", "Łódź Skole")
    wave = cli("wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel").stdout.strip()
    target = cli.path / "no-such-folder" / "out.file"
    result = cli("links", "create", "--wave", wave, "--school", "Łódź Skole", "--count", "3", option, str(target), ok=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("trivsel:")], result.stderr
    assert not target.exists()
    assert _links_in(cli.path) == 0


def test_cli_report_keeps_one_file_per_school_and_event_whatever_the_script(cli) -> None:
    """``trivsel report`` names ``skoler/<school>.pdf`` and ``temadage/<day>.pdf`` after them: names in
    other scripts must neither vanish into ``x.pdf`` nor overwrite each other."""
    import asyncio
    import datetime as dt
    from concurrent.futures import ThreadPoolExecutor

    from surveys.instruments.loader import builtin_instruments
    from surveys.responses.csv_format import CsvResponse, write_responses_csv

    schools = ["مدرسة النور", "مدرسة الأمل", "Łódź Skole", "Школа Україна", "Ærø Skole"]
    rows = [
        CsvResponse(2026, school, "7.a", 7, "da", {"hash_nogensinde": 1 + i % 2, "ensom": 1 + i % 4})
        for school in schools for i in range(6)
    ]
    with (cli.path / "svar.csv").open("w", encoding="utf-8", newline="") as handle:
        write_responses_csv(handle, builtin_instruments()["ung-trivsel-rusmidler"], rows)
    cli("import", "responses", "svar.csv", "--instrument", "ung-trivsel-rusmidler", "--create-schools")

    async def add_events() -> None:
        from surveys.db.engine import opened_database
        from surveys.instruments.catalog import sync_instruments
        from surveys.db.tables import Response

        async with opened_database(f"sqlite:///{cli.path / 'cli.sqlite'}"):
            await sync_instruments()
            for number, name in enumerate(EVENTS[:2]):
                event = await create_event("temadag-evaluering", name=name, held_on=dt.date(2026, 3, 12))
                for i in range(6):
                    await Response(id=90_000 + 100 * number + i, instrument=event.instrument, event=event.id, year=2026,
                                   answers={"rolle": 1 + i % 3, "nytte": 4}).save()

    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, add_events()).result()
    cli("report", "--years", "2026", "--out", str(cli.path / "rapport"), timeout=300)
    school_files = sorted(path.name for path in (cli.path / "rapport" / "skoler").glob("*.pdf"))
    assert len(school_files) == len(schools), school_files
    for school in schools:
        assert sum(_letters(school) in _letters(name) for name in school_files) == 1, (school, school_files)
    day_files = sorted(path.name for path in (cli.path / "rapport" / "temadage").glob("*.pdf"))
    assert len(day_files) == 2, day_files
    for name in EVENTS[:2]:
        assert sum(_letters(name) in _letters(file) for file in day_files) == 1, (name, day_files)
