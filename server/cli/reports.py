"""``trivsel report``: the municipality report (HTML, PDF, results, charts, school pages, theme days)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from server.cli._runtime import load_settings, reports_errors, run_db
from server.cli._variadic import VariadicCommand
from surveys.instruments import PUPIL_INSTRUMENT

__all__ = ["register"]


@click.command(name="report", cls=VariadicCommand, variadic=("--years",))
@click.option("--years", "years_text", multiple=True, help="Years: --years 2024 2025 2026 or 2024-2026 (default: all).")
@click.option("--baseline", type=click.IntRange(1990, 2100), default=None, help="Baseline year (e.g. 2022).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write.")
@click.option("--instrument", default=PUPIL_INSTRUMENT, show_default=True, help="Instrument id.")
@click.option("--threshold", type=click.IntRange(3, None), default=None, help="Suppression threshold (default TRIVSEL_SUPPRESSION_THRESHOLD).")
@click.option("--correction", type=click.Choice(["family", "report"]), default="family", show_default=True, help="Multiple testing: per family, or Benjamini-Hochberg (FDR) over every test of the report.")
@reports_errors
def report(years_text: tuple[str, ...], baseline: int | None, out: Path, instrument: str, threshold: int | None, correction: str) -> None:
    """Write report.html, report.pdf, results.json, results.csv, charts/ (PNG and SVG),
    skoler/ (one page per school) and temadage/ (one report per theme day) into OUT.

    The numbers are those of `trivsel analyse` on the same data (grouped by school).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from exports.report.source import load_report_inputs, make_report
    from server.cli.analysis import parse_years

    years = parse_years(years_text) if years_text else None
    settings = load_settings(require_keys=False)
    started = time.perf_counter()

    async def load(engine):
        return await load_report_inputs(instrument, years, baseline)

    inputs = run_db(settings, load)
    columns = (TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("analyse", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step[:32], completed=done, total=total)

        files = make_report(
            inputs, out, threshold=threshold or settings.suppression_threshold, progress=progress, correction=correction
        )
    click.echo(
        f"report for {inputs.frame.n} responses, years {', '.join(map(str, inputs.years))}"
        + (f", baseline {baseline}" if baseline else "")
        + f" -> {files.directory} ({len(files.all())} files, {time.perf_counter() - started:.1f} s)"
    )
    click.echo(f"  {files.pdf}\n  {files.html}\n  {files.results_json}\n  {files.results_csv}")


def register(main: click.Group) -> None:
    main.add_command(report)
