"""Analysis commands: demo-data, import responses, analyse."""

from __future__ import annotations

import re
import time

import click

from server.cli._runtime import fail, load_settings, reports_errors, run_db
from server.cli._variadic import VariadicCommand
from surveys.errors import InvalidInput
from surveys.instruments import PUPIL_INSTRUMENT

__all__ = ["register"]

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")


def parse_years(values: tuple[str, ...] | list[str]) -> list[int]:
    """``("2022-2026",)``, ``("2024", "2025")`` or ``("2024,2025",)`` -> sorted years."""
    years: set[int] = set()
    for value in values:
        for part in str(value).split(","):
            if not part.strip():
                continue
            m = _RANGE.match(part)
            if m is None:
                raise click.BadParameter(f"{part!r} is not a year or a range like 2022-2026", param_hint="--years")
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            if last < first or not 1990 <= first <= 2100 or not 1990 <= last <= 2100:
                raise click.BadParameter(f"{part!r} is not a range of years within 1990-2100", param_hint="--years")
            years.update(range(first, last + 1))
    return sorted(years)


def _print_problems(exc: InvalidInput) -> None:
    for where, reason in exc.problems.items():
        click.echo(f"  {where}: {reason}", err=True)
    fail(exc.message)


@click.command(name="demo-data")
@click.option("--schools", default=10, show_default=True, type=click.IntRange(1, 99), help="Number of schools (Skole 01 ...).")
@click.option("--years", "years_text", default="2022-2026", show_default=True, help="Years, e.g. 2022-2026 or 2024,2025.")
@click.option("--pupils", default=300, show_default=True, type=click.IntRange(1, 100_000), help="Pupils per school per year.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (same seed, same data).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True), help="Only write this CSV (import format); no database.")
@click.option("--instrument", default=PUPIL_INSTRUMENT, show_default=True, help="Instrument id.")
@reports_errors
def demo_data(schools: int, years_text: str, pupils: int, seed: int, csv_path: str | None, instrument: str) -> None:
    """Create synthetic pupil responses with planted effects, for demos, tests and benchmarks.

    \b
    Planted effects (everything else is null - equal in every school and year):
      1. Skole 01 has a clearly higher hash share: har_proevet_hash is 35 %
         there against 20 % in every other school, every year.
      2. A falling municipal trend: drukket_sig_fuld_seneste_maaned is 30 % in
         the first year and falls 3 percentage points a year.
    Pupils are in classes of at most 25 (grades 7-9) that share a random class
    effect, so the design effect is above 1. The responses go into the database
    for schools "Skole 01".."Skole NN" (created if missing), or, with --csv,
    only into a CSV file in the format `trivsel import responses` reads.
    """
    from surveys.responses.synthetic import synthetic_responses
    from surveys.instruments import builtin_instruments

    years = parse_years([years_text])
    if csv_path:
        builtin = builtin_instruments()
        if instrument not in builtin:
            fail(f"unknown instrument {instrument!r} (known: {', '.join(sorted(builtin))})")
        data = synthetic_responses(builtin[instrument], schools=schools, years=years, pupils=pupils, seed=seed)
        from surveys.responses.csv_format import write_responses_csv

        with open(csv_path, "w", encoding="utf-8", newline="") as handle:
            count = write_responses_csv(handle, builtin[instrument], data.rows())
        click.echo(f"wrote {count} responses to {csv_path}")
        return

    settings = load_settings(require_keys=False)

    async def write(engine):
        from surveys.responses.importing import insert_responses, stored_instrument

        version_id, stored = await stored_instrument(instrument)
        data = synthetic_responses(stored, schools=schools, years=years, pupils=pupils, seed=seed)
        return await insert_responses(version_id, data.rows(), create_schools=True, source="demo")

    started = time.perf_counter()
    result = run_db(settings, write, migrate_if_empty=True)
    click.echo(
        f"inserted {result.imported} responses for {schools} school(s), years {years[0]}-{years[-1]} "
        f"({time.perf_counter() - started:.1f} s)"
    )


@click.group(name="import")
def import_group() -> None:
    """Import data from files."""


@import_group.command(name="responses")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--instrument", required=True, help=f"Instrument id, e.g. {PUPIL_INSTRUMENT}.")
@click.option("--version", "version", type=int, default=None,
              help="The instrument version the answers were given with (default: the newest), e.g. 1 for years "
                   "before version 2, so that changed questions are not compared across the change.")
@click.option("--create-schools", is_flag=True, help="Create schools that do not exist yet.")
@reports_errors
def import_responses_command(path: str, instrument: str, version: int | None, create_schools: bool) -> None:
    """Import responses (also earlier years, e.g. a 2010 baseline) from a CSV file.

    The file is the format `trivsel export --format csv` and `trivsel demo-data --csv`
    write: columns year, school, class, grade, language, then one column per
    question (option codes; multi questions one 0/1 column per option; empty =
    not answered). Every row is checked first; on any problem each one is printed
    with its line and column, and nothing is imported.
    """
    from surveys.responses.importing import import_responses

    settings = load_settings(require_keys=False)

    async def run(engine):
        return await import_responses(path, instrument, create_schools=create_schools, version=version)

    try:
        result = run_db(settings, run, migrate_if_empty=True)
    except InvalidInput as exc:
        _print_problems(exc)
        return
    years = ", ".join(map(str, result.years))
    click.echo(f"imported {result.imported} responses (years {years})")
    if result.created_schools:
        click.echo(f"created {len(result.created_schools)} school(s): {', '.join(result.created_schools)}")


@click.command(name="analyse", cls=VariadicCommand, variadic=("--years", "--by"))
@click.option("--years", "years_text", multiple=True, help="Years to analyse: --years 2024 2025 2026 or 2024-2026 (default: all).")
@click.option("--baseline", type=click.IntRange(1990, 2100), default=None, help="Baseline year to compare every year with (e.g. 2010).")
@click.option("--by", "by", multiple=True, type=click.Choice(["school", "grade", "gender"]), default=("school",), show_default=True, help="Grouping: --by school, --by grade gender.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="results.json or results.csv.")
@click.option("--instrument", default=PUPIL_INSTRUMENT, show_default=True, help="Instrument id.")
@click.option("--threshold", type=click.IntRange(3, None), default=None, help="Suppression threshold (default TRIVSEL_SUPPRESSION_THRESHOLD, 5; never below 3).")
@click.option("--correction", type=click.Choice(["family", "report"]), default="family", show_default=True, help="Multiple testing: Holm/Benjamini-Hochberg per family, or Benjamini-Hochberg (FDR) over every test of the report.")
@reports_errors
def analyse_command(years_text, baseline, by, out, instrument, threshold, correction) -> None:
    """Estimates and comparisons for every indicator, one row each, to JSON or CSV.

    Per indicator: the municipality and each group per year (n, estimate, 95 % CI,
    design-based standard error and design effect: classes as clusters, schools as
    strata), one test of all schools together, each group against the rest of the
    municipality, each year against the previous one and the baseline, the trend
    over three or more years, the strategy targets (the municipality's, set in the
    console, else the instrument's; a target whose year has passed also in that
    year) and published reference figures (`trivsel reference import`); Holm
    across the goal indicators and the reference figures, Benjamini-Hochberg across
    the screening (or, with --correction report, over every test); small groups hidden.
    """
    from analysis.output import write_results
    from analysis.table import test_summary
    from exports.report.source import load_report_inputs, results_of

    years = parse_years(years_text) if years_text else None
    if not out.lower().endswith((".json", ".csv")):
        raise click.BadParameter("must end in .json or .csv", param_hint="--out")
    settings = load_settings(require_keys=False)

    async def load(engine):
        return await load_report_inputs(instrument, years, baseline, with_events=False)

    started = time.perf_counter()
    inputs = run_db(settings, load)
    frame = inputs.frame
    rows = results_of(inputs, by, threshold or settings.suppression_threshold, correction=correction)
    count = write_results(rows, out)
    summary = test_summary(rows)
    hidden = sum(r.suppressed for r in rows)
    click.echo(
        f"{count} rows ({summary.tests} tests, {hidden} hidden) from {frame.n} responses -> {out} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    click.echo(
        f"{summary.significant_raw} significant before correction (chance alone would give about "
        f"{summary.expected_by_chance:.0f} of {summary.tests}), {summary.significant_adjusted} after "
        f"({'Benjamini-Hochberg over the whole report' if correction == 'report' else 'Holm/Benjamini-Hochberg per family'})"
    )


def register(main: click.Group) -> None:
    main.add_command(demo_data)
    main.add_command(import_group)
    main.add_command(analyse_command)
