"""The instrument files shipped with trivsel (one ``<id>.toml`` per instrument)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["INSTRUMENT_DIR", "PUPIL_INSTRUMENT", "STAFF_INSTRUMENT", "VERSIONS_DIR", "builtin_paths"]

INSTRUMENT_DIR = Path(__file__).parent
# Earlier versions, kept so that every database holds them and their years stay readable.
VERSIONS_DIR = INSTRUMENT_DIR / "versions"
# The ids of the two instruments shipped here (each the ``id`` in its file).
PUPIL_INSTRUMENT = "ung-trivsel-rusmidler"
STAFF_INSTRUMENT = "temadag-evaluering"


def builtin_paths(directory: Path = INSTRUMENT_DIR) -> list[Path]:
    """The built-in instrument files (the newest versions, or those in ``directory``), sorted by name."""
    return sorted(directory.glob("*.toml"))
