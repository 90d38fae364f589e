"""Benchmark of the full municipality report: 40 schools x 3 years from 200,000 responses.

Run: ``.venv/bin/python benchmarks/report.py`` (``--memory`` skips the database).

Setup (not timed): synthetic pupil responses (``surveys.responses.synthetic``, planted
effects included; 1,667 pupils per school and year) inserted into a fresh
SQLite database. Timed: exactly what ``trivsel report --years 2024 2025 2026
--out DIR`` does - reading the responses from the database, the analysis, every
chart as PNG and SVG, report.html, report.pdf, results.json/.csv and the 40
school one-pagers. Budget: <= 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCHOOLS, YEARS, RESPONSES = 40, [2024, 2025, 2026], 200_000
BUDGET_S = 60.0
from surveys.instruments import PUPIL_INSTRUMENT as INSTRUMENT  # noqa: E402 (after the path)


async def _fill(url: str) -> int:
    from surveys.db.engine import migrate, opened_database
    from surveys.responses.synthetic import synthetic_responses
    from surveys.responses.importing import insert_responses, stored_instrument

    async with opened_database(url) as engine:
        await migrate(engine)
        version_id, instrument = await stored_instrument(INSTRUMENT)
        pupils = -(-RESPONSES // (SCHOOLS * len(YEARS)))
        data = synthetic_responses(instrument, schools=SCHOOLS, years=YEARS, pupils=pupils, seed=2026)
        result = await insert_responses(version_id, data.rows(), create_schools=True)
        return result.imported


async def _load(url: str):
    from exports.report.source import load_report_inputs
    from surveys.db.engine import opened_database

    async with opened_database(url):
        return await load_report_inputs(INSTRUMENT, YEARS, None)


def _memory_inputs():
    from exports.report.source import ReportInputs
    from surveys.responses.synthetic import synthetic_responses
    from surveys.instruments import builtin_instruments

    instrument = builtin_instruments()[INSTRUMENT]
    pupils = -(-RESPONSES // (SCHOOLS * len(YEARS)))
    data = synthetic_responses(instrument, schools=SCHOOLS, years=YEARS, pupils=pupils, seed=2026)
    return ReportInputs(data.frame(instrument), instrument, tuple(YEARS), None, "Benchmark Kommune")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory", action="store_true", help="build the frame in memory instead of reading a database")
    parser.add_argument("--out", type=Path, help="keep the report in this folder")
    args = parser.parse_args(argv)
    from exports.report.source import make_report

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "rapport"
        url = f"sqlite:///{tmp}/bench.sqlite"
        if not args.memory:
            started = time.perf_counter()
            count = asyncio.run(_fill(url))
            print(f"setup: {count} responses into SQLite in {time.perf_counter() - started:.1f} s (not timed)")
        started = time.perf_counter()
        inputs = _memory_inputs() if args.memory else asyncio.run(_load(url))
        loaded = time.perf_counter()
        files = make_report(inputs, out, threshold=5)
        done = time.perf_counter()
    total = done - started
    print(
        f"report: {inputs.frame.n} responses, {SCHOOLS} schools x {len(YEARS)} years, {len(files.all())} files; "
        f"load {loaded - started:.1f} s + analysis and report {done - loaded:.1f} s"
    )
    print(f"total {total:.1f} s (budget {BUDGET_S:.0f} s) {'OK' if total <= BUDGET_S else 'TOO SLOW'}")
    return 0 if total <= BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
