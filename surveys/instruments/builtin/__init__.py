"""The instrument files shipped with trivsel (one ``<id>.toml`` per instrument)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["INSTRUMENT_DIR", "builtin_paths"]

INSTRUMENT_DIR = Path(__file__).parent


def builtin_paths() -> list[Path]:
    """The built-in instrument files, sorted by name."""
    return sorted(INSTRUMENT_DIR.glob("*.toml"))
