"""``trivsel reference`` (published figures to compare with) and ``trivsel targets`` (the municipality's targets)."""

from __future__ import annotations

from pathlib import Path

import click

from server.cli._runtime import fail, load_settings, reports_errors, run_db
from surveys.errors import InvalidInput
from surveys.instruments import PUPIL_INSTRUMENT

__all__ = ["register"]

_INSTRUMENT = click.option("--instrument", default=PUPIL_INSTRUMENT, show_default=True, help="Instrument id.")


def _run(instrument_key: str, action):
    """Run ``action(instrument)`` (a coroutine function) with the stored instrument, against the database."""
    settings = load_settings(require_keys=False)

    async def run(engine):
        from surveys.responses.importing import stored_instrument

        _, instrument = await stored_instrument(instrument_key)
        return await action(instrument)

    return run_db(settings, run, migrate_if_empty=True)


def _problems(exc: InvalidInput) -> None:
    for where, reason in exc.problems.items():
        click.echo(f"  {where}: {reason}", err=True)
    fail(exc.message)


@click.group(name="reference")
def reference() -> None:
    """Published reference figures (national, regional) that the report compares with."""


@reference.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_INSTRUMENT
@reports_errors
def reference_import(path: Path, instrument: str) -> None:
    """Import figures from a CSV file with the columns source, year, indicator, value and
    optionally n, ci_low, ci_high (shares in per cent). A figure with the same source, year
    and indicator is replaced. Every problem is printed as `linje N, kolonne X: …` and nothing
    is imported."""
    from surveys.strategy.references import import_references

    try:
        result = _run(instrument, lambda stored: import_references(path.read_bytes(), stored))
    except InvalidInput as exc:
        _problems(exc)
        return
    click.echo(f"imported {result.imported} figure(s)" + (f", {result.replaced} replaced" if result.replaced else ""))


@reference.command(name="list")
@_INSTRUMENT
@reports_errors
def reference_list(instrument: str) -> None:
    """Print the stored figures: id, indicator, source, year, value, n, interval."""
    from surveys.strategy.references import list_references

    for f in _run(instrument, lambda stored: list_references(stored.id)):
        interval = f"{f.ci_low:g}–{f.ci_high:g}" if f.interval else ""
        click.echo(f"{f.id}\t{f.indicator}\t{f.source}\t{f.year}\t{f.value:g}\t{f.n or ''}\t{interval}")


@reference.command(name="delete")
@click.argument("figure_id", type=int)
@reports_errors
def reference_delete(figure_id: int) -> None:
    """Delete one stored figure (its id from `trivsel reference list`)."""
    from surveys.strategy.references import delete_reference

    _run(PUPIL_INSTRUMENT, lambda _stored: delete_reference(figure_id))
    click.echo(f"deleted figure {figure_id}")


@click.group(name="targets")
def targets() -> None:
    """The municipality's targets per indicator (the instrument file's target is the default)."""


@targets.command(name="list")
@_INSTRUMENT
@reports_errors
def targets_list(instrument: str) -> None:
    """Print every indicator with the target that counts (and where it comes from)."""
    from surveys.strategy.targets import target_lines, target_text

    for line in _run(instrument, target_lines):
        origin = "kommunen" if line.choice is not None else "spørgeskemaet"
        shown = target_text(line.effective, line.kind) if line.effective else "intet mål"
        click.echo(f"{line.indicator}\t{shown}\t({origin})")


@targets.command(name="set")
@click.argument("indicator")
@click.argument("op", type=click.Choice(["<=", ">=", "none"]))
@click.argument("value", required=False, default="")
@click.option("--year", default="", help="The year the target should be met by.")
@_INSTRUMENT
@reports_errors
def targets_set(indicator: str, op: str, value: str, year: str, instrument: str) -> None:
    """Set the target for INDICATOR: OP is <=, >= or none (no target); VALUE in per cent for a share."""
    from surveys.strategy.targets import check_target, save_target

    try:
        _run(instrument, lambda stored: save_target(stored, check_target(stored, indicator, op, value, year)))
    except InvalidInput as exc:
        _problems(exc)
        return
    click.echo(f"target for {indicator} saved")


@targets.command(name="remove")
@click.argument("indicator")
@_INSTRUMENT
@reports_errors
def targets_remove(indicator: str, instrument: str) -> None:
    """Forget the municipality's target for INDICATOR: the instrument file's target counts again."""
    from surveys.strategy.targets import remove_target

    _run(instrument, lambda stored: remove_target(stored.id, indicator))
    click.echo(f"target for {indicator} removed")


def register(main: click.Group) -> None:
    main.add_command(reference)
    main.add_command(targets)
