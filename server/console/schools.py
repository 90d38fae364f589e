"""Schools and classes: list, add, edit, and CSV import."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.console._web import StaffDep, form_int, form_page, page
from surveys.accounts.access import require
from surveys.accounts.login import Staff
from surveys.errors import InvalidInput
from surveys.organisation.school_import import import_classes, import_schools
from surveys.organisation.schools import (
    SCHOOL_KINDS,
    add_class_to,
    add_school,
    get_class,
    get_school,
    list_classes,
    list_schools,
    update_class,
    update_school,
)

__all__ = [
    "create_class",
    "create_school",
    "edit_class",
    "edit_school",
    "get_school_page",
    "import_form",
    "import_submit",
    "list_schools_page",
    "new_class_form",
    "new_school_form",
    "save_class",
    "save_school",
]

IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_KINDS = {
    "schools": ("Importér skoler", "navn, type, klassetrin", "schools.manage"),
    "classes": ("Importér klasser", "skole, klasse, klassetrin, elever", "classes.manage"),
}


@get("/schools", name="console:schools")
async def list_schools_page(staff: StaffDep) -> Template:
    require(staff, "schools.view")
    schools = await list_schools(None if staff.all_schools else staff.school_ids)
    return await page("console/schools.html", staff, title="Skoler og klasser", schools=schools)


@get("/schools/new", name="console:school-new")
async def new_school_form(staff: StaffDep) -> Template:
    require(staff, "schools.manage")
    return await _school_form(staff, None, {})


async def _school_form(staff: Staff, school_id: int | None, values: dict, *, error=None, problems=None) -> Template:
    return await form_page(
        "console/school_form.html",
        staff,
        error=error,
        problems=problems,
        title="Ny skole" if school_id is None else "Ret skole",
        school_id=school_id,
        values=values,
        kinds=SCHOOL_KINDS,
    )


def _school_values(form) -> dict:
    return {"name": form.get("name") or "", "kind": form.get("kind") or "", "grades": form.get("grades") or ""}


@post("/schools", name="console:school-create")
async def create_school(request: Request, staff: StaffDep) -> Template | Redirect:
    require(staff, "schools.manage")
    values = _school_values(await request.form())
    try:
        school = await add_school(values["name"], kind=values["kind"], grades=values["grades"])
    except InvalidInput as exc:
        return await _school_form(staff, None, values, error=exc.message, problems=exc.problems)
    return Redirect(f"/console/schools/{school.id}", status_code=303)


@get("/schools/{school_id:int}", name="console:school")
async def get_school_page(staff: StaffDep, school_id: FromPath[int]) -> Template:
    require(staff, "schools.view", school_id)
    school = await get_school(school_id)
    return await page(
        "console/school.html", staff, title=school.name, school=school, classes=await list_classes(school_id)
    )


@get("/schools/{school_id:int}/edit", name="console:school-edit")
async def edit_school(staff: StaffDep, school_id: FromPath[int]) -> Template:
    require(staff, "schools.manage")
    school = await get_school(school_id)
    return await _school_form(staff, school_id, {"name": school.name, "kind": school.kind, "grades": school.grades})


@post("/schools/{school_id:int}", name="console:school-save")
async def save_school(request: Request, staff: StaffDep, school_id: FromPath[int]) -> Template | Redirect:
    require(staff, "schools.manage")
    values = _school_values(await request.form())
    try:
        await update_school(school_id, **values)
    except InvalidInput as exc:
        return await _school_form(staff, school_id, values, error=exc.message, problems=exc.problems)
    return Redirect(f"/console/schools/{school_id}", status_code=303)


async def _class_form(staff: Staff, school, class_id: int | None, values: dict, *, error=None, problems=None) -> Template:
    return await form_page(
        "console/class_form.html",
        staff,
        error=error,
        problems=problems,
        title="Ny klasse" if class_id is None else "Ret klasse",
        school=school,
        class_id=class_id,
        values=values,
    )


def _class_values(form) -> tuple[dict, dict, int | None, int | None]:
    problems: dict[str, str] = {}
    grade = form_int(form, "grade", required=False, problems=problems)
    pupils = form_int(form, "pupils", problems=problems)
    values = {"name": form.get("name") or "", "grade": form.get("grade") or "", "pupils": form.get("pupils") or ""}
    return values, problems, grade, pupils


@get("/schools/{school_id:int}/classes/new", name="console:class-new")
async def new_class_form(staff: StaffDep, school_id: FromPath[int]) -> Template:
    require(staff, "classes.manage", school_id)
    return await _class_form(staff, await get_school(school_id), None, {})


@post("/schools/{school_id:int}/classes", name="console:class-create")
async def create_class(request: Request, staff: StaffDep, school_id: FromPath[int]) -> Template | Redirect:
    require(staff, "classes.manage", school_id)
    school = await get_school(school_id)
    values, problems, grade, pupils = _class_values(await request.form())
    try:
        if problems:
            raise InvalidInput("Klassen blev ikke gemt.", problems)
        await add_class_to(school_id, name=values["name"], grade=grade, pupils=pupils or 0)
    except InvalidInput as exc:
        return await _class_form(staff, school, None, values, error=exc.message, problems=exc.problems)
    return Redirect(f"/console/schools/{school_id}", status_code=303)


@get("/classes/{class_id:int}/edit", name="console:class-edit")
async def edit_class(staff: StaffDep, class_id: FromPath[int]) -> Template:
    school_class = await get_class(class_id)
    require(staff, "classes.manage", school_class.school)
    values = {"name": school_class.name, "grade": "" if school_class.grade is None else school_class.grade, "pupils": school_class.pupils}
    return await _class_form(staff, await get_school(school_class.school), class_id, values)


@post("/classes/{class_id:int}", name="console:class-save")
async def save_class(request: Request, staff: StaffDep, class_id: FromPath[int]) -> Template | Redirect:
    school_class = await get_class(class_id)
    require(staff, "classes.manage", school_class.school)
    values, problems, grade, pupils = _class_values(await request.form())
    try:
        if problems:
            raise InvalidInput("Klassen blev ikke gemt.", problems)
        await update_class(class_id, name=values["name"], grade=grade, pupils=pupils or 0)
    except InvalidInput as exc:
        school = await get_school(school_class.school)
        return await _class_form(staff, school, class_id, values, error=exc.message, problems=exc.problems)
    return Redirect(f"/console/schools/{school_class.school}", status_code=303)


@get("/import/{kind:str}", name="console:import")
async def import_form(staff: StaffDep, kind: FromPath[str]) -> Template:
    title, columns, action = _import_kind(kind)
    require(staff, action)
    return await page("console/import.html", staff, title=title, kind=kind, columns=columns)


@post("/import/{kind:str}", name="console:import-submit", request_max_body_size=IMPORT_MAX_BYTES + 16 * 1024)
async def import_submit(request: Request, staff: StaffDep, kind: FromPath[str]) -> Template:
    title, columns, action = _import_kind(kind)
    require(staff, action)
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    try:
        if not data:
            raise InvalidInput("Vælg en CSV-fil.", {"fil": "ingen fil valgt"})
        if kind == "schools":
            result = await import_schools(data)
        else:
            result = await import_classes(data, allowed_school_ids=None if staff.all_schools else staff.school_ids)
    except InvalidInput as exc:
        return await page(
            "console/import.html", staff, status_code=422, title=title, kind=kind, columns=columns,
            error=exc.message, problems=exc.problems,
        )
    return await page("console/import.html", staff, title=title, kind=kind, columns=columns, result=result)


def _import_kind(kind: str) -> tuple[str, str, str]:
    if kind not in IMPORT_KINDS:
        from surveys.errors import NotFound

        raise NotFound("Siden findes ikke.")
    return IMPORT_KINDS[kind]
