"""``trivsel export``: anonymous responses as CSV, XLSX, SPSS or Stata, with a codebook."""

from __future__ import annotations

from pathlib import Path

import click

from exports.formats import FORMATS
from server.cli._runtime import fail, load_settings, reports_errors, run_db
from server.cli._variadic import VariadicCommand
from surveys.instruments import PUPIL_INSTRUMENT

__all__ = ["register"]


@click.command(cls=VariadicCommand, variadic=("--year",))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="File format.")
@click.option("--wave", type=int, default=None, help="Only this wave (id).")
@click.option("--event", type=int, default=None, help="Only this theme day (id), with the staff instrument.")
@click.option("--year", "years", type=int, multiple=True, help="Only these years: --year 2024 2025 (default: all).")
@click.option(
    "--instrument", default=PUPIL_INSTRUMENT, show_default=True, help="Instrument key (without --wave/--event)."
)
@click.option("--excel-da", is_flag=True, help="CSV for Danish Excel: semicolons and decimal commas.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@reports_errors
def export(
    fmt: str, wave: int | None, event: int | None, years: tuple[int, ...], instrument: str, excel_da: bool, out: Path
) -> None:
    """Write one anonymous row per response, and a codebook beside it (FILE's name + .kodebog.csv).

    The plain CSV (UTF-8 with BOM) is the format `trivsel import responses` reads.
    """
    from exports.responses import export_responses
    from exports.source import Selection, load_responses

    if excel_da and fmt != "csv":
        fail("--excel-da applies to --format csv only", 2)
    if (wave is not None) + (event is not None) + bool(years) > 1:
        fail("choose --wave, --event or --year, not several", 2)
    settings = load_settings(require_keys=False)
    selection = Selection(instrument=instrument, wave=wave, event=event, years=years)

    async def load(engine):
        return await load_responses(selection)

    chosen, records = run_db(settings, load)
    if not records:
        fail("no responses match the selection; nothing written")
    result = export_responses(records, chosen, fmt, out, excel_da=excel_da)
    click.echo(f"{result.rows} response(s) written to {result.path}")
    click.echo(f"codebook: {result.codebook}")


def register(main: click.Group) -> None:
    main.add_command(export)
