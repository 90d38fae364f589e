"""The demo with one tiny school, built as a user would (`trivsel demo`, four answers imported
for a new school, a few free-text answers, `trivsel report`, `trivsel export`):

* no school with 20 or more answers says "færre end 5 svar" - not in results.json, not in the
  report's tables, not on its own sheet - and every hidden cell's label is true;
* the default export has no combination of the quasi-identifiers shared by fewer than k rows,
  and free text is not in the answer rows (only apart, only from groups of at least k);
* a raw export needs a reason and leaves an audit entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl

import pypdfium2
import pytest

from surveys.demo import DEMO_SCHOOLS
from surveys.instruments import builtin_instruments
from surveys.responses.csv_format import CsvResponse, write_responses_csv
from tests.integration.test_export_report_cli import trivsel

TINY = "Skole 01"  # `trivsel demo-data --schools 1` names its school so
SMALL = "færre end 5 svar"
PROTECTING = "skjult for at beskytte en lille gruppe"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("disclosure")
    trivsel("demo", "--no-serve", data_dir=data_dir)
    year = str(dt.date.today().year)
    trivsel("demo-data", "--schools", "1", "--pupils", "4", "--years", year, "--seed", "11",
            "--csv", "tiny.csv", data_dir=data_dir)
    with (data_dir / "tiny.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows):
        row["besked"] = f"Lille-tekst {i}"
    with (data_dir / "tiny.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    trivsel("import", "responses", "tiny.csv", "--instrument", "ung-trivsel-rusmidler", "--create-schools",
            data_dir=data_dir)
    texts = [CsvResponse(int(year), "Bakkeskolen", "7.b", 7, "da", {"koen": 1 + i % 2, "besked": f"Bakke-tekst {i}"})
             for i in range(8)]
    with (data_dir / "texts.csv").open("w", encoding="utf-8", newline="") as handle:
        write_responses_csv(handle, builtin_instruments()["ung-trivsel-rusmidler"], texts)
    trivsel("import", "responses", "texts.csv", "--instrument", "ung-trivsel-rusmidler", data_dir=data_dir)
    trivsel("report", "--out", str(data_dir / "rapport"), data_dir=data_dir)
    return data_dir / "rapport"


QUASI = ("year", "school", "class", "grade", "koen", "language")


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_the_default_export_is_k_anonymous_with_free_text_apart(built: Path) -> None:
    data_dir = built.parent
    out = trivsel("export", "--format", "csv", "--out", str(data_dir / "svar.csv"), data_dir=data_dir)
    assert "k-anonymous, k = 5" in out.stdout
    rows = _csv(data_dir / "svar.csv")
    combos = Counter(tuple(r[q] for q in QUASI) for r in rows)
    assert rows and min(combos.values()) >= 5, [c for c, n in combos.items() if n < 5]
    assert all(r["besked"] == "" for r in rows)  # free text is not in the answer rows
    assert "tekst" not in (data_dir / "svar.csv").read_text(encoding="utf-8-sig")
    texts = _csv(data_dir / "svar.fritekst.csv")
    assert list(texts[0]) == ["variabel", "spørgsmål", "tekst"]  # no school, no class
    assert sorted(t["tekst"] for t in texts) == sorted(f"Bakke-tekst {i}" for i in range(8))  # not the tiny school's
    notes = [r["spørgsmål"] for r in _csv(data_dir / "svar.kodebog.csv") if r["variabel"] == "_anonymisering"]
    assert notes[0].startswith("Standardudtræk, k-anonymt med k = 5") and any("klassen fjernet" in n for n in notes)

    trivsel("export", "--format", "xlsx", "--out", str(data_dir / "svar.xlsx"), data_dir=data_dir)
    book = openpyxl.load_workbook(data_dir / "svar.xlsx", read_only=True)
    sheet = list(book["Svar"].iter_rows(values_only=True))
    at = {name: i for i, name in enumerate(sheet[0])}
    combos = Counter(tuple(r[at[q]] for q in QUASI) for r in sheet[1:])
    assert min(combos.values()) >= 5 and all(r[at["besked"]] is None for r in sheet[1:])
    assert sorted(r[2] for r in list(book["Fritekst"].iter_rows(values_only=True))[1:]) == sorted(
        f"Bakke-tekst {i}" for i in range(8))


def test_a_raw_export_needs_a_reason_and_leaves_an_audit_entry(built: Path) -> None:
    data_dir = built.parent
    env_run = subprocess.run(
        [sys.executable, "-m", "server.cli", "export", "--format", "csv", "--raw", "--out", str(data_dir / "raa.csv")],
        env={"TRIVSEL_DATA_DIR": str(data_dir), "TRIVSEL_DATABASE_URL": f"sqlite:///{data_dir}/trivsel.sqlite",
             "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, cwd=data_dir, timeout=120,
    )
    assert env_run.returncode == 2 and "--reason" in env_run.stderr and not (data_dir / "raa.csv").exists()
    reason = "Dataudtræk til forskningsprojekt, aftale 2026-3"
    trivsel("export", "--format", "csv", "--raw", "--reason", reason, "--out", str(data_dir / "raa.csv"),
            data_dir=data_dir)
    raw = _csv(data_dir / "raa.csv")
    assert sum(r["school"] == TINY for r in raw) == 4 and any(r["besked"] == "Lille-tekst 0" for r in raw)
    with sqlite3.connect(data_dir / "trivsel.sqlite") as db:
        entries = db.execute("SELECT who, selection, format, rows, reason, created_at FROM raw_export").fetchall()
    assert len(entries) == 1
    who, selection, fmt, count, said, at = entries[0]
    assert who.startswith("cli:") and selection == "alle år" and fmt == "csv" and count == len(raw) and said == reason
    assert at.startswith(str(dt.date.today().year))


def test_no_big_school_is_called_small_and_every_hidden_label_is_true(built: Path) -> None:
    rows = json.loads((built / "results.json").read_text(encoding="utf-8"))
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden, "the tiny school must hide something"
    for r in hidden:
        assert r["hidden_label"] in (SMALL, PROTECTING, f"skjult, fordi en af grupperne har {SMALL}")
        if r["comparison"] == "estimate" and r["dimension"] == "school":
            # the demo schools have about 300 answers a year; the tiny one has 4
            assert (r["hidden_label"] == SMALL) == (r["group"] == TINY), r
    tiny = [r for r in rows if r["group"] == TINY and r["comparison"] == "estimate"]
    assert tiny and all(r["suppressed"] and r["hidden_label"] == SMALL for r in tiny)
    joined = [r for r in rows if r["comparison"] == "estimate" and r["group"].startswith("Øvrige skoler")]
    assert joined and all(not r["suppressed"] and r["n"] >= 5 and TINY in r["reference"] for r in joined)
    big_hidden = [r for r in hidden if r["comparison"] == "estimate" and r["group"] in DEMO_SCHOOLS]
    # each one protects the tiny school and is shown inside "Øvrige skoler (2)" in the same table
    for r in big_hidden:
        assert any(j["indicator"] == r["indicator"] and j["year"] == r["year"] and r["group"] in j["reference"]
                   for j in joined)


def test_the_report_and_the_school_sheets_say_only_true_things(built: Path) -> None:
    html = (built / "report.html").read_text(encoding="utf-8")
    assert SMALL in html and PROTECTING in html and "Øvrige skoler (2)" in html
    for line in re.findall(r"<tr.*?</tr>", html, flags=re.DOTALL):
        if SMALL in line:
            assert TINY in line or not any(school in line for school in DEMO_SCHOOLS), line[:300]
    for school in DEMO_SCHOOLS:
        sheets = [p for p in (built / "skoler").iterdir() if p.suffix == ".pdf"]
        for sheet in sheets:
            text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(str(sheet)))
            if school in text.splitlines()[0:3] or school.lower().replace(" ", "-") in sheet.stem:
                assert SMALL not in text.replace("\r", "").replace("\n", " ").replace(
                    f"færre end 5 svar vises ikke", ""), sheet.name
    assert not any("vrige" in p.stem for p in (built / "skoler").iterdir())
