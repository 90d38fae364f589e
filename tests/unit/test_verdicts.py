"""The verdict of a results row is decided once, in the analysis, and the report reads it:
targets from ``target_check``, differences from the corrected p-value; the conclusion's words,
the school chart's bars and the goal table on page 1 all agree with it."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.table import analyse
from analysis.target import target_check
from analysis.verdicts import DIFFERENCE_VERDICTS, OMNIBUS_VERDICTS, TARGET_VERDICTS, difference_verdict
from exports.report.model import build_model
from surveys.instruments import PUPIL_INSTRUMENT, builtin_instruments
from surveys.responses.synthetic import HIGH_HASH_SCHOOL, synthetic_responses

PUPIL = builtin_instruments()[PUPIL_INSTRUMENT]
YEARS = [2024, 2025, 2026]


@pytest.fixture(scope="module")
def rows():
    # 500 pupils a school: with design-based tests on each school's own classes (issue 17) the planted
    # +15 points of Skole 01 needs them to stay significant after BH over 96 tests a year
    data = synthetic_responses(PUPIL, schools=8, years=[2022, *YEARS], pupils=500, seed=11)
    return analyse(data.frame(PUPIL), PUPIL, YEARS, baseline=2022, by=("school",))


def test_every_row_has_the_verdict_of_its_kind(rows) -> None:
    for row in rows:
        if row.suppressed or row.comparison == "estimate" or (row.comparison != "target" and row.p_adjusted is None):
            assert row.verdict is None, row
        elif row.comparison == "target":
            assert row.verdict in TARGET_VERDICTS
        elif row.comparison == "omnibus":  # all schools together (issue 17)
            assert row.verdict in OMNIBUS_VERDICTS
            assert row.conclusion.startswith("signifikant") == (row.verdict == "different")
        else:
            assert row.verdict in DIFFERENCE_VERDICTS
            assert row.verdict == difference_verdict(row.diff, row.p_adjusted, 0.05, row.diff_ci_low, row.diff_ci_high)
    assert {r.verdict for r in rows if r.comparison == "target"} >= {"met"}
    assert {r.verdict for r in rows if r.comparison == "vs_rest"} >= {"higher", "not_significant"}


def test_target_verdicts_are_target_checks_and_the_words_agree(rows) -> None:
    indicators = {ind.id: ind for ind in PUPIL.indicators}
    for row in (r for r in rows if r.comparison == "target" and not r.suppressed):
        ind = indicators[row.indicator]
        scale = 100.0 if ind.kind == "share" else 1.0
        check = target_check(row.estimate / scale, row.ci_low / scale, row.ci_high / scale, ind.target.op, ind.target.value)
        assert row.verdict == check.verdict
        assert ("er ikke nået" in row.conclusion) == (row.verdict == "not_met")
        assert row.conclusion.startswith("Det kan endnu ikke afgøres") == (row.verdict == "uncertain")


def test_difference_words_follow_the_verdict(rows) -> None:
    for row in (r for r in rows if r.verdict in DIFFERENCE_VERDICTS):
        assert row.conclusion.startswith("signifikant") == (row.verdict != "not_significant"), row
    (high,) = [r for r in rows if r.comparison == "vs_rest" and r.group == HIGH_HASH_SCHOOL and r.year == 2026
               and r.indicator == "har_proevet_hash"]
    assert high.verdict == "higher"


def test_the_report_reads_the_verdicts_instead_of_deciding_them(rows) -> None:
    report = build_model(rows, PUPIL, years=YEARS, baseline=2022)
    targets = {r.indicator: r for r in rows if r.comparison == "target" and r.dimension == "municipality" and r.year == 2026}
    assert {goal.verdict_key for goal in report.goals} >= {"met", "none"}
    for goal in report.goals:
        assert goal.verdict_key == (targets[goal.indicator].verdict if goal.indicator in targets else "none")
    # Flip every verdict in the rows: the report follows the rows, it does not recompute.
    flipped = {"met": "not_met", "not_met": "met", "uncertain": "uncertain", "higher": "lower", "lower": "higher",
               "none": "none"}
    swapped = [dataclasses.replace(r, verdict=flipped.get(r.verdict, r.verdict)) for r in rows]
    again = build_model(swapped, PUPIL, years=YEARS, baseline=2022)
    for before, after in zip(report.goals, again.goals):
        assert after.verdict_key == flipped[before.verdict_key]
    section = next(s for s in again.sections if s.id == "har_proevet_hash")
    bars = section.charts[0].args[1]
    assert next(b for b in bars if b.label == HIGH_HASH_SCHOOL).versus == "lower"
