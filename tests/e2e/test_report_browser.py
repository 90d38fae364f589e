"""The HTML report in a real browser: it reflows on a phone (no horizontal overflow at 360
and 320 px), its contents never overlap on a laptop, and axe finds nothing at WCAG 2.1 AA."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.table import analyse
from exports.report.build import build_report
from surveys.responses.synthetic import synthetic_responses
from surveys.instruments import builtin_instruments
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.browser

PUPIL = builtin_instruments()["ung-trivsel-rusmidler"]
YEARS = [2022, 2023, 2024, 2025, 2026]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    frame = synthetic_responses(PUPIL, schools=10, years=YEARS, pupils=120, seed=11).frame(PUPIL)
    rows = analyse(frame, PUPIL, YEARS, None, ("school",), 5)
    files = build_report(rows, PUPIL, tmp_path_factory.mktemp("html"), years=YEARS, municipality="Demo Kommune",
                         n_responses=frame.n, demo=True)
    return files.html


@pytest.mark.parametrize("width", [360, 320])
def test_the_report_reflows_on_a_phone(browser, report_html: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, locale="da-DK")
    page = context.new_page()
    page.goto(report_html.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))""",
        width,
    )
    assert wider == []
    scrolling = page.evaluate("[...document.querySelectorAll('.table')].filter(e => e.scrollWidth > e.clientWidth).length")
    assert scrolling == 0, "a table scrolls sideways instead of reflowing"
    # the school table reads as a list of schools, each value labelled
    labels = page.evaluate(
        """() => [...document.querySelectorAll('table.stack tbody tr')[1].querySelectorAll('td')]
            .map(td => getComputedStyle(td, '::before').content)"""
    )
    assert labels[:3] == ['"Svar: "', '"Andel: "', '"95 % CI: "'], labels
    if width == 360:
        assert axe_violations(page, label="report.html at 360 px") == []
    context.close()


def test_the_contents_do_not_overlap_on_a_laptop(browser, report_html: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.goto(report_html.as_uri())
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.contents li')].map(li => {
            const r = li.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    assert len(boxes) == len(PUPIL.indicators) + 2
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"contents entries overlap: {a} and {b}"
    assert axe_violations(page, label="report.html on a laptop") == []
    context.close()
