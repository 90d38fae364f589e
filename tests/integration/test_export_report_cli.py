"""`trivsel export` and `trivsel report` against a real SQLite database, checked with
independent readers (csv, openpyxl, pyreadstat, pypdfium2) and against `trivsel analyse`."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pypdfium2
import pyreadstat
import pytest

from analysis.wording import format_number
from surveys.responses.csv_format import CsvResponse, write_responses_csv

HIDDEN = "færre end 5 svar"
TINY_SCHOOL = "Lilleskolen"
HYPERLINK = '=HYPERLINK("http://evil.example","klik")'


def trivsel(*args: str, data_dir: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIVSEL_")}
    env.update({"TRIVSEL_DATA_DIR": str(data_dir), "TRIVSEL_DATABASE_URL": f"sqlite:///{data_dir}/trivsel.sqlite"})
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=data_dir
    )
    assert result.returncode == 0, f"trivsel {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


async def _add_events(url: str) -> None:
    from surveys.instruments.catalog import sync_instruments
    from surveys.db.engine import opened_database
    from surveys.organisation.waves import create_event
    from surveys.db.tables import Response

    async with opened_database(url):
        await sync_instruments()
        for name, count in (("Temadag UNG RUS", 6), ("Lille workshop", 3)):
            event = await create_event("temadag-evaluering", name=name, held_on=dt.date(2026, 3, 12))
            for i in range(count):
                answers = {"rolle": 1 + i % 6, "nytte": 4 + i % 2, "ny_viden": 3 + i % 3, "kommentar": f"Kommentar {name} {i}"}
                answers.update({f"prioritet_{c}": int(c in (1, 2 + i % 3)) for c in range(1, 16)})
                await Response(
                    id=10_000 + i + 100 * count, instrument=event.instrument, event=event.id, year=2026, answers=answers
                ).save()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 4 schools x 2022, 2024-2026 of synthetic responses, a tiny school
    (3 responses in 2026, with a formula and a negative-looking free text) and two theme days."""
    data_dir = tmp_path_factory.mktemp("world")
    trivsel("demo-data", "--schools", "4", "--years", "2022,2024-2026", "--pupils", "45", "--seed", "7", data_dir=data_dir)
    tiny = [
        CsvResponse(2026, TINY_SCHOOL, "9.z", 9, "da", {"hash_nogensinde": 2, "ensom": 4, "besked": HYPERLINK}),
        CsvResponse(2026, TINY_SCHOOL, "9.z", 9, "da", {"hash_nogensinde": 1, "ensom": 1, "besked": "-3"}),
        CsvResponse(2026, TINY_SCHOOL, "9.z", 9, "en", {"hash_nogensinde": 1, "ensom": 2}),
    ]
    from surveys.instruments import builtin_instruments

    with (data_dir / "tiny.csv").open("w", encoding="utf-8", newline="") as handle:
        write_responses_csv(handle, builtin_instruments()["ung-trivsel-rusmidler"], tiny)
    trivsel("import", "responses", "tiny.csv", "--instrument", "ung-trivsel-rusmidler", "--create-schools", data_dir=data_dir)
    with ThreadPoolExecutor(1) as thread:  # its own event loop, whatever runs in this one
        thread.submit(asyncio.run, _add_events(f"sqlite:///{data_dir}/trivsel.sqlite")).result()
    return data_dir


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=delimiter))


REASON = ("--raw", "--reason", "Tjek af eksportformatet (test)")


