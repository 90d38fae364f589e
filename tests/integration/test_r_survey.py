"""The real `trivsel analyse` against R's survey package on the same responses.

A clustered dataset with unequal classes (8-40 pupils, class effects on every answer)
is imported with the CLI and analysed by school, grade and gender; R gets the same
responses (one row per pupil: year, school, class, grade, gender and each indicator's
value) with ``svydesign(ids = ~class, strata = ~school_year)`` (strata are the schools of
each year's survey) and ``options(survey.lonely.psu = "adjust")``. Asserted:

* every published estimate row (municipality, school, grade, gender x year): the
  standard error within 1 % of ``svyby(~y, ~group + year, design, svymean, deff =
  "replace")`` and the design effect within 1 %;
* school-vs-rest and year-vs-year rows: the difference and its standard error within
  1 % of ``svyttest``; the p-value R's convention gives (t on R's df, no SRS floor)
  within 5 % of svyttest's. trivsel's own p-value differs on purpose (Satterthwaite df
  from each side's classes, variance floored at simple random sampling) - see
  docs/analysis.md;
* the omnibus test between schools: F and p within 5 % of ``svychisq(~y + school)``
  (Rao-Scott, statistic = "F").

Runs in CI: `.ci/run` installs r-base-core and r-cran-survey.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from scipy import special

from analysis.frame import MISSING
from surveys.instruments import builtin_instruments
from surveys.responses.csv_format import write_responses_csv
from surveys.responses.synthetic import synthetic_responses
from tests.conftest import TEST_KEY
from tests.integration.test_cli_core import trivsel

pytestmark = pytest.mark.r

INSTRUMENT = "ung-trivsel-rusmidler"
YEARS = [2024, 2025, 2026]
TESTED = ("har_proevet_hash", "drukket_sig_fuld_seneste_maaned", "trivsel_skala", "livstilfredshed")

R_SCRIPT = r"""
suppressMessages(library(survey))
options(survey.lonely.psu = "adjust", warn = -1)
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
indicators <- strsplit(args[2], ",")[[1]]
tested <- strsplit(args[3], ",")[[1]]
shares <- strsplit(args[4], ",")[[1]]
des <- svydesign(ids = ~cls, strata = ~stratum, data = d)
out <- list()
add <- function(...) out[[length(out) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)
dims <- c(municipality = "kommune", school = "school", grade = "grade", gender = "gender")
for (ind in indicators) {
  for (dim in names(dims)) {
    f <- as.formula(paste0("~", ind)); by <- as.formula(paste0("~", dims[[dim]], "+year"))
    r <- svyby(f, by, des, svymean, na.rm = TRUE, deff = "replace", keep.var = TRUE)
    add(kind = "estimate", indicator = ind, dimension = dim, group = as.character(r[[dims[[dim]]]]),
        year = r$year, reference = "", estimate = r[[ind]], se = r$se, deff = r[[paste0("DEff.", ind)]],
        t = NA, df = NA, p = NA)
  }
}
ttest <- function(sub, formula) {
  r <- svyttest(formula, sub)
  c(unname(r$estimate), unname(r$statistic), unname(r$parameter), unname(r$p.value))
}
for (ind in tested) {
  for (dim in c("school", "grade", "gender")) {
    col <- dims[[dim]]
    for (y in sort(unique(d$year))) {
      for (g in sort(unique(na.omit(d[[col]][d$year == y])))) {
        s <- eval(bquote(update(subset(des, year == y), ingroup = !is.na(.(as.name(col))) & .(as.name(col)) == g)))
        v <- ttest(s, as.formula(paste0(ind, "~ingroup")))
        add(kind = "vs_rest", indicator = ind, dimension = dim, group = g, year = y, reference = "",
            estimate = v[1], se = v[1] / v[2], deff = NA, t = v[2], df = v[3], p = v[4])
      }
    }
  }
  for (dim in c("municipality", "school", "grade", "gender")) {
    col <- dims[[dim]]
    years <- sort(unique(d$year))
    for (i in 2:length(years)) {
      for (g in sort(unique(na.omit(d[[col]])))) {
        s <- eval(bquote(subset(des, year %in% years[c(i - 1, i)] & !is.na(.(as.name(col))) & .(as.name(col)) == g)))
        s <- update(s, later = year == years[i])
        v <- ttest(s, as.formula(paste0(ind, "~later")))
        add(kind = "vs_previous", indicator = ind, dimension = dim, group = g, year = years[i],
            reference = as.character(years[i - 1]), estimate = v[1], se = v[1] / v[2], deff = NA,
            t = v[2], df = v[3], p = v[4])
      }
    }
  }
  if (ind %in% shares) {
    for (y in sort(unique(d$year))) {
      s <- eval(bquote(subset(des, year == y & !is.na(.(as.name(ind))))))
      r <- svychisq(as.formula(paste0("~", ind, "+school")), s, statistic = "F")
      add(kind = "omnibus", indicator = ind, dimension = "school", group = "Alle skoler", year = y, reference = "",
          estimate = NA, se = NA, deff = NA, t = unname(r$statistic), df = unname(r$parameter[2]), p = r$p.value)
    }
  }
}
write.csv(do.call(rbind, out), args[5], row.names = FALSE)
"""


def _have_r() -> bool:
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    assert _have_r(), "R with the survey package is needed (.ci/run installs r-base-core r-cran-survey)"
    folder = tmp_path_factory.mktemp("r-survey")
    instrument = builtin_instruments()[INSTRUMENT]
    data = synthetic_responses(instrument, schools=8, years=YEARS, pupils=150, seed=17, class_sizes=(8, 40))
    responses = folder / "responses.csv"
    with responses.open("w", encoding="utf-8", newline="") as handle:
        write_responses_csv(handle, instrument, data.rows())
    env = {"TRIVSEL_DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}", "TRIVSEL_DATA_DIR": str(folder),
           "TRIVSEL_SECRET_KEYS": TEST_KEY}
    imported = trivsel("import", "responses", str(responses), "--instrument", INSTRUMENT, "--create-schools", env=env)
    assert imported.returncode == 0, imported.stderr
    out = folder / "results.json"
    done = trivsel("analyse", "--years", "2024-2026", "--by", "school", "grade", "gender", "--out", str(out), env=env,
                   timeout=300)
    assert done.returncode == 0, done.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))

    frame = data.frame(instrument)
    indicators = [i.id for i in instrument.indicators]
    pupils = folder / "pupils.csv"
    with pupils.open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["year", "stratum", "cls", "kommune", "school", "grade", "gender", *indicators])
        for i in range(frame.n):
            school = frame.school_names[frame.school[i]]
            gender = frame.gender_labels.get(int(frame.gender[i]), "") if frame.gender[i] != MISSING else ""
            grade = frame.grade_labels.get(int(frame.grade[i]), "") if frame.grade[i] != MISSING else ""
            values = ["" if math.isnan(frame.values[k][i]) else repr(float(frame.values[k][i])) for k in indicators]
            w.writerow([int(frame.year[i]), f"{school}|{frame.year[i]}", f"{school}|{frame.year[i]}|{frame.cluster[i]}",
                        "Kommunen", school, grade, gender, *values])
    script = folder / "compare.R"
    script.write_text(R_SCRIPT, encoding="utf-8")
    shares = [i.id for i in instrument.indicators if i.kind == "share"]
    r_out = folder / "r.csv"
    ran = subprocess.run(
        ["Rscript", str(script), str(pupils), ",".join(indicators), ",".join(TESTED), ",".join(shares), str(r_out)],
        capture_output=True, text=True, timeout=600,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    with r_out.open(encoding="utf-8") as handle:
        r_rows = list(csv.DictReader(handle))
    ours = {(r["comparison"], r["indicator"], r["dimension"], r["group"], r["year"]): r for r in rows}
    theirs = {(r["kind"], r["indicator"], r["dimension"], r["group"], int(r["year"])): r for r in r_rows}
    return ours, theirs


def _rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b) if b else abs(a - b)


def test_every_published_estimate_has_rs_standard_error_and_design_effect(compared):
    ours, theirs = compared
    estimates = [k for k, r in ours.items() if k[0] == "estimate" and not r["suppressed"]]
    dimensions = {k[2] for k in estimates}
    assert dimensions == {"municipality", "school", "grade", "gender"} and len(estimates) > 400
    worst_se = worst_deff = 0.0
    for key in estimates:
        row, r = ours[key], theirs[key]
        scale = 100.0 if row["kind"] == "share" else 1.0
        assert row["estimate"] == pytest.approx(scale * float(r["estimate"]), rel=1e-9)
        worst_se = max(worst_se, _rel(row["se"], scale * float(r["se"])))
        worst_deff = max(worst_deff, _rel(row["deff"], float(r["deff"])))
    print(f"\n{len(estimates)} estimate rows: max relative difference SE {worst_se:.2e}, deff {worst_deff:.2e}")
    assert worst_se < 0.01 and worst_deff < 0.01


def test_comparisons_and_omnibus_agree_with_svyttest_and_svychisq(compared):
    ours, theirs = compared
    checked = {"vs_rest": 0, "vs_previous": 0, "omnibus": 0}
    worst = {"diff": 0.0, "se": 0.0, "p": 0.0, "omnibus": 0.0}
    for key, r in theirs.items():
        if key[0] == "estimate" or key not in ours:
            continue
        row = ours[key]
        if row["suppressed"] or row["p"] is None:
            continue
        if key[0] == "omnibus":
            worst["omnibus"] = max(worst["omnibus"], _rel(row["statistic"], float(r["t"])), _rel(row["p"], float(r["p"])))
            checked["omnibus"] += 1
            continue
        assert row["test"] == "design-t", row
        scale = 100.0 if row["kind"] == "share" else 1.0
        diff, se, df_r = float(r["estimate"]), float(r["se"]), float(r["df"])
        worst["diff"] = max(worst["diff"], _rel(row["diff"], scale * diff))
        worst["se"] = max(worst["se"], _rel(row["se"], scale * abs(se)))
        p_r_convention = float(2 * special.stdtr(df_r, -abs(row["diff"] / row["se"])))
        worst["p"] = max(worst["p"], _rel(p_r_convention, float(r["p"])))
        checked[key[0]] += 1
    print(f"\nchecked {checked}; max relative differences {worst}")
    assert checked["vs_rest"] > 100 and checked["vs_previous"] > 50 and checked["omnibus"] >= 6
    assert worst["diff"] < 1e-6 and worst["se"] < 0.01 and worst["p"] < 0.05 and worst["omnibus"] < 0.05
