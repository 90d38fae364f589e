"""Writing a whole report to a folder: results, charts, HTML, PDF, school pages, theme days.

``build_report`` is synchronous CPU work; from async code call it in a worker
thread (``anyio.to_thread.run_sync``). ``progress(step, done, total)`` is
called after every step (the CLI draws a progress bar from it).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.output import write_results
from exports.filenames import unique_stem

from .. import charts as chart_functions
from .events import EventReport
from .html import event_html, report_html
from .content import Chart
from .model import build_model
from .pdf import event_pdf, school_pdf
from .report_pdf import report_pdf
from .text import slug

__all__ = ["Progress", "ReportFiles", "build_report", "draw_chart", "zip_report"]

Progress = Callable[[str, int, int], None]


@dataclass
class ReportFiles:
    directory: Path
    html: Path
    pdf: Path
    results_json: Path
    results_csv: Path
    charts: list[Path] = field(default_factory=list)
    schools: list[Path] = field(default_factory=list)
    events: list[Path] = field(default_factory=list)

    def all(self) -> list[Path]:
        return [self.html, self.pdf, self.results_json, self.results_csv, *self.charts, *self.schools, *self.events]


def draw_chart(chart: Chart) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of a chart specification."""
    function = getattr(chart_functions, chart.kind)
    figure = function(*chart.args, **chart.kwargs)
    return chart_functions.render(figure)


def _write_charts(charts: Sequence[Chart], folder: Path, step: Callable[[str], None]) -> tuple[dict[str, bytes], list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    pngs: dict[str, bytes] = {}
    paths: list[Path] = []
    for chart in charts:
        png, svg = draw_chart(chart)
        pngs[chart.name] = png
        for suffix, data in ((".png", png), (".svg", svg)):
            path = folder / f"{chart.name}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        step(f"diagram {chart.name}")
    return pngs, paths


def build_report(
    rows: Sequence[Any],
    instrument: Any,
    out_dir: str | Path,
    *,
    years: Sequence[int],
    baseline: int | None = None,
    threshold: int = 5,
    municipality: str = "Kommunen",
    n_responses: int = 0,
    events: Sequence[EventReport] = (),
    generated_on: dt.date | None = None,
    progress: Progress | None = None,
    references: Sequence[Any] = (),
    demo: bool = False,
    held: int = 0,
) -> ReportFiles:
    """Write ``report.html``, ``report.pdf``, ``results.json``, ``results.csv``, ``charts/``,
    ``skoler/<skole>.pdf`` and ``temadage/<dag>.pdf|html`` into ``out_dir``.

    ``rows`` must be the results table of :func:`exports.report.results.results_table` (or
    ``analyse(frame, instrument, years, baseline, ("school",), threshold)``): every number in the
    report comes from them. ``references`` are the published figures compared in it; ``demo``
    marks a report of demo data on its front page."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = build_model(
        rows, instrument, years=years, baseline=baseline, threshold=threshold,
        municipality=municipality, n_responses=n_responses, generated_on=generated_on,
        references=references, demo=demo, held=held,
    )
    event_charts = [c for e in events for c in e.charts]
    total = 4 + len(model.charts()) + len(model.schools) + len(event_charts) + len(events)
    done = 0

    def step(what: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(what, done, total)

    files = ReportFiles(out, out / "report.html", out / "report.pdf", out / "results.json", out / "results.csv")
    write_results(list(rows), files.results_json)
    write_results(list(rows), files.results_csv)
    step("resultater")
    pngs, files.charts = _write_charts(model.charts(), out / "charts", step)
    files.html.write_text(report_html(model), encoding="utf-8")
    step("report.html")
    files.pdf.write_bytes(report_pdf(model, pngs))
    step("report.pdf")
    if model.schools:
        (out / "skoler").mkdir(exist_ok=True)
    taken: set[str] = set()  # two names may make the same file name: the second gets "-2"
    for page in model.schools:
        path = out / "skoler" / f"{unique_stem(slug(page.school), taken)}.pdf"
        path.write_bytes(school_pdf(page, title=model.title, threshold=threshold, municipality=municipality))
        files.schools.append(path)
        step(f"skole {page.school}")
    if events:
        event_pngs, paths = _write_charts(event_charts, out / "temadage" / "charts", step)
        files.charts += paths
        taken = set()
        for event in events:
            stem = unique_stem(event.slug, taken)
            for suffix, data in ((".html", event_html(event).encode("utf-8")), (".pdf", event_pdf(event, event_pngs))):
                path = out / "temadage" / f"{stem}{suffix}"
                path.write_bytes(data)
                files.events.append(path)
            step(f"temadag {event.name}")
    step("færdig")
    return files


def zip_report(files: ReportFiles) -> bytes:
    """Every file of a built report in one ZIP (for a download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files.all():
            archive.write(path, path.relative_to(files.directory).as_posix())
    return buffer.getvalue()
