"""The report's PDF pages as a reader sees them: no half-empty pages, tables with their headings.

Fill is measured on the real PDF with pypdfium2: from the top margin down to
the lowest text or image on the page, as a share of the frame. A page may be
less than a third full only as the last page of a section (the front page, the
indicator chapter, the method appendix).
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
from pypdfium2 import raw

from analysis.table import analyse
from exports.report.build import build_report
from surveys.responses.synthetic import synthetic_responses
from surveys.instruments import builtin_instruments

PUPIL = builtin_instruments()["ung-trivsel-rusmidler"]
CM = 72 / 2.54
TOP, BOTTOM = 1.6 * CM, 1.7 * CM  # the report's margins (exports.report.pdf)
FOOTER = 1.5 * CM  # the running footer sits below this


def page_fill(page) -> float:
    """Share of the frame from its top down to the lowest text or image."""
    width, height = page.get_size()
    text = page.get_textpage()
    lows = [text.get_rect(i)[1] for i in range(text.count_rects())]
    lows += [o.get_bounds()[1] for o in page.get_objects() if o.type == raw.FPDF_PAGEOBJ_IMAGE]
    lows = [y for y in lows if y > FOOTER]
    if not lows:
        return 0.0
    frame_top, frame_bottom = height - TOP, BOTTOM
    return (frame_top - min(lows)) / (frame_top - frame_bottom)


def page_lines(pdf) -> list[list[str]]:
    """Each page's text lines without the running footer ("<title> Side N")."""
    pages = []
    for i in range(len(pdf)):
        lines = pdf[i].get_textpage().get_text_range().replace("\r", "").split("\n")
        pages.append([line for line in lines if line.strip() and not re.search(r"Side \d+$", line)])
    return pages


def sections(pages: list[list[str]]) -> list[int]:
    """Index of the last page of each section: the front matter, the indicators, the appendix."""
    first_indicator = next(i for i, lines in enumerate(pages) if lines[0].startswith("1. "))
    appendix = next(i for i, lines in enumerate(pages) if re.match(r"\d+\. Sådan er tallene lavet", lines[0]))
    return [first_indicator - 1, appendix - 1, len(pages) - 1]


@pytest.fixture(scope="module", params=[(10, 300), (3, 120), (24, 60)], ids=["10-schools", "3-schools", "24-schools"])
def report_pdf(request, tmp_path_factory) -> Path:
    schools, pupils = request.param
    frame = synthetic_responses(PUPIL, schools=schools, years=list(range(2022, 2027)), pupils=pupils, seed=5).frame(PUPIL)
    years = list(range(2022, 2027))
    rows = analyse(frame, PUPIL, years, None, ("school",), 5)
    out = tmp_path_factory.mktemp(f"layout{schools}")
    files = build_report(rows, PUPIL, out, years=years, threshold=5, municipality="Demo Kommune", n_responses=frame.n)
    return files.pdf


def test_no_page_is_less_than_a_third_full_except_the_last_of_a_section(report_pdf: Path) -> None:
    pdf = pypdfium2.PdfDocument(str(report_pdf))
    last_pages = sections(page_lines(pdf))
    fills = [page_fill(pdf[i]) for i in range(len(pdf))]
    thin = [(i + 1, round(f, 2)) for i, f in enumerate(fills) if f < 1 / 3 and i not in last_pages]
    assert not thin, f"pages under a third full (page, fill): {thin}; all: {[round(f, 2) for f in fills]}"


def test_a_table_stays_with_its_heading(report_pdf: Path) -> None:
    """"Skolerne i 2026" is never the last thing on a page: its header row and a row follow it there."""
    pdf = pypdfium2.PdfDocument(str(report_pdf))
    for number, lines in enumerate(page_lines(pdf), start=1):
        for i, line in enumerate(lines):
            if re.fullmatch(r"Skolerne i \d{4}", line.strip()):
                after = lines[i + 1:i + 3]
                assert len(after) == 2 and after[0].startswith("Skole Svar"), f"page {number}: {after}"
        assert not lines[-1].startswith(("Skole Svar", "Skolerne i", "Kommunen over tid")), f"page {number} ends with a heading"
