"""The report a city council reads, built exactly as a newcomer would: `trivsel demo`, a file of
national figures imported with `trivsel reference import`, `trivsel report`. Checked on the real
PDF, SVGs and results.json: page 1 speaks in sentences that agree with the results table and
names no test or p-value; the national line and a correct one-sample comparison are shown."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pypdfium2
import pytest

from analysis.wording import format_number
from exports.report.sentences import subject
from tests.integration.test_export_report_cli import trivsel
from tests.unit.test_report_layout import page_fill, page_lines, sections

NATIONAL = "Skolebørnsundersøgelsen (HBSC)"
FIGURES = (
    "source,year,indicator,value,n,ci_low,ci_high\n"
    f"{NATIONAL},2022,har_proevet_hash,17,4200,,\n"
    f"{NATIONAL},2022,foeler_sig_ofte_ensom,19,,17.6,20.4\n"
)
TEST_WORDS = ("χ²", "Fisher", "Mann-Whitney", "Welch", "Cochran", "z-test", "p =", "p <", "justeret p", "designeffekt",
              "Holm", "Benjamini")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("frontpage")
    demo = trivsel("demo", "--no-serve", data_dir=data_dir)
    assert "synthetic answers (marked as demo data)" in demo.stdout
    (data_dir / "landstal.csv").write_text(FIGURES, encoding="utf-8")
    imported = trivsel("reference", "import", "landstal.csv", data_dir=data_dir)
    assert "imported 2 figure(s)" in imported.stdout
    trivsel("report", "--out", str(data_dir / "rapport"), data_dir=data_dir)
    return data_dir / "rapport"


def _rows(report: Path) -> list[dict]:
    return json.loads((report / "results.json").read_text(encoding="utf-8"))


def _front_page(report: Path) -> str:
    pdf = pypdfium2.PdfDocument(str(report / "report.pdf"))
    text = pdf[0].get_textpage().get_text_range().replace("\r", "").replace("\u00a0", " ")
    return re.sub(r"\s*\n\s*", " ", text)


def _town(rows: list[dict], indicator: str, year: int, comparison: str = "estimate") -> dict:
    (row,) = [r for r in rows if r["indicator"] == indicator and r["dimension"] == "municipality" and r["year"] == year
              and r["comparison"] == comparison]
    return row


def test_page_one_says_for_each_goal_how_it_changed_agreeing_with_the_results(built: Path) -> None:
    rows = _rows(built)
    text = _front_page(built)
    goals = sorted({r["indicator"] for r in rows if r["comparison"] == "target"})
    assert len(goals) == 4  # the file's hash target and the demo's three targets: every goal indicator has one
    latest = max(r["year"] for r in rows)
    forms = []
    for indicator in goals:
        label = _town(rows, indicator, latest)["label"]
        head = re.escape(subject(label, True))
        fell = re.search(head + r", (faldt|steg) fra (\d+) % i (\d{4}) til (\d+) % i (\d{4})(, men)?", text)
        same = re.search(head + r", er uændret inden for den statistiske usikkerhed: (\d+) % i (\d{4}) og (\d+) % i (\d{4})",
                         text)
        assert fell or same, f"no sentence for {indicator} on page 1"
        if fell:
            verb, x, a, y, b, but = fell.groups()
        else:
            (x, a, y, b), verb, but = same.groups(), None, None
        a, b = int(a), int(b)
        assert b == latest
        assert x == format_number(_town(rows, indicator, a)["estimate"], 0)
        assert y == format_number(_town(rows, indicator, b)["estimate"], 0)
        trend = _town(rows, indicator, latest, "trend")
        assert trend["reference"].split(", ")[0] == str(a)  # the first year the trend test used
        if verb and not but:
            assert trend["verdict"] == ("lower" if verb == "faldt" else "higher")
            assert (int(y) < int(x)) == (verb == "faldt")
        else:
            assert trend["verdict"] == "not_significant"
        forms.append("changed" if verb and not but else "unchanged")
    assert {"changed", "unchanged"} <= set(forms)  # the demo's planted fall in "been drunk", and the rest
    assert re.search(r"mellem \d+ og \d+ %", text)


def test_page_one_names_no_test_and_no_p_value(built: Path) -> None:
    text = _front_page(built)
    assert "Hovedresultater" in text and "Demodata" in text
    assert [word for word in TEST_WORDS if word in text] == []


def test_a_target_whose_year_has_passed_is_judged_in_that_year_or_the_nearest(built: Path) -> None:
    rows = _rows(built)
    text = _front_page(built)
    latest = max(r["year"] for r in rows)
    # the instrument's hash target: at most 25 % by 2020; the demo has answers from latest - 4
    first = latest - 4
    due = _town(rows, "har_proevet_hash", first, "target")
    assert "Målet var højst 25 % i 2020. Der er ingen måling fra 2020. " f"I {first}, den nærmeste måling" in text
    words = {"met": "målet blev nået", "not_met": "målet blev ikke nået", "uncertain": "det kan ikke afgøres"}
    assert words[due["verdict"]] in text
    assert "Usikkert" not in text and "Intet mål fastsat" not in text


def test_the_national_figure_is_drawn_and_tested_against_a_hand_computation(built: Path) -> None:
    rows = _rows(built)
    latest = max(r["year"] for r in rows)
    own = _town(rows, "har_proevet_hash", latest)
    (row,) = [r for r in rows if r["comparison"] == "vs_reference" and r["reference"] == f"{NATIONAL} 2022"
              and r["indicator"] == "har_proevet_hash"]
    # by hand: our se from our 95 % interval, the published one's from p(100 - p)/n
    se = (own["ci_high"] - own["ci_low"]) / (2 * 1.959963984540054)
    se_ref = math.sqrt(17 * 83 / 4200)
    z = (own["estimate"] - 17) / math.sqrt(se * se + se_ref * se_ref)
    assert row["diff"] == pytest.approx(own["estimate"] - 17)
    assert row["statistic"] == pytest.approx(z, rel=1e-9)
    assert row["p"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)
    half = 1.959963984540054 * math.sqrt(se * se + se_ref * se_ref)
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((row["diff"] - half, row["diff"] + half))
    assert row["test"] == "one-sample-z" and row["estimate_reference"] == 17 and row["n_reference"] == 4200
    (interval,) = [r for r in rows if r["comparison"] == "vs_reference" and r["indicator"] == "foeler_sig_ofte_ensom"
                   and r["reference"] == f"{NATIONAL} 2022"]
    own = _town(rows, "foeler_sig_ofte_ensom", latest)
    se = (own["ci_high"] - own["ci_low"]) / (2 * 1.959963984540054)
    assert interval["statistic"] == pytest.approx((own["estimate"] - 19) / math.hypot(se, 2.8 / (2 * 1.959963984540054)))

    # the report names the source and year, says what the test found, and draws the line
    words = "signifikant" if row["verdict"] != "not_significant" else "inden for, hvad tilfældigheder kan give"
    pdf = pypdfium2.PdfDocument(str(built / "report.pdf"))
    section = next(
        re.sub(r"\s*\n\s*", " ", t) for t in (pdf[i].get_textpage().get_text_range().replace("\r", "").replace("\u00a0", " ")
                                               for i in range(1, len(pdf))) if t.split("\n")[1].startswith("1. Har prøvet")
    )
    assert f"{NATIONAL} 2022: 17 %." in section and words in section
    chart = (built / "charts" / "har_proevet_hash_skoler.svg").read_text(encoding="utf-8")
    assert f"{NATIONAL} 2022: 17 %" in chart
    trend = (built / "charts" / "har_proevet_hash_udvikling.svg").read_text(encoding="utf-8")
    assert f"{NATIONAL}: 17 % i 2022" in trend
    html = (built / "report.html").read_text(encoding="utf-8")
    assert f"{NATIONAL} 2022: 17" in html


def test_no_page_of_the_demo_report_is_less_than_a_third_full_except_the_last_of_a_section(built: Path) -> None:
    pdf = pypdfium2.PdfDocument(str(built / "report.pdf"))
    last = sections(page_lines(pdf))
    thin = [(i + 1, round(page_fill(pdf[i]), 2)) for i in range(len(pdf)) if i not in last and page_fill(pdf[i]) < 1 / 3]
    assert thin == []


def test_correction_report_reaches_the_report_and_its_published_figures(built: Path) -> None:
    # issue 17's --correction report on `trivsel report`: one family over every test, the comparisons with
    # published figures included, stated in the appendix; page 1 still names no test
    out = built.parent / "rapport-hele"
    trivsel("report", "--correction", "report", "--out", str(out), data_dir=built.parent)
    rows = _rows(out)
    tested = [r for r in rows if r["p"] is not None]
    assert {r["family"] for r in tested} == {"Benjamini-Hochberg: hele rapporten"}
    assert any(r["comparison"] == "vs_reference" for r in tested)
    pdf = pypdfium2.PdfDocument(str(out / "report.pdf"))
    text = re.sub(r"\s+", " ", " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    assert f"Rapporten bygger på {format_number(len(tested), 0)} test." in text
    assert "korrektionen for hele rapporten under ét" in text and "Testene justeres sammen med alle rapportens" in text
    assert [word for word in TEST_WORDS if word in _front_page(out)] == []
