"""The README's figures for code guessing are the ones the real limits give."""

from __future__ import annotations

from pathlib import Path

from surveys.answering.code_entry import (
    CODE_FAILURES_PER_WINDOW,
    CODE_GLOBAL_FAILURES_PER_WINDOW,
    CODE_SPACE,
    CODE_WINDOW_S,
    expected_hits_per_hour,
)

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_code_space_and_limits_are_the_ones_the_readme_names() -> None:
    assert CODE_SPACE == 19**8
    assert f"{CODE_FAILURES_PER_WINDOW} per {CODE_WINDOW_S // 60} minutes" in README
    assert f"{CODE_GLOBAL_FAILURES_PER_WINDOW:,} per {CODE_WINDOW_S // 60}" in README


def test_expected_hits_per_hour_in_the_readme() -> None:
    one = expected_hits_per_hour(CODE_FAILURES_PER_WINDOW)
    everyone = expected_hits_per_hour(CODE_GLOBAL_FAILURES_PER_WINDOW)
    per_hour = 3600 // CODE_WINDOW_S
    assert f"| one address (IPv4) | {CODE_FAILURES_PER_WINDOW * per_hour:,} | {one:.5f} (one in about {1 / one / 24:.0f} days" in README
    assert f"| one IPv6 /64 (65,536 × 2^48 addresses) | {CODE_FAILURES_PER_WINDOW * per_hour:,} | {one:.5f}" in README
    assert f"| {CODE_GLOBAL_FAILURES_PER_WINDOW * per_hour:,} | {everyone:.5f} (one in about {1 / everyone / 24:.0f} days" in README
    # A /64 keyed per address, as before issue 18: 65,536 addresses' worth of guesses.
    before = expected_hits_per_hour(CODE_FAILURES_PER_WINDOW * 65_536)
    assert f"before the /64 key: about {before:.0f} per hour" in README


def test_the_figures_are_what_the_issue_measured() -> None:
    # 19^8 codes, 5,000 live: about 23 hits an hour for a /64 before; far below one a day now.
    assert 22 < expected_hits_per_hour(CODE_FAILURES_PER_WINDOW * 65_536) < 24
    assert expected_hits_per_hour(CODE_GLOBAL_FAILURES_PER_WINDOW) * 24 < 0.05
