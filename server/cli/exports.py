"""``trivsel export``: responses as CSV, XLSX, SPSS or Stata, with a codebook.

The default level is k-anonymous with free text apart (:mod:`exports.levels`); ``--raw``
(full microdata) needs ``--reason`` and writes an audit entry (:mod:`exports.audit`)."""

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
@click.option("--raw", is_flag=True, help="Full microdata (one row per response as stored, free text included); needs --reason and is audited.")
@click.option("--reason", default=None, help="Why raw data is needed (with --raw; written to the audit).")
@reports_errors
def export(
    fmt: str, wave: int | None, event: int | None, years: tuple[int, ...], instrument: str, excel_da: bool, out: Path,
    raw: bool, reason: str | None,
) -> None:
    """Write the responses and a codebook beside them (FILE's name + .kodebog.csv).

    By default the rows are k-anonymous on year, school, class, grade, gender and language
    (k = the suppression threshold; the codebook says what was generalised), and free text is
    written apart in random order (FILE's name + .fritekst.csv). With --raw --reason TEXT: one
    row per response as stored, and an audit entry. The plain CSV (UTF-8 with BOM) is the format
    `trivsel import responses` reads.
    """
    import getpass

    from exports.audit import record_raw_export, valid_reason
    from exports.responses import export_responses
    from exports.source import Selection, load_responses
    from surveys.answering.progress import threshold_for
    from surveys.errors import InvalidInput

    if excel_da and fmt != "csv":
        fail("--excel-da applies to --format csv only", 2)
    if reason is not None and not raw:
        fail("--reason goes with --raw", 2)
    if raw:
        try:
            reason = valid_reason(reason)
        except InvalidInput:
            fail("--raw needs --reason TEXT (at least 10 characters): why full microdata is needed", 2)
    if (wave is not None) + (event is not None) + bool(years) > 1:
        fail("choose --wave, --event or --year, not several", 2)
    settings = load_settings(require_keys=False)
    selection = Selection(instrument=instrument, wave=wave, event=event, years=years)

    async def load(engine):
        chosen, records = await load_responses(selection)
        threshold = await threshold_for(settings.suppression_threshold)
        if raw and records:
            await record_raw_export(f"cli:{getpass.getuser()}", wave=wave, event=event, years=years, fmt=fmt,
                                    rows=len(records), reason=reason or "")
        return chosen, records, threshold

    chosen, records, threshold = run_db(settings, load)
    if not records:
        fail("no responses match the selection; nothing written")
    result = export_responses(records, chosen, fmt, out, excel_da=excel_da, level="raw" if raw else "standard", threshold=threshold)
    click.echo(f"{result.rows} response(s) written to {result.path}" + (" (raw; audited)" if raw else f" (k-anonymous, k = {threshold})"))
    click.echo(f"codebook: {result.codebook}")
    if result.free_text is not None:
        click.echo(f"free text: {result.free_text}")


def register(main: click.Group) -> None:
    main.add_command(export)
