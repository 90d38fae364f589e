"""Reading what a report needs from the database, and building it off the event loop.

``load_report_inputs`` is the async part (database reads only);
``make_report`` is the synchronous CPU part (analysis, charts, PDF), for a
worker thread (``exports.report.jobs`` runs both for the console).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from surveys.instruments import PUPIL_INSTRUMENT

from .build import Progress, ReportFiles, build_report
from .events import build_event_report
from .results import results_table, target_years

__all__ = ["EventInput", "ReportInputs", "load_report_inputs", "make_report", "results_of"]


@dataclass(frozen=True)
class EventInput:
    name: str
    held_on: dt.date | None
    instrument: Any
    answers: tuple[dict, ...]


@dataclass(frozen=True)
class ReportInputs:
    """What a report needs: the responses as a frame (the chosen years, the baseline and any
    year loaded to judge a target), the instrument with the municipality's targets, the
    published figures, the municipality's name and the theme days; ``demo`` when any of the
    responses is demo data."""

    frame: Any
    instrument: Any
    years: tuple[int, ...]
    baseline: int | None
    municipality: str = "Kommunen"
    events: tuple[EventInput, ...] = field(default_factory=tuple)
    references: tuple[Any, ...] = ()
    demo: bool = False
    held: int = 0  # submitted answers still held back (sealed): not in the frame, said on the front page


async def load_report_inputs(
    instrument_key: str = PUPIL_INSTRUMENT,
    years: Sequence[int] | None = None,
    baseline: int | None = None,
    *,
    with_events: bool = True,
) -> ReportInputs:
    """The responses (as an analysis frame), the instrument with the municipality's targets,
    the reference figures, the municipality's name and the theme days held in the report's
    years. ``years`` default to every year with responses."""
    from exports.source import Selection, load_responses, response_years
    from surveys.db.tables import Event, HeldResponse, Organisation, Response
    from surveys.errors import InvalidInput
    from surveys.responses.comparability import with_comparability
    from surveys.responses.frame import load_frame
    from surveys.responses.importing import stored_instrument
    from surveys.strategy.references import list_references
    from surveys.strategy.targets import load_targets, with_targets

    available = await response_years(instrument_key)
    chosen = tuple(sorted(set(years))) if years else tuple(available)
    if not chosen:
        raise InvalidInput(f"Der er ingen svar på {instrument_key} i de valgte år.")
    _, stored = await stored_instrument(instrument_key)
    instrument = await with_comparability(instrument_key, with_targets(stored, await load_targets(instrument_key)))
    extra = target_years(instrument, chosen, available)
    wanted = sorted(set(chosen) | ({baseline} if baseline is not None else set()) | extra)
    frame, _ = await load_frame(instrument_key, wanted)
    if frame.n == 0 or not set(chosen) & set(frame.years()):
        raise InvalidInput(f"Der er ingen svar på {instrument_key} i de valgte år.")
    if baseline is not None and baseline not in frame.years():
        raise InvalidInput(f"Der er ingen svar i basisåret {baseline}.")
    demo = await Response.exists().where((Response.source == "demo") & Response.year.is_in(wanted))
    held = await HeldResponse.count()
    organisation = await Organisation.select(Organisation.name).order_by(Organisation.id).first()
    events: list[EventInput] = []
    if with_events:
        for row in await Event.select(Event.id, Event.name, Event.held_on).order_by(Event.held_on):
            if row["held_on"] is not None and row["held_on"].year not in chosen:
                continue
            staff, records = await load_responses(Selection(event=row["id"]))
            events.append(EventInput(row["name"], row["held_on"], staff, tuple(dict(r.answers) for r in records)))
    return ReportInputs(
        frame, instrument, chosen, baseline, organisation["name"] if organisation else "Kommunen", tuple(events),
        tuple(await list_references(instrument_key)), demo, held,
    )


def results_of(
    inputs: ReportInputs, by: Sequence[str] = ("school",), threshold: int = 5, *, correction: str = "family"
) -> list[Any]:
    """The results table for ``inputs`` (what ``trivsel analyse`` writes and the report shows);
    ``correction`` is "family" or "report" (``--correction``)."""
    return results_table(
        inputs.frame, inputs.instrument, inputs.years, inputs.baseline, by, threshold, references=inputs.references,
        correction=correction,
    )


def make_report(
    inputs: ReportInputs,
    out_dir: str | Path,
    *,
    threshold: int = 5,
    generated_on: dt.date | None = None,
    progress: Progress | None = None,
    correction: str = "family",
) -> ReportFiles:
    """Analyse exactly as ``trivsel analyse`` does (grouped by school; ``correction`` as its
    ``--correction``) and write the report."""
    rows = results_of(inputs, ("school",), threshold, correction=correction)
    events = [
        build_event_report(e.name, e.held_on, e.instrument, e.answers, threshold=threshold) for e in inputs.events
    ]
    return build_report(
        rows, inputs.instrument, out_dir, years=inputs.years, baseline=inputs.baseline, threshold=threshold,
        municipality=inputs.municipality, n_responses=inputs.frame.n, events=events,
        generated_on=generated_on, progress=progress, references=inputs.references, demo=inputs.demo, held=inputs.held,
    )
