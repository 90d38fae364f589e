"""Targets and reference figures (Console → Mål og landstal), for admins and analysts.

The same services as ``trivsel targets`` and ``trivsel reference``: a target per
indicator (the instrument file's is the default; "intet mål" removes it) and
published figures imported from CSV, all or nothing.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.console._web import StaffDep, form_page, page
from surveys.accounts.access import require
from surveys.accounts.login import Staff
from surveys.errors import InvalidInput
from surveys.instruments import PUPIL_INSTRUMENT
from surveys.responses.importing import stored_instrument
from surveys.strategy.reference_csv import COLUMNS
from surveys.strategy.references import delete_reference, import_references, list_references
from surveys.strategy.targets import NO_TARGET, OPERATORS, check_target, remove_target, save_target, target_lines, target_text

__all__ = ["delete_figure", "remove_indicator_target", "save_indicator_target", "strategy_page", "upload_figures"]

UPLOAD_MAX_BYTES = 512 * 1024
_SAVED = {"target": "Målet er gemt.", "removed": "Kommunens mål er fjernet; spørgeskemaets mål gælder igen.",
          "deleted": "Tallet er slettet."}


def _number(value: float) -> str:
    """``3,78`` (a decimal comma, no trailing zeros)."""
    return f"{value:g}".replace(".", ",").replace("-", "\u2212")


async def _page(staff: Staff, *, status_code: int = 200, values: dict | None = None, error: str | None = None,
                problems: dict | None = None, result=None, saved: str = "") -> Template:
    _, instrument = await stored_instrument(PUPIL_INSTRUMENT)
    return await form_page(
        "console/strategy.html", staff, status_code=status_code, error=error, problems=problems,
        title="Mål og landstal", lines=await target_lines(instrument), figures=await list_references(instrument.id),
        labels={i.id: i.labelled("da") for i in instrument.indicators}, operators=OPERATORS, no_target=NO_TARGET,
        target_text=target_text, number=_number, columns=", ".join(COLUMNS), values=values or {}, result=result,
        saved=_SAVED.get(saved, ""),
    )


@get("/strategy", name="console:strategy")
async def strategy_page(request: Request, staff: StaffDep) -> Template:
    require(staff, "strategy.manage")
    return await _page(staff, saved=request.query_params.get("saved", ""))


@post("/strategy/targets", name="console:target-save", status_code=303)
async def save_indicator_target(request: Request, staff: StaffDep) -> Template | Redirect:
    require(staff, "strategy.manage")
    form = await request.form()
    values = {key: str(form.get(key) or "") for key in ("indicator", "op", "value", "year")}
    _, instrument = await stored_instrument(PUPIL_INSTRUMENT)
    try:
        choice = check_target(instrument, values["indicator"], values["op"], values["value"], values["year"])
    except InvalidInput as exc:
        return await _page(staff, status_code=422, values=values, error=exc.message, problems=exc.problems)
    await save_target(instrument, choice)
    return Redirect("/console/strategy?saved=target", status_code=303)


@post("/strategy/targets/{indicator:str}/remove", name="console:target-remove", status_code=303)
async def remove_indicator_target(staff: StaffDep, indicator: FromPath[str]) -> Redirect:
    require(staff, "strategy.manage")
    await remove_target(PUPIL_INSTRUMENT, indicator)
    return Redirect("/console/strategy?saved=removed", status_code=303)


@post("/strategy/references", name="console:references-upload", request_max_body_size=UPLOAD_MAX_BYTES + 16 * 1024)
async def upload_figures(request: Request, staff: StaffDep) -> Template:
    require(staff, "strategy.manage")
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    _, instrument = await stored_instrument(PUPIL_INSTRUMENT)
    try:
        if not data:
            raise InvalidInput("Vælg en CSV-fil.", {"fil": "ingen fil valgt"})
        result = await import_references(data, instrument)
    except InvalidInput as exc:
        return await _page(staff, status_code=422, error=exc.message, problems=exc.problems)
    return await _page(staff, result=result)


@post("/strategy/references/{figure_id:int}/delete", name="console:reference-delete", status_code=303)
async def delete_figure(staff: StaffDep, figure_id: FromPath[int]) -> Redirect:
    require(staff, "strategy.manage")
    await delete_reference(figure_id)
    return Redirect("/console/strategy?saved=deleted", status_code=303)
