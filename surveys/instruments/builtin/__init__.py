"""The instrument files shipped with trivsel (one ``<id>.toml`` per instrument)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["INSTRUMENT_DIR", "PUPIL_INSTRUMENT", "STAFF_INSTRUMENT", "builtin_paths"]

INSTRUMENT_DIR = Path(__file__).parent
# The ids of the two instruments shipped here (each the ``id`` in its file).
PUPIL_INSTRUMENT = "ung-trivsel-rusmidler"
STAFF_INSTRUMENT = "temadag-evaluering"


def builtin_paths() -> list[Path]:
    """The built-in instrument files, sorted by name."""
    return sorted(INSTRUMENT_DIR.glob("*.toml"))