def test_export_csv_round_trips_through_import(world: Path, tmp_path: Path) -> None:
    out = trivsel("export", "--format", "csv", *REASON, "--out", str(world / "alle.csv"), data_dir=world)
    assert "response(s) written" in out.stdout
    assert (world / "alle.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (world / "alle.kodebog.csv").exists()
    first = _rows(world / "alle.csv")
    at = {name: i for i, name in enumerate(first[0])}
    tiny = [r for r in first if r[at["school"]] == TINY_SCHOOL]
    assert sorted(r[at["besked"]] for r in tiny) == ["", "'-3", "'" + HYPERLINK]
    again = tmp_path / "again"
    again.mkdir()
    trivsel("import", "responses", str(world / "alle.csv"), "--instrument", "ung-trivsel-rusmidler", "--create-schools", data_dir=again)
    trivsel("export", "--format", "csv", *REASON, "--out", str(again / "alle.csv"), data_dir=again)
    second = _rows(again / "alle.csv")
    assert first[0] == second[0]
    assert sorted(first[1:]) == sorted(second[1:])
    assert len(first) - 1 == 4 * 4 * 45 + 3


def test_export_selections_and_formats(world: Path) -> None:
    trivsel("export", "--format", "csv", "--excel-da", "--year", "2025", "2026", "--out", str(world / "da.csv"), data_dir=world)
    rows = _rows(world / "da.csv", ";")
    at = {name: i for i, name in enumerate(rows[0])}
    assert {r[at["year"]] for r in rows[1:]} == {"2025", "2026"}
    assert _rows(world / "da.kodebog.csv", ";")[0][0] == "variabel"

    trivsel("export", "--format", "xlsx", "--year", "2026", *REASON, "--out", str(world / "svar.xlsx"), data_dir=world)
    book = openpyxl.load_workbook(world / "svar.xlsx", read_only=True)
    sheet = list(book["Svar"].iter_rows(values_only=True))
    header = list(sheet[0])
    tiny = [r for r in sheet[1:] if r[header.index("school")] == TINY_SCHOOL]
    assert sorted(str(r[header.index("besked")]) for r in tiny) == ["'-3", "'" + HYPERLINK, "None"]
    assert all(isinstance(r[header.index("year")], int) for r in sheet[1:])
    assert "Kodebog" in book.sheetnames

    trivsel("export", "--format", "sav", *REASON, "--out", str(world / "svar.sav"), data_dir=world)
    data, meta = pyreadstat.read_sav(str(world / "svar.sav"))
    assert len(data) == 4 * 4 * 45 + 3
    assert meta.variable_value_labels["hash_nogensinde"][2.0] == "Ja, 1–2 gange"
    assert meta.column_names_to_labels["ensom"] == "Hvor tit føler du dig ensom?"

    trivsel("export", "--format", "dta", "--event", "1", "--out", str(world / "temadag.dta"), data_dir=world)
    data, meta = pyreadstat.read_dta(str(world / "temadag.dta"))
    assert len(data) == 6 and "prioritet_1" in data.columns
    assert meta.variable_value_labels["nytte"][5] == "Meget nyttig"


@pytest.fixture(scope="module")
def report(world: Path) -> Path:
    out = trivsel("report", "--years", "2024", "2025", "2026", "--baseline", "2022", "--out", str(world / "rapport"), data_dir=world)
    assert "report for" in out.stdout
    trivsel("analyse", "--years", "2024", "2025", "2026", "--baseline", "2022", "--out", str(world / "analyse.json"), data_dir=world)
    return world / "rapport"


def _pdf_text(path: Path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def test_report_writes_every_file(report: Path) -> None:
    for name in ("report.html", "report.pdf", "results.json", "results.csv"):
        assert (report / name).stat().st_size > 0
    pngs = sorted((report / "charts").glob("*.png"))
    assert len(pngs) >= 20 and len(pngs) == len(list((report / "charts").glob("*.svg")))
    assert (report / "skoler" / "lilleskolen.pdf").exists()
    assert len(list((report / "temadage").glob("*.pdf"))) == 2


def test_report_numbers_equal_trivsel_analyse(report: Path, world: Path) -> None:
    assert json.loads((report / "results.json").read_text()) == json.loads((world / "analyse.json").read_text())
    rows = json.loads((report / "results.json").read_text())
    text = "\n".join(_pdf_text(report / "report.pdf")).replace("\r", "")
    html = (report / "report.html").read_text(encoding="utf-8")
    shown = [
        r for r in rows
        if r["comparison"] == "estimate" and r["year"] == 2026 and not r["suppressed"] and r["dimension"] in ("municipality", "school")
    ]
    assert len(shown) > 40
    for r in shown:
        value = format_number(r["estimate"], 0 if r["kind"] == "share" else 1)
        line = f"{r['n']} {value}"  # the table row: n, then the estimate
        assert line in text, f"{r['indicator']} {r['group']}: {line!r} not in the PDF"
        assert re.search(rf'<td[^>]*>{r["n"]}</td><td[^>]*>{re.escape(value)}', html), f"{r['indicator']} {r['group']}"


def test_report_pdf_pages_render_and_have_the_headings(report: Path) -> None:
    pdf = pypdfium2.PdfDocument(str(report / "report.pdf"))
    assert len(pdf) >= 14
    for i in range(len(pdf)):
        image = pdf[i].render(scale=0.5).to_pil().convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 500, f"page {i + 1} looks blank"
    text = "\n".join(_pdf_text(report / "report.pdf"))
    for heading in ("Hovedresultater 2026", "Har prøvet at ryge hash", "Sådan er tallene lavet", "designeffekt",
                    "Benjamini-Hochberg", "Holm", "Mod basisåret 2022", "Test og p-værdier for kommunen"):
        assert heading in text


def test_suppressed_groups_appear_only_as_faerre_end_5_svar(report: Path) -> None:
    rows = json.loads((report / "results.json").read_text())
    tiny = [r for r in rows if r["group"] == TINY_SCHOOL]
    assert tiny and all(r["suppressed"] for r in tiny if r["comparison"] != "trend")
    numbers = ("n", "estimate", "ci_low", "ci_high", "diff", "p", "p_adjusted", "n_reference", "estimate_reference")
    assert all(r[k] is None for r in tiny for k in numbers)
    with (report / "results.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["group"] == TINY_SCHOOL:
                assert all(r[k] == "" for k in numbers)
    text = "\n".join(_pdf_text(report / "report.pdf")).replace("\r", "")
    lines = [line for line in text.split("\n") if TINY_SCHOOL in line]
    assert lines and all(line.strip() == f"{TINY_SCHOOL} {HIDDEN}" for line in lines), lines
    one_pager = "\n".join(_pdf_text(report / "skoler" / "lilleskolen.pdf"))
    body = one_pager.split("Mod året før", 1)[1]
    assert body.count(HIDDEN) == 2  # the two indicators the tiny school answered
    assert "%" not in body and not any(ch.isdigit() for ch in body.replace(HIDDEN, "").replace("30 dage", "").replace("Side 1", ""))


def test_theme_day_reports_show_free_text_only_from_five_responses(report: Path) -> None:
    big = next((report / "temadage").glob("*temadag-ung-rus.pdf"))
    small = next((report / "temadage").glob("*lille-workshop.pdf"))
    big_text = "\n".join(_pdf_text(big))
    assert "Kommentar Temadag UNG RUS 0" in big_text and "Hvilke udviklingsmuligheder" in big_text
    small_text = "\n".join(_pdf_text(small))
    assert HIDDEN in small_text and "Kommentar" not in small_text
    assert "Kommentar Lille workshop" not in (report / "temadage" / small.with_suffix(".html").name).read_text()
