"""The demo report with one tiny school, built as a user would (`trivsel demo`, four answers
imported for a new school, `trivsel report`): no school with 20 or more answers says "færre
end 5 svar" - not in results.json, not in the report's tables, not on its own sheet - and
every hidden cell's label is true."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pypdfium2
import pytest

from surveys.demo import DEMO_SCHOOLS
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
    trivsel("import", "responses", "tiny.csv", "--instrument", "ung-trivsel-rusmidler", "--create-schools",
            data_dir=data_dir)
    trivsel("report", "--out", str(data_dir / "rapport"), data_dir=data_dir)
    return data_dir / "rapport"


def test_no_big_school_is_called_small_and_every_hidden_label_is_true(built: Path) -> None:
    rows = json.loads((built / "results.json").read_text(encoding="utf-8"))
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden, "the tiny school must hide something"
    for r in hidden:
        assert r["hidden_label"] in (SMALL, PROTECTING)
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
