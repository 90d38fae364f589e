"""The municipality report built in the background, so that no console request waits minutes.

A job is a row of ``report_job``, so any app process can show its progress and
hand out the ZIP (PRODUCT.md: nothing in process memory that a second process
would need). The process that accepted the job builds it in a task (reading on
the event loop, analysis and drawing in a worker thread, one build at a time per
process so that pupils answering are not starved) and stores the ZIP in the row.
While it runs, the row's heartbeat moves every few seconds; a job whose
heartbeat stopped for ``STALE_AFTER`` (its process died) reads as failed.
Only a hash of the job's token is stored, as for links.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import secrets
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import anyio

from exports.report.build import zip_report
from exports.report.source import ReportInputs, load_report_inputs, make_report
from surveys.db.tables import ReportJob
from surveys.errors import InvalidInput
from surveys.hashing import hash_id
from surveys.instruments import PUPIL_INSTRUMENT

__all__ = [
    "FAILED_MESSAGE",
    "STALE_AFTER",
    "STOPPED_MESSAGE",
    "JobView",
    "report_job",
    "report_job_zip",
    "start_report_job",
    "stop_report_jobs",
]

log = logging.getLogger("trivsel.reports")

HEARTBEAT_S = 2.0
STALE_AFTER = dt.timedelta(minutes=5)
KEEP_FOR = dt.timedelta(days=1)
FAILED_MESSAGE = "Der skete en fejl under opbygningen. Prøv igen; sker det igen, så kontakt jeres administrator."
STOPPED_MESSAGE = "Serveren blev genstartet, mens rapporten blev bygget. Prøv igen."

Status = Literal["running", "done", "failed"]


@dataclass(frozen=True)
class JobView:
    """What the console shows of a job."""

    status: Status
    step: str
    message: str
    filename: str
    years: tuple[int, ...]
    baseline: int | None


_tasks: dict[asyncio.Task, str] = {}  # this process's builds (strong references) and their token hashes
_one_build = threading.Lock()  # the CPU-heavy part, one at a time per process


async def start_report_job(
    staff_id: int, years: Sequence[int], baseline: int | None, *, threshold: int
) -> str:
    """Record a new job, start building it in this process, and return its token."""
    token = secrets.token_urlsafe(18)
    key = hash_id(token)
    now = _now()
    await ReportJob.delete().where(ReportJob.created_at < now - KEEP_FOR)
    await ReportJob.insert(
        ReportJob(
            token_hash=key, created_by=staff_id, years=",".join(str(y) for y in sorted(years)),
            baseline=baseline, status="running", step="Henter svarene", created_at=now, heartbeat_at=now,
        )
    )
    task = asyncio.get_running_loop().create_task(_build(key, sorted(years), baseline, threshold))
    _tasks[task] = key
    task.add_done_callback(lambda done: _tasks.pop(done, None))
    return token


async def report_job(token: str) -> JobView | None:
    """The job with this token, or None."""
    row = await (
        ReportJob.select(
            ReportJob.status, ReportJob.step, ReportJob.message, ReportJob.filename, ReportJob.years,
            ReportJob.baseline, ReportJob.heartbeat_at,
        )
        .where(ReportJob.token_hash == hash_id(token))
        .first()
    )
    if row is None:
        return None
    status, message = row["status"], row["message"]
    if status == "running" and _now() - row["heartbeat_at"] > STALE_AFTER:
        status, message = "failed", STOPPED_MESSAGE
    years = tuple(int(y) for y in row["years"].split(",") if y)
    return JobView(status, row["step"], message, row["filename"], years, row["baseline"])


async def report_job_zip(token: str) -> tuple[str, bytes] | None:
    """The finished job's file name and ZIP, or None if there is no finished job with this token."""
    row = await (
        ReportJob.select(ReportJob.filename, ReportJob.result)
        .where(ReportJob.token_hash == hash_id(token), ReportJob.status == "done")
        .first()
    )
    return None if row is None or row["result"] is None else (row["filename"], bytes(row["result"]))


async def stop_report_jobs() -> None:
    """Cancel this process's builds (the app is stopping) and mark their jobs failed."""
    running = dict(_tasks)
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    if running:
        await ReportJob.update(
            {ReportJob.status: "failed", ReportJob.message: STOPPED_MESSAGE, ReportJob.step: ""}
        ).where(ReportJob.token_hash.is_in(list(running.values())), ReportJob.status == "running")


async def _build(key: str, years: list[int], baseline: int | None, threshold: int) -> None:
    state = {"step": "Henter svarene"}
    heartbeat = asyncio.get_running_loop().create_task(_heartbeat(key, state))
    try:
        with tempfile.TemporaryDirectory(prefix="trivsel-report-") as folder:
            inputs = await load_report_inputs(PUPIL_INSTRUMENT, years, baseline)
            state["step"] = "Venter på en anden rapport" if _one_build.locked() else "Beregner"
            files = await anyio.to_thread.run_sync(
                functools.partial(_make, inputs, Path(folder) / "rapport", threshold, state), abandon_on_cancel=True
            )
            data = await anyio.to_thread.run_sync(zip_report, files)
    except InvalidInput as exc:
        outcome = {ReportJob.status: "failed", ReportJob.message: exc.message}
    except Exception:  # noqa: BLE001 - the analyst gets a page that says so; the log gets the trace
        log.exception("a report job failed")
        outcome = {ReportJob.status: "failed", ReportJob.message: FAILED_MESSAGE}
    else:
        outcome = {ReportJob.status: "done", ReportJob.result: data, ReportJob.filename: f"rapport-{years[-1]}.zip"}
    finally:
        heartbeat.cancel()  # also when this build is cancelled: ``stop_report_jobs`` marks it
    await asyncio.gather(heartbeat, return_exceptions=True)
    await ReportJob.update({**outcome, ReportJob.step: "", ReportJob.heartbeat_at: _now()}).where(
        ReportJob.token_hash == key
    )


def _make(inputs: ReportInputs, out: Path, threshold: int, state: dict[str, str]):
    with _one_build:
        def progress(_what: str, done: int, total: int) -> None:
            state["step"] = f"Beregner og tegner: del {done} af {total}"

        state["step"] = "Beregner"
        files = make_report(inputs, out, threshold=threshold, progress=progress)
        state["step"] = "Pakker ZIP-filen"
        return files


async def _heartbeat(key: str, state: dict[str, str]) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        try:
            await ReportJob.update({ReportJob.heartbeat_at: _now(), ReportJob.step: state["step"][:200]}).where(
                ReportJob.token_hash == key, ReportJob.status == "running"
            )
        except Exception:  # noqa: BLE001 - a missed beat is harmless; the next one tries again
            log.warning("report job heartbeat failed", exc_info=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
