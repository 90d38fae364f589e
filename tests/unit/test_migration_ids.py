"""Every migration has its own ID: Piccolo records applied migrations by ID, so a second file with the
same ID would be skipped silently (two branches picked the same hour once)."""

from __future__ import annotations

import re
from pathlib import Path

__all__: list[str] = []

FOLDER = Path(__file__).resolve().parents[2] / "surveys" / "db" / "piccolo_migrations"


def test_migration_ids_are_unique() -> None:
    ids = [re.search(r'^ID = "([^"]+)"', path.read_text(), re.M).group(1) for path in sorted(FOLDER.glob("surveys_*.py"))]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
