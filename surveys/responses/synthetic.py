"""Synthetic pupil responses with planted, documented effects (demos, tests, benchmarks).

Every school has ``pupils`` respondents per year, spread over grades 7, 8 and
9 in classes of at most 25 ("7.a", "7.b", ...). Answers follow the
instrument: every variable gets a valid code, 3 % of questions are skipped,
sensitive questions are declined (98) by 2 %, and ``show_if`` conditions are
respected. Pupils in the same class share a random class effect (normal, SD
0.3 on the logit scale for shares, 0.3 scale points for scale items), so
class clustering and a design effect above 1 are real.

Planted effects (``effects=True``), everything else is null - the same
expected value in every school and year:

1. **Skole 01 has a clearly higher hash share**: ``har_proevet_hash`` is 35 %
   there against 20 % in every other school, in every year;
2. **a falling municipal trend**: ``drukket_sig_fuld_seneste_maaned`` is 30 %
   in the first year and falls 3 percentage points a year in every school.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from analysis.frame import MISSING, ResponseFrame, frame_from_columns
from surveys.instruments import DECLINE_CODE, Instrument
from surveys.responses.csv_format import CsvResponse

__all__ = [
    "HIGH_HASH_SCHOOL",
    "PLANTED",
    "SyntheticResponses",
    "school_names",
    "synthetic_responses",
]

HIGH_HASH_SCHOOL = "Skole 01"
HASH, DRUNK = "har_proevet_hash", "drukket_sig_fuld_seneste_maaned"
PLANTED = {
    HASH: "Skole 01: 35 % mod 20 % på alle andre skoler, alle år",
    DRUNK: "30 % det første år, falder 3 procentpoint om året på alle skoler",
}
BASE_SHARE = {
    HASH: 0.20, DRUNK: 0.30, "ved_hvor_man_kan_faa_hjaelp": 0.60, "kender_ung_rus": 0.40,
    "har_proevet_andre_stoffer": 0.92,  # the chance of ticking "Nej, ingen af dem": 8 % have tried
}
DEFAULT_SHARE = 0.15
CLASS_SD = 0.3
CLASS_SIZE = 25
SKIP, DECLINE = 0.03, 0.02
GRADES = (7, 8, 9)


def school_names(count: int) -> list[str]:
    """``Skole 01`` ... ``Skole NN``."""
    return [f"Skole {i:02d}" for i in range(1, count + 1)]


@dataclass(frozen=True, eq=False)
class SyntheticResponses:
    """Responses as columns: context arrays and one int32 column per variable
    (``analysis.frame.MISSING`` = not answered)."""

    year: np.ndarray
    school: np.ndarray
    school_names: tuple[str, ...]
    cluster: np.ndarray
    class_names: tuple[str, ...]
    grade: np.ndarray
    columns: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(self.year)

    def frame(self, instrument: Instrument) -> ResponseFrame:
        return frame_from_columns(
            instrument, year=self.year, school=self.school, school_names=self.school_names,
            cluster=self.cluster, grade=self.grade, columns=self.columns,
        )

    def rows(self) -> Iterator[CsvResponse]:
        """The responses one by one, with canonical answers (for CSV and the database)."""
        names = list(self.columns)
        matrix = np.column_stack([self.columns[n] for n in names]) if names else np.zeros((self.n, 0), int)
        for i in range(self.n):
            answers = {name: int(v) for name, v in zip(names, matrix[i].tolist()) if v != MISSING}
            yield CsvResponse(
                int(self.year[i]), self.school_names[self.school[i]], self.class_names[self.cluster[i]],
                int(self.grade[i]), "da", answers,
            )


def _class_parts(members: np.ndarray, sizes: tuple[int, int] | None, rng: np.random.Generator) -> list[np.ndarray]:
    """A grade's pupils split into classes: even classes of at most ``CLASS_SIZE``, or random
    sizes within ``sizes`` (the last class takes the rest, so it may fall below the range)."""
    if sizes is None:
        return np.array_split(members, max(1, -(-len(members) // CLASS_SIZE)))
    low, high = sizes
    parts, start = [], 0
    while len(members) - start > high:
        size = int(rng.integers(low, max(low, min(high, len(members) - start - low)) + 1))
        parts.append(members[start:start + size])
        start += size
    return parts + [members[start:]]


def _classes(schools: int, years: list[int], pupils: int, sizes: tuple[int, int] | None, rng: np.random.Generator):
    """Context arrays: every school x year has ``pupils`` pupils in grade classes."""
    year, school, cluster, grade, names = [], [], [], [], []
    per_grade = np.array_split(np.arange(pupils), len(GRADES))
    for y in years:
        for s in range(schools):
            for g, members in zip(GRADES, per_grade):
                for c, part in enumerate(_class_parts(members, sizes, rng)):
                    names.append(f"{g}.{chr(ord('a') + c)}")
                    k = len(part)
                    year.append(np.full(k, y))
                    school.append(np.full(k, s))
                    cluster.append(np.full(k, len(names) - 1))
                    grade.append(np.full(k, g))
    def join(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    return join(year, np.int32), join(school, np.int32), join(cluster, np.int64), join(grade, np.int32), tuple(names)


def _share_probability(ind_id: str, year_index: np.ndarray, school: np.ndarray, effects: bool) -> np.ndarray:
    p = np.full(year_index.size, BASE_SHARE.get(ind_id, DEFAULT_SHARE))
    if effects and ind_id == HASH:
        p = np.where(school == 0, 0.35, p)
    if effects and ind_id == DRUNK:
        p = p - 0.03 * year_index
    return p


def synthetic_responses(
    instrument: Instrument,
    *,
    schools: int,
    years: list[int],
    pupils: int,
    seed: int = 0,
    effects: bool = True,
    class_sizes: tuple[int, int] | None = None,
) -> SyntheticResponses:
    """Synthetic responses for ``schools`` x ``years`` x ``pupils`` (see module docstring);
    ``class_sizes=(8, 40)`` draws unequal class sizes instead of even classes of <= 25."""
    if schools < 1 or pupils < 1 or not years:
        raise ValueError("need at least one school, one year and one pupil")
    rng = np.random.default_rng(seed)
    years = sorted(years)
    year, school, cluster, grade, class_names = _classes(schools, years, pupils, class_sizes, rng)
    n, n_clusters = year.size, len(class_names)
    year_index = np.searchsorted(np.asarray(years), year)
    shares = {i.variable: i for i in instrument.indicators if i.kind == "share" and i.variable}
    items = {name: i for i in instrument.indicators if i.kind == "mean" for name in i.items}
    columns: dict[str, np.ndarray] = {}

    def class_effect() -> np.ndarray:
        return rng.normal(0.0, CLASS_SD, n_clusters)[cluster]

    for question in instrument.questions():
        variables = question.variables()
        skipped = rng.random(n) < SKIP
        declined = (rng.random(n) < DECLINE) if question.sensitive else np.zeros(n, bool)
        if question.id == "klassetrin":
            columns[question.id] = grade.copy()
            continue
        if question.type == "text":
            continue
        if question.type == "multi":
            for v in variables:
                ind = shares.get(v.name)
                if v.name == f"{question.id}_{DECLINE_CODE}":
                    col = declined.astype(np.int32)
                else:
                    p = _share_probability(ind.id, year_index, school, effects) if ind else np.full(n, 0.2)
                    col = np.where(declined, 0, _bernoulli(rng, p, class_effect()))
                columns[v.name] = np.where(skipped, MISSING, col).astype(np.int32)
            continue
        for v in variables:
            col = _variable(rng, question, v.name, shares, items, year_index, school, effects, class_effect)
            col = np.where(declined, DECLINE_CODE, col)
            columns[v.name] = np.where(skipped, MISSING, col).astype(np.int32)
    _apply_conditions(instrument, columns)
    return SyntheticResponses(year, school, tuple(school_names(schools)), cluster, class_names, grade, columns)


def _bernoulli(rng: np.random.Generator, p: np.ndarray, effect: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p)) + effect
    return (rng.random(p.size) < 1 / (1 + np.exp(-logit))).astype(np.int32)


def _variable(rng, question, name, shares, items, year_index, school, effects, class_effect) -> np.ndarray:
    n = year_index.size
    codes = np.asarray([c for c in question.codes if c != DECLINE_CODE]) if question.codes else None
    if name in shares:
        ind = shares[name]
        hit = _bernoulli(rng, _share_probability(ind.id, year_index, school, effects), class_effect()).astype(bool)
        if codes is None:
            low, high = question.value_range()
            pool = np.arange(low, high + 1)
        else:
            pool = codes
        yes = np.asarray([c for c in pool if c in ind.yes])
        no = np.asarray([c for c in pool if c not in ind.yes])
        return np.where(hit, rng.choice(yes, n), rng.choice(no, n)).astype(np.int32)
    if name in items or question.type in ("scale", "likert", "matrix", "number"):
        low, high = question.value_range() or (int(codes.min()), int(codes.max()))
        centre = low + 0.65 * (high - low)
        spread = max(1.0, (high - low) / 4)
        raw = centre + class_effect() + rng.normal(0.0, spread, n)
        return np.clip(np.rint(raw), low, high).astype(np.int32)
    return rng.choice(codes, n).astype(np.int32)


def _apply_conditions(instrument: Instrument, columns: dict[str, np.ndarray]) -> None:
    """Hide answers to questions whose ``show_if`` fails (in questionnaire order)."""
    for question in instrument.questions():
        cond = question.show_if
        if cond is None:
            continue
        codes = np.asarray(cond.in_)
        implied = question.skip_implies
        if implied is not None and cond.question in columns and question.id in columns:
            _consistent_parent(columns, cond.question, question.id, codes, implied)
        if cond.question in columns:
            visible = np.isin(columns[cond.question], codes)
        else:
            visible = np.zeros(next(iter(columns.values())).size, bool)
            for code in cond.in_:
                visible |= columns.get(f"{cond.question}_{code}", np.zeros(visible.size, np.int32)) == 1
        for v in question.variables():
            if v.name in columns:
                columns[v.name] = np.where(visible, columns[v.name], MISSING).astype(np.int32)
        if implied is not None and cond.question in columns and question.id in columns:
            parent = columns[cond.question]
            skipped = ~visible & (parent != MISSING) & (parent != DECLINE_CODE)
            columns[question.id] = np.where(skipped, implied, columns[question.id]).astype(np.int32)


def _consistent_parent(columns: dict[str, np.ndarray], parent_id: str, child_id: str, codes: np.ndarray,
                       implied: int) -> None:
    """A pupil drawn as, say, drunk last month has drunk alcohol: the parent answer of a child that
    says more than its implied answer is one that shows the child (as ``Instrument.complete`` assumes)."""
    parent, child = columns[parent_id], columns[child_id]
    says_more = (child != MISSING) & (child != DECLINE_CODE) & (child != implied)
    answered = (parent != MISSING) & (parent != DECLINE_CODE)
    columns[parent_id] = np.where(says_more & answered & ~np.isin(parent, codes), codes[0], parent).astype(np.int32)
