"""Coverage of the published 95 % intervals for shares under class clustering.

Run: ``.venv/bin/python benchmarks/coverage.py`` (``--reps 400`` by default; ``--quick`` for
a small version). A municipality of 20 schools with 3-8 classes each, every class of
8-40 pupils (unequal on purpose), one year. Class effects are normal on the logit
scale with the variance that gives a latent intraclass correlation of 0.02, 0.05 or
0.10; schools differ in their true share (10-40 %). Each replication redraws the
class effects and the answers (the classes and their sizes stay: a fixed design),
runs the same code as ``trivsel analyse`` (:mod:`analysis.design`, Korn-Graubard
Wilson intervals on the design's df) and counts how often the interval covers the
true expected share of the school and of the municipality. Prints coverage, the
mean interval width and the range of per-school design effects; exits 1 when any
coverage is below 94 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

__all__ = ["simulate"]

ICCS = (0.02, 0.05, 0.10)
SCHOOLS = 20
REQUIRED = 0.94


def _layout(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pupil: school and class; per school: the logit of its typical share."""
    classes = rng.integers(3, 9, SCHOOLS)
    school_of_class = np.repeat(np.arange(SCHOOLS), classes)
    sizes = rng.integers(8, 41, school_of_class.size)
    cls = np.repeat(np.arange(school_of_class.size), sizes)
    centre = np.log(np.linspace(0.10, 0.40, SCHOOLS) / (1 - np.linspace(0.10, 0.40, SCHOOLS)))
    return school_of_class[cls], cls, centre


def _true_shares(centre: np.ndarray, sd: float) -> np.ndarray:
    """E[logistic(centre + sd Z)] by Gauss-Hermite quadrature."""
    x, w = np.polynomial.hermite_e.hermegauss(60)
    return (w / w.sum()) @ (1.0 / (1.0 + np.exp(-(centre[None, :] + sd * x[:, None]))))


def simulate(icc: float, reps: int, seed: int) -> dict[str, float]:
    """Coverage at school and municipality level for one intraclass correlation."""
    from analysis.design import build_design, domain_stats, pairs_for
    from analysis.design_intervals import share_intervals
    from analysis.frame import ResponseFrame

    rng = np.random.default_rng(seed)
    school, cls, centre = _layout(rng)
    sd = float(np.sqrt(icc / (1 - icc) * np.pi**2 / 3))
    truth = _true_shares(centre, sd)
    n_school = np.bincount(school, minlength=SCHOOLS)
    truth_all = float(truth @ n_school / n_school.sum())
    n = school.size
    frame = ResponseFrame(
        np.zeros(n, np.int32), school.astype(np.int32), tuple(f"S{i}" for i in range(SCHOOLS)),
        cls.astype(np.int64), np.zeros(n, np.int32), np.zeros(n, np.int32), {"y": np.zeros(n)},
    )
    design = build_design(frame, np.zeros(n, np.int64), 1)
    by_school = pairs_for(design, school.astype(np.int64), SCHOOLS)
    whole = pairs_for(design, np.zeros(n, np.int64), 1)
    hits_s = hits_m = 0
    width_s = width_m = 0.0
    deffs: list[float] = []
    for _ in range(reps):
        effect = rng.normal(0.0, sd, cls.max() + 1)
        y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(centre[school] + effect[cls])))).astype(float)
        for pairs, target, level in ((by_school, truth, "s"), (whole, np.array([truth_all]), "m")):
            st = domain_stats(design, pairs, y, True)
            k = target.size
            low, high, _ = share_intervals(st.mean[0, :k], st.n[0, :k], st.var[0, :k], st.df[0, :k])
            covered = int(np.sum((low <= target) & (target <= high)))
            if level == "s":
                hits_s += covered
                width_s += float(np.sum(high - low))
                deffs.extend(st.deff[0, :k][np.isfinite(st.deff[0, :k])].tolist())
            else:
                hits_m += covered
                width_m += float(np.sum(high - low))
    return {
        "icc": icc, "school": hits_s / (reps * SCHOOLS), "municipality": hits_m / reps,
        "width_school": 100 * width_s / (reps * SCHOOLS), "width_municipality": 100 * width_m / reps,
        "deff_low": float(np.percentile(deffs, 5)), "deff_high": float(np.percentile(deffs, 95)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--quick", action="store_true", help="100 replications")
    args = parser.parse_args(argv)
    reps = 100 if args.quick else args.reps
    started = time.perf_counter()
    print(f"{reps} replications x {SCHOOLS} schools, classes of 8-40 pupils, 3-8 classes per school")
    print(f"{'ICC':>5} {'school cover':>13} {'municip. cover':>15} {'school width':>13} {'mun. width':>11} {'school deff 5-95 %':>19}")
    worst = 1.0
    for i, icc in enumerate(ICCS):
        r = simulate(icc, reps, args.seed + i)
        worst = min(worst, r["school"], r["municipality"])
        print(
            f"{icc:>5.2f} {100 * r['school']:>12.1f}% {100 * r['municipality']:>14.1f}% "
            f"{r['width_school']:>10.1f} pp {r['width_municipality']:>8.1f} pp "
            f"{r['deff_low']:>9.2f}-{r['deff_high']:.2f}"
        )
    ok = worst >= REQUIRED
    print(f"lowest coverage {100 * worst:.1f} % (required >= {100 * REQUIRED:.0f} %): {'OK' if ok else 'TOO LOW'}"
          f" ({time.perf_counter() - started:.1f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
