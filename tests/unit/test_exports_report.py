"""Charts, report model, theme-day reports and the report folder, without a database."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
import io
from pathlib import Path

import numpy as np
import pypdfium2
import pytest

from analysis.table import analyse
from analysis.wording import format_number
from exports.charts import Bar, TrendPoint, danish_formatter, render, school_chart, trend_chart
from exports.report.build import build_report, zip_report
from exports.report.events import build_event_report
from exports.report.model import build_model
from surveys.instruments import builtin_instruments
from surveys.responses.synthetic import synthetic_responses

PUPIL = builtin_instruments()["ung-trivsel-rusmidler"]
STAFF = builtin_instruments()["temadag-evaluering"]


def test_danish_tick_labels() -> None:
    assert danish_formatter(1)(3.25, 0) == "3,3"
    assert danish_formatter(0, " %")(25, 0) == "25 %"
    assert danish_formatter(1)(-1.5, 0) == "\u22121,5"


def test_charts_render_png_and_svg_with_decimal_commas() -> None:
    bars = [Bar("Skole A", 3.4, 3.2, 3.6, "lower"), Bar("Skole B", hidden=True), Bar("Skole C", 3.9, 3.7, 4.1, "higher")]
    figure = school_chart("Skoletrivsel", bars, unit="point", municipality=3.65, scale=(1.0, 5.0), hidden_text="færre end 5 svar")
    png, svg = render(figure)
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))
    assert {"3,4", "3,9", "færre end 5 svar", "Skole B", "Gns."} <= set(labels)  # values in their own column
    assert "Aksen er forstørret: skalaen går fra 1,0 til 5,0" in labels  # a dot plot on a zoomed axis
    assert "Kommunen: 3,6" in labels or "Kommunen: 3,7" in labels
    assert not any(re.search(r"\d\.\d", label) for label in labels)
    png, svg = render(trend_chart("Udvikling", [TrendPoint(2024, 21.5, 19.0, 24.0), TrendPoint(2025, 19.5, 17.0, 22.0)],
                                  unit="%", target=25.0, target_label="Mål: højst 25 %"))
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))
    assert {"22", "20", "2024", "2025", "30 %", "Mål: højst 25 %"} <= set(labels)  # whole per cent, years as years


def test_charts_never_load_pyplot() -> None:
    code = (
        "import sys; from exports.charts import Bar, render, school_chart; "
        "render(school_chart('x', [Bar('a', 1.0, 0.5, 1.5)], unit='%', municipality=1.0)); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


@pytest.fixture(scope="module")
def analysed():
    data = synthetic_responses(PUPIL, schools=5, years=[2022, 2025, 2026], pupils=60, seed=3)
    frame = data.frame(PUPIL)
    # make "Skole 05" tiny in 2026: keep only 3 of its pupils that year
    keep = ~((frame.school == 4) & (frame.year == 2026))
    keep[np.flatnonzero(~keep)[:3]] = True
    frame = frame.take(keep)
    rows = analyse(frame, PUPIL, [2025, 2026], 2022, ("school",), 5)
    return frame, rows


def test_model_takes_its_numbers_from_the_rows(analysed) -> None:
    frame, rows = analysed
    report = build_model(rows, PUPIL, years=[2025, 2026], baseline=2022, threshold=5, n_responses=frame.n)
    assert [g.indicator for g in report.goals] == [i.id for i in PUPIL.indicators if i.target is not None]
    hash_goal = report.goals[0]
    municipality = next(r for r in rows if r.indicator == "har_proevet_hash" and r.dimension == "municipality"
                        and r.year == 2026 and r.comparison == "estimate")
    assert hash_goal.headline == f"{format_number(municipality.estimate, 0)}\u00a0% i 2026"
    assert hash_goal.target[0] == "Målet var højst 25\u00a0% i 2020."
    assert hash_goal.status_key in ("met", "not_met", "uncertain")
    # due in 2020; the nearest year with answers is the baseline 2022, and the status says so
    assert hash_goal.status.startswith("Mål 2020: ") and hash_goal.status.endswith(" (målt 2022)")
    section = report.sections[0]
    tiny = next(t for t in section.table if t.group == "Skole 05")
    assert tiny.hidden and tiny.estimate == "færre end 5 svar" and tiny.n == "" and tiny.ci == ""
    bars = section.charts[0].args[1]
    assert next(b for b in bars if b.label == "Skole 05").hidden
    page = next(p for p in report.schools if p.school == "Skole 05")
    assert all(line.hidden and line.school == "færre end 5 svar" and not line.rest for line in page.lines)
    assert any(heading.startswith("Landstal") for heading, _ in report.method)
    assert report.method[-1][0].startswith("Anonymitet")
    paragraphs = [p for _, ps in report.method for p in ps]
    tests = sum(r.p is not None for r in rows)
    assert any(p.startswith(f"Rapporten bygger på {format_number(tests, 0)} test.") for p in paragraphs)
    power = [p for p in paragraphs if "mindste forskel, der kan påvises" in p]
    hash_rows = {t.group: t for t in section.table}
    protecting = {g for g, t in hash_rows.items() if t.estimate == "skjult for at beskytte en lille gruppe"}
    assert len(protecting) == 1 and "Øvrige skoler (2)" in hash_rows and not hash_rows["Øvrige skoler (2)"].hidden
    assert not any(p.school.startswith("Øvrige") for p in report.schools)  # no page for a joined group
    helper = next(p for p in report.schools if p.school in protecting)  # its leaders still see the joined figure
    line = next(line for line in helper.lines if line.label == section.label)
    assert line.school.startswith("skjult for at beskytte en lille gruppe; skolen indgår i Øvrige skoler (2): ")
    shown = {"Skole 01", "Skole 02", "Skole 03", "Skole 04"} - protecting
    assert shown <= {p.split(":")[0] for p in power} <= {"Skole 01", "Skole 02", "Skole 03", "Skole 04"}  # not the hidden one
    omnibus = next(r for r in rows if r.indicator == "har_proevet_hash" and r.comparison == "omnibus" and r.year == 2026)
    # the section says it in words (issue 15); the test and its p-value are in the appendix
    words = omnibus.conclusion.split(" (")[0]
    assert any(f"Skolerne samlet: {words}." in sentence for sentence in section.summary)
    assert not any("Rao-Scott" in sentence or "p = " in sentence for sentence in section.summary)
    (detail,) = [d for d in report.details if d.indicator == section.label and d.comparison == "alle skoler samlet"]
    assert detail.test.startswith("Rao-Scott") and detail.p.startswith("p ")


def test_event_report_hides_small_events_and_free_text() -> None:
    answers = [{"nytte": 5, "prioritet_1": 1, "prioritet_2": 0, "kommentar": "God dag"} for _ in range(4)]
    small = build_event_report("Kursus", dt.date(2026, 1, 5), STAFF, answers, threshold=5)
    assert small.hidden == "færre end 5 svar" and not small.free_text and not small.charts and not small.counts
    big = build_event_report("Temadag", dt.date(2026, 1, 5), STAFF, answers + [{"nytte": 2, "kommentar": "<script>"}], threshold=5)
    assert not big.hidden and big.n == 5
    assert dict(big.free_text)[STAFF.question("kommentar").text.da] == ("<script>", "God dag", "God dag", "God dag", "God dag")
    assert ("Fandt dagen nyttig eller meget nyttig", "80 % (n = 5)") in big.indicators


def test_build_report_writes_the_folder(analysed, tmp_path: Path) -> None:
    frame, rows = analysed
    answers = [{"nytte": 4, "ny_viden": 5, "prioritet_3": 1, "kommentar": "Tak for <b>en god dag</b>"} for _ in range(5)]
    event = build_event_report("Temadag UNG RUS", dt.date(2026, 3, 1), STAFF, answers)
    steps = []
    files = build_report(
        rows, PUPIL, tmp_path / "rapport", years=[2025, 2026], baseline=2022, threshold=5, n_responses=frame.n,
        events=[event], generated_on=dt.date(2026, 5, 1), progress=lambda what, done, total: steps.append((done, total)),
    )
    assert steps[-1][0] == steps[-1][1]
    assert all(p.exists() for p in files.all())
    html = files.html.read_text(encoding="utf-8")
    assert '<html lang="da">' in html and "færre end 5 svar" in html and "alt=" in html
    event_html = next(p for p in files.events if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Tak for &lt;b&gt;en god dag&lt;/b&gt;" in event_html
    pdf = pypdfium2.PdfDocument(str(files.pdf))
    assert len(pdf) >= len(PUPIL.indicators) + 2
    assert "1. maj 2026" in pdf[0].get_textpage().get_text_range()
    names = zipfile.ZipFile(io.BytesIO(zip_report(files))).namelist()
    assert "report.pdf" in names and "skoler/skole-05.pdf" in names and any(n.startswith("charts/") for n in names)
    assert not any(r.suppressed and r.n is not None for r in rows)


def test_school_values_stand_in_a_column_right_of_the_plot_not_at_the_whiskers() -> None:
    # Skole A: 34 % with an interval to 47 %; its label must not sit next to 47 on the axis
    bars = [Bar("Skole A", 34.0, 20.0, 47.0, "higher"), Bar("Skole B", 12.0, 5.0, 21.0), Bar("Skole C", hidden=True)]
    _png, svg = render(school_chart("Andel pr. skole", bars, unit="%", municipality=20.0))
    texts = re.findall(r'<text[^>]*\bx="([\d.]+)"[^>]*>([^<]*)</text>', svg.decode("utf-8"))
    column = {float(x) for x, label in texts if label in ("Andel", "34 %", "12 %")}
    ticks = [float(x) for x, label in texts if re.fullmatch(r"\d+ %", label) and label not in ("34 %", "12 %")]
    assert len(column) == 1 and column.pop() > max(ticks)  # one column, right of the whole value axis
    assert "færre end 5 svar" in [label for _x, label in texts]
