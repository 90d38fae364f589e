"""Staff accounts, for admins: list, create (with a one-time password), edit, deactivate, reset."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.console._web import StaffDep, form_int, form_page, page
from surveys.accounts.access import require
from surveys.accounts.login import Staff
from surveys.accounts.users import ROLES, SCHOOL_ROLES, create_user, get_user, list_users, reset_password, update_user
from surveys.errors import Conflict, InvalidInput
from surveys.organisation.schools import list_schools

__all__ = ["create_user_submit", "edit_user", "new_user_form", "reset_user_password", "save_user", "users_page"]


@get("/users", name="console:users")
async def users_page(staff: StaffDep) -> Template:
    require(staff, "users.manage")
    return await page("console/users.html", staff, title="Brugere", users=await list_users())


@get("/users/new", name="console:user-new")
async def new_user_form(staff: StaffDep) -> Template:
    require(staff, "users.manage")
    return await _user_form(staff, None, {"email": "", "role": "teacher", "schools": [], "active": True})


@post("/users", name="console:user-create")
async def create_user_submit(request: Request, staff: StaffDep) -> Template:
    require(staff, "users.manage")
    values, problems = _user_values(await request.form())
    try:
        if problems:
            raise InvalidInput("Formularen har fejl.", problems)
        user, password = await create_user(values["email"], values["role"], school_ids=values["schools"])
    except (InvalidInput, Conflict) as exc:
        return await _user_form(staff, None, values, error=exc.message, problems=getattr(exc, "problems", {}))
    return await _one_time_password(staff, user.email, password, new=True)


@get("/users/{user_id:int}", name="console:user")
async def edit_user(staff: StaffDep, user_id: FromPath[int]) -> Template:
    require(staff, "users.manage")
    user = await get_user(user_id)
    values = {"email": user.email, "role": user.role, "schools": list(user.school_ids), "active": user.active}
    return await _user_form(staff, user_id, values)


@post("/users/{user_id:int}", name="console:user-save")
async def save_user(request: Request, staff: StaffDep, user_id: FromPath[int]) -> Template | Redirect:
    require(staff, "users.manage")
    user = await get_user(user_id)
    values, problems = _user_values(await request.form())
    values["email"] = user.email  # the login name does not change; make a new user instead
    try:
        if problems:
            raise InvalidInput("Formularen har fejl.", problems)
        await update_user(user_id, role=values["role"], school_ids=values["schools"], active=values["active"],
                          acting_user_id=staff.id)
    except InvalidInput as exc:
        return await _user_form(staff, user_id, values, error=exc.message, problems=exc.problems)
    return Redirect("/console/users", status_code=303)


@post("/users/{user_id:int}/password", name="console:user-password")
async def reset_user_password(staff: StaffDep, user_id: FromPath[int]) -> Template:
    require(staff, "users.manage")
    user = await get_user(user_id)
    try:
        password = await reset_password(user_id, acting_user_id=staff.id)
    except InvalidInput as exc:
        values = {"email": user.email, "role": user.role, "schools": list(user.school_ids), "active": user.active}
        return await _user_form(staff, user_id, values, error=exc.message, problems=exc.problems)
    return await _one_time_password(staff, user.email, password, new=False)


def _user_values(form) -> tuple[dict, dict[str, str]]:
    problems: dict[str, str] = {}
    schools = []
    for raw in form.getall("schools", []):
        school_id = form_int({"schools": raw}, "schools", problems=problems)
        if school_id is not None:
            schools.append(school_id)
    role = form.get("role") or ""
    if role not in ROLES:
        problems["role"] = "vælg en rolle"
    values = {"email": (form.get("email") or "").strip(), "role": role, "schools": schools, "active": form.get("active") == "on"}
    return values, problems


async def _user_form(staff: Staff, user_id: int | None, values: dict, *, error=None, problems=None) -> Template:
    return await form_page(
        "console/user_form.html",
        staff,
        error=error,
        problems=problems,
        title="Ny bruger" if user_id is None else f"Bruger {values['email']}",
        user_id=user_id,
        own=user_id == staff.id,
        values=values,
        roles=ROLES,
        school_roles=SCHOOL_ROLES,
        schools=await list_schools(None),
    )


async def _one_time_password(staff: Staff, email: str, password: str, *, new: bool) -> Template:
    return await page(
        "console/user_password.html", staff, title="Engangskode", email=email, password=password, new=new
    )
