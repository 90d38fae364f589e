"""Benchmark of the yearly analysis: the full results table for up to 1,000,000 responses.

Run: ``.venv/bin/python benchmarks/analysis.py`` (or ``--sizes 100000 1000000``).
With ``--database sqlite`` (or ``postgres``) the responses are first stored in a
fresh database (not timed) and the frame is read from it as ``trivsel analyse``
and ``trivsel report`` read it (``surveys.responses.frame.load_frame``): then
"frame s" includes reading and decoding every stored response.

Each size runs in its own subprocess: synthetic responses (10 years x 40
schools, ``surveys.responses.synthetic``, planted effects included) are built as answer
columns, then timed are (1) the frame: every indicator's per-respondent value
computed vectorised from the answer columns, and (2) the table:
``analysis.analyse`` with all indicators, by school, a baseline year and every
comparison (estimates, school vs rest, year vs previous and baseline, trends,
targets), Holm/BH, suppression and Danish conclusions. Peak memory is the
subprocess's maximum resident set size (generation included). Budget at
1,000,000 responses: <= 10 s for frame + table and <= 2 GB peak.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

YEARS = list(range(2017, 2027))
SCHOOLS = 40
SIZES = (100_000, 250_000, 500_000, 1_000_000)
BUDGET_S, BUDGET_MB = 10.0, 2048.0
from surveys.instruments import PUPIL_INSTRUMENT as INSTRUMENT  # noqa: E402 (after the path)


def run_one(size: int, database: str | None = None) -> dict[str, float]:
    """Build ``size`` synthetic responses, then time the frame (read from ``database`` if given)
    and the full table."""
    from analysis.table import analyse
    from surveys.responses.synthetic import synthetic_responses
    from surveys.instruments import builtin_instruments

    instrument = builtin_instruments()[INSTRUMENT]
    pupils = -(-size // (len(YEARS) * SCHOOLS))
    started = time.perf_counter()
    data = synthetic_responses(instrument, schools=SCHOOLS, years=YEARS, pupils=pupils, seed=size)
    if database:
        frame, generated, framed = asyncio.run(_frame_from_database(data, database))
    else:
        generated = time.perf_counter()
        frame = data.frame(instrument)
        framed = time.perf_counter()
    rows = analyse(frame, instrument, YEARS, baseline=YEARS[0], by=("school",))
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {
        "responses": data.n,
        "rows": len(rows),
        "tests": sum(r.p is not None for r in rows),
        "generate_s": generated - started,
        "frame_s": framed - generated,
        "table_s": done - framed,
        "total_s": done - generated,
        "peak_mb": peak_mb,
    }


async def _frame_from_database(data, database: str):
    """Store ``data`` in a fresh database, then read the frame back; returns it with the start and
    end of the read."""
    import secrets
    import tempfile

    from tests.conftest import pg_admin, pg_url
    from surveys.db.engine import migrate, opened_database
    from surveys.responses.frame import load_frame
    from surveys.responses.importing import insert_responses, stored_instrument

    if database == "sqlite":
        url, cleanup = f"sqlite:///{tempfile.mkdtemp(prefix='trivsel-bench-')}/analysis.sqlite", None
    else:
        name = f"trivsel_bench_{secrets.token_hex(3)}"
        await pg_admin(f'CREATE DATABASE "{name}"')
        url, cleanup = pg_url(name), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    try:
        async with opened_database(url) as engine:
            await migrate(engine)
            version_id, _ = await stored_instrument(INSTRUMENT)
            await insert_responses(version_id, data.rows(), create_schools=True)
            started = time.perf_counter()
            frame, _ = await load_frame(INSTRUMENT)
            return frame, started, time.perf_counter()
    finally:
        if cleanup:
            await pg_admin(cleanup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--database", choices=("sqlite", "postgres"), help="read the frame from this database")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.database)))
        return 0
    print(f"{'responses':>10} {'rows':>7} {'tests':>6} {'frame s':>8} {'table s':>8} {'total s':>8} {'peak MB':>8}")
    results = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size)] + (["--database", args.database] if args.database else [])
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"{r['responses']:>10,} {r['rows']:>7,} {r['tests']:>6,} {r['frame_s']:>8.2f} "
            f"{r['table_s']:>8.2f} {r['total_s']:>8.2f} {r['peak_mb']:>8.0f}"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        size_ratio = last["responses"] / first["responses"]
        time_ratio = last["total_s"] / first["total_s"]
        print(
            f"growth {first['responses']:,} -> {last['responses']:,} responses (x{size_ratio:.1f}): "
            f"time x{time_ratio:.1f}, memory x{last['peak_mb'] / first['peak_mb']:.1f}"
        )
    worst = max(results, key=lambda r: r["responses"])
    ok = worst["total_s"] <= BUDGET_S and worst["peak_mb"] <= BUDGET_MB
    print(
        f"budget at {worst['responses']:,}: {worst['total_s']:.2f} s (<= {BUDGET_S:.0f} s), "
        f"{worst['peak_mb']:.0f} MB (<= {BUDGET_MB:.0f} MB): {'OK' if ok else 'OVER BUDGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
