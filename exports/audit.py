"""The audit of raw exports: every export of full microdata is written down (who, when,
which wave, event or years, why), and admins can list them (Console → Rapport og eksport)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from surveys.db.tables import RawExport
from surveys.errors import InvalidInput

__all__ = ["MIN_REASON", "RawExportEntry", "describe_selection", "raw_exports", "record_raw_export", "valid_reason"]

MIN_REASON = 10  # characters: a reason, not "x"


@dataclass(frozen=True, slots=True)
class RawExportEntry:
    who: str
    at: dt.datetime
    selection: str
    format: str
    rows: int
    reason: str


def valid_reason(reason: str | None) -> str:
    """The reason, stripped; :class:`InvalidInput` if it is missing or too short to be one."""
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON:
        raise InvalidInput(f"Skriv hvorfor der skal bruges rå data (mindst {MIN_REASON} tegn).")
    return text[:2000]


def describe_selection(wave: int | None, event: int | None, years: Sequence[int]) -> str:
    if wave is not None:
        return f"måling {wave}"
    if event is not None:
        return f"temadag {event}"
    return "år " + ", ".join(str(y) for y in sorted(years)) if years else "alle år"


async def record_raw_export(
    who: str, *, wave: int | None, event: int | None, years: Sequence[int], fmt: str, rows: int, reason: str
) -> None:
    """Write the audit entry of one raw export (before the file is handed out)."""
    await RawExport(
        who=who[:320], created_at=dt.datetime.now(dt.timezone.utc), wave=wave, event=event,
        selection=describe_selection(wave, event, years), format=fmt, rows=rows, reason=valid_reason(reason),
    ).save()


async def raw_exports(limit: int = 200) -> list[RawExportEntry]:
    """The newest raw exports first."""
    rows = await RawExport.select().order_by(RawExport.created_at, ascending=False).order_by(RawExport.id, ascending=False).limit(limit)
    return [RawExportEntry(r["who"], r["created_at"], r["selection"], r["format"], r["rows"], r["reason"]) for r in rows]
