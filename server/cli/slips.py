"""``trivsel links create ... --pdf FILE``: the same print-ready slips as the console makes."""

from __future__ import annotations

from pathlib import Path

from exports.slips import Slip, slips_pdf
from server.cli._runtime import run_db
from server.settings import Settings
from surveys.answering.links import IssuedLink

__all__ = ["write_slips_for"]


def write_slips_for(
    settings: Settings,
    path: Path,
    issued: list[IssuedLink],
    *,
    wave_id: int | None,
    event_id: int | None,
    school: str | None,
    class_name: str | None,
) -> None:
    """Write an A4 slip PDF for freshly issued links, headed by the wave's or event's name."""
    from server.console.slips import typing_address

    async def heading(engine) -> str:
        from surveys.db.tables import Event, Wave

        if event_id is not None:
            row = await Event.select(Event.name).where(Event.id == event_id).first()
        else:
            row = await Wave.select(Wave.name).where(Wave.id == wave_id).first()
        return row["name"] if row else "trivsel"

    label = " ".join(part for part in (school, class_name) if part) or "Evaluering"
    pdf = slips_pdf(
        [Slip(link, label) for link in issued], heading=run_db(settings, heading), typing_address=typing_address(settings.base_url)
    )
    path.write_bytes(pdf)
