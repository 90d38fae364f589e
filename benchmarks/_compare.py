"""The estimates-only task of ``benchmarks/analysis.py`` in trivsel, R ``survey`` and Python ``svy``.

The task: the 10 share indicators by year x school and by year, with classes as PSUs and
schools within years as strata (no weights, no finite-population correction), mean, SE and
design effect. Every tool gets the same per-pupil CSV; each time excludes reading it.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["task_csv", "time_r", "time_svy", "time_trivsel"]

R_TASK = r"""
suppressMessages(library(survey)); options(survey.lonely.psu = "adjust")
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); inds <- strsplit(args[2], ",")[[1]]
elapsed <- system.time({
  des <- svydesign(ids = ~psu, strata = ~stratum, data = d)
  for (v in inds) {
    f <- as.formula(paste0("~", v))
    svyby(f, ~school + year, des, svymean, na.rm = TRUE, deff = "replace")
    svyby(f, ~year, des, svymean, na.rm = TRUE, deff = "replace")
  }
})[["elapsed"]]
cat(elapsed, "\n")
"""

SVY_TASK = r"""
import json, resource, sys, time
import polars as pl
import svy
path, inds = sys.argv[1], sys.argv[2].split(",")
data = pl.read_csv(path)
started = time.perf_counter()
sample = svy.Sample(data=data, design=svy.Design(stratum="stratum", psu="psu"))
for v in inds:
    sample.estimation.mean(y=v, by=["school", "year"], drop_nulls=True, deff="wr")
    sample.estimation.mean(y=v, by="year", drop_nulls=True, deff="wr")
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _shares(instrument) -> list[str]:
    return [i.id for i in instrument.indicators if i.kind == "share"][:10]


def task_csv(frame, instrument, path: Path) -> list[str]:
    """Write the per-pupil CSV (year, school, stratum, psu, the share indicators); returns their ids."""
    shares = _shares(instrument)
    with path.open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["year", "school", "stratum", "psu", *shares])
        values = [frame.values[s] for s in shares]
        for i in range(frame.n):
            school = int(frame.school[i])
            w.writerow([
                int(frame.year[i]), school, f"{school}_{frame.year[i]}", f"{frame.year[i]}_{frame.cluster[i]}",
                *("" if np.isnan(v[i]) else int(v[i]) for v in values),
            ])
    return shares


def time_trivsel(frame, instrument) -> float:
    """The task in trivsel's design module (seconds, the frame already in memory)."""
    from analysis.design import build_design, domain_stats, pairs_for
    from analysis.design_intervals import share_intervals
    from analysis.grouping import grouping

    started = time.perf_counter()
    years = np.unique(frame.year)
    year_index = np.searchsorted(years, frame.year)
    design = build_design(frame, year_index, years.size)
    pairs = [pairs_for(design, g.codes, len(g.labels)) for g in (grouping(frame, "municipality"), grouping(frame, "school"))]
    for share in _shares(instrument):
        for p in pairs:
            st = domain_stats(design, p, frame.values[share], True)
            share_intervals(np.nan_to_num(st.mean), np.maximum(st.n, 1), st.var, st.df)
    return time.perf_counter() - started


def time_r(path: Path, shares: list[str]) -> float | None:
    """R survey's time for the task, or None without Rscript and the survey package."""
    if shutil.which("Rscript") is None:
        return None
    script = path.with_suffix(".R")
    script.write_text(R_TASK, encoding="utf-8")
    done = subprocess.run(["Rscript", str(script), str(path), ",".join(shares)], capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return float(done.stdout.split()[-1])


def time_svy(path: Path, shares: list[str]) -> dict | None:
    """svy's time and peak memory for the task, or None when svy is not installed."""
    done = subprocess.run([sys.executable, "-c", SVY_TASK, str(path), ",".join(shares)], capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])
