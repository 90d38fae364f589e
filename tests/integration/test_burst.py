"""The short form of ``benchmarks/burst.py``: 150 pupils at once against a real server process
that is killed with SIGKILL and restarted mid-way; 20 % double-tap or lose the reply to their
final submit. Every acknowledged submission is stored exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from benchmarks.burst import run_burst
from tests.figures import note

pytestmark = pytest.mark.slow


def test_burst_with_a_killed_server(database_url, tmp_path) -> None:
    outcome = run_burst(database_url, 150, tmp_path, classes=6)
    kind = database_url.split(":", 1)[0]
    note("burst " + outcome.report(kind))
    assert outcome.kills == 1 and outcome.double_taps == 15 and outcome.dropped_replies == 15
    assert outcome.problems == []
    assert outcome.thanked == outcome.counts["used_links"] == outcome.counts["responses"] == 150
    assert outcome.counts["drafts"] == 0
