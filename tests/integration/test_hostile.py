"""Hostile and malformed requests against the real app, on SQLite and PostgreSQL.

The table is ``hostile_cases.CASES`` (tampered, truncated and cross-purpose tokens, replays, SQL and
HTML/JS injection in free text and CSV imports, odd Unicode, huge bodies and fields, wrong content
types and methods, missing CSRF tokens, path traversal, forged roles). For every case: never a
5xx; the expected status; a 4xx that says why; no unescaped script anywhere in the reply (or in the
page that shows the text again); no rows stored unless the case is an accepted one; download names
that are safe.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest

from surveys.answering.class_sessions import SessionTokens, open_class_session
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.links import LinkSigner
from surveys.db.tables import ALL_TABLES, InstrumentVersion, StaffUser, Throttle, WaveSchool, WebSession
from surveys.organisation.schools import add_class, add_school
from surveys.answering.issuing import issue_links
from surveys.organisation.waves import create_event, create_wave, set_wave_status
from tests.conftest import TEST_KEY
from tests.figures import note
from tests.integration.answering_support import make_event_links, make_wave
from tests.integration.console_world import PASSWORD, build_world, form_token
from tests.integration.hostile_cases import CASES, RAW_MARKERS, Case

pytestmark = pytest.mark.anyio

COUNTED = [table for table in ALL_TABLES if table not in (Throttle, WebSession)]
ROLES = {"admin": "admin", "coordinator": "coordinator_a", "analyst": "analyst", "teacher": "teacher_a"}
SAFE_DOWNLOAD = re.compile(r"attachment; filename=\"[A-Za-z0-9._-]+\"; filename\*=UTF-8''[A-Za-z0-9%._~-]+")


def test_the_table_has_at_least_100_cases() -> None:
    assert len(CASES) >= 100
    assert len({case.id for case in CASES}) == len(CASES), "case ids are unique"


async def _counts() -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in COUNTED}


def _swap_first(token: str) -> str:
    return ("B" if token[0] == "A" else "A") + token[1:]


async def _world(submit) -> dict[str, str]:
    world = await build_world()
    flow = await make_wave(8, school="Testskolen")
    staff = await make_event_links(1)
    tokens = [link.token for link in flow.links]
    signer = LinkSigner((TEST_KEY,))
    random_id = tokens[0].partition(".")[0]
    staff_random_id = staff[0].token.partition(".")[0]
    session_tokens = SessionTokens((TEST_KEY,))
    session = await open_class_session(session_tokens, school_class_id=world.class_a, wave_id=world.wave, capacity=3)
    session_token = session_tokens.token(session)
    codes = CodeSessions((TEST_KEY,))
    used = tokens[7]
    await submit(used)
    evil_school = await add_school('..\\..\\"evil"; filename=x.sh')
    evil_class = await add_class(evil_school.name, '../7"a', grade=7, pupils=20)
    await WaveSchool(wave=world.wave, school=evil_school.id).save()
    evil_event = await create_event("temadag-evaluering", name='"; filename="evil.sh', held_on=dt.date.today())
    lodz = await add_school("Łódź Skole")
    unicode_class = await add_class(lodz.name, "Клас Україна", grade=7, pupils=20)
    arabic_class = await add_class(lodz.name, "الصف السابع", grade=7, pupils=20)
    await WaveSchool(wave=world.wave, school=lodz.id).save()
    unicode_event = await create_event("temadag-evaluering", name="Temadag Україна", held_on=dt.date.today())
    closed = await create_wave("ung-trivsel-rusmidler", year=2026, name="Lukket", schools=["Alfa Skole"])
    [closed_link] = await issue_links(signer, "http://testserver.local", "pupil", 1, wave=closed.id,
                                      school=world.school_a, school_class=world.class_a)
    closed_session = await open_class_session(session_tokens, school_class_id=world.class_a, wave_id=closed.id)
    await set_wave_status(closed.id, "closed")
    return {
        "tok": tokens[0], "tok2": tokens[1], "tok3": tokens[2], "tok4": tokens[3], "tok5": tokens[4],
        "used": used,
        "used_codesess": codes.token(used.partition(".")[0]),  # a code session carries the link's secret id
        "tampered": _swap_first(tokens[0]),
        "truncated": tokens[0][:-4],
        "nosig": random_id,
        "otherkey": LinkSigner(("another-key-" + "y" * 40,)).new_token("pupil")[0],
        "pupil_as_staff": signer.token_for("staff", random_id),
        "staff_as_pupil": signer.token_for("pupil", staff_random_id),
        "session_tok": session_token,
        "session_tampered": _swap_first(session_token),
        "session_truncated": session_token[:-3],
        "codesess_truncated": codes.token(tokens[5].partition(".")[0])[:-2],
        "school_a": str(world.school_a), "school_b": str(world.school_b),
        "class_a": str(world.class_a), "class_b": str(world.class_b),
        "wave": str(world.wave), "wave_b": str(world.wave_b), "event": str(world.event),
        "evil_class": str(evil_class.id), "evil_event": str(evil_event.id),
        "unicode_class": str(unicode_class.id), "arabic_class": str(arabic_class.id), "unicode_event": str(unicode_event.id),
        "closed_code": closed_link.code, "closed_session_code": closed_session.code,
        "password": PASSWORD,
        "instrument": str((await InstrumentVersion.select(InstrumentVersion.id).where(
            InstrumentVersion.key == "ung-trivsel-rusmidler").first())["id"]),
        **{f"email_{role}": email for role, email in world.emails.items()},
        **{f"user_{role}": str((await StaffUser.select(StaffUser.id).where(StaffUser.email == email).first())["id"])
           for role, email in world.emails.items()},
    }


def _fill(value, ctx: dict[str, str]):
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: ctx.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _fill(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(x, ctx) for x in value]
    return value


async def _csrf(client: httpx.AsyncClient) -> str:
    """The token a page of this client's session carries (tokens are bound to the session)."""
    match = re.search(r'name="_csrf_token" value="([^"]+)"', (await client.get("/console/login")).text)
    return match.group(1) if match else ""


def _expected(case: Case, status: int) -> bool:
    if isinstance(case.status, tuple):
        return case.status[0] <= status <= case.status[1]
    return status == case.status


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<[a-z][^>]*\s(?:on[a-z]+|style)\s*=[^>]*>|<a[^>]*href=[\"']?javascript:", re.IGNORECASE
)


def _header_problems(response: httpx.Response) -> list[str]:
    """The security headers on every response, and nothing in a page that the CSP would block."""
    problems = []
    csp = response.headers.get("content-security-policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    if directives.get("script-src") != ["'self'"] or directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"CSP {csp!r}")
    if response.headers.get("x-content-type-options") != "nosniff":
        problems.append("no nosniff")
    if response.headers.get("referrer-policy") != "no-referrer":
        problems.append("no Referrer-Policy: no-referrer")
    if response.headers.get("content-type", "").startswith("text/html") and INLINE_SCRIPT.search(response.text):
        problems.append(f"inline script or style in the page: {INLINE_SCRIPT.search(response.text).group(0)!r}")
    return problems


def _problems_of(case: Case, response: httpx.Response, ctx: dict[str, str]) -> list[str]:
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append(f"server error {status}")
    if not _expected(case, status):
        said = re.findall(r'class="(?:error-text|detail)"[^>]*>([^<]{0,160})', response.text)
        problems.append(f"status {status}, expected {case.status} {said[:2]}")
    if 400 <= status < 500:
        kind = response.headers.get("content-type", "")
        if kind.startswith("application/json"):
            if not json.loads(response.text).get("detail"):
                problems.append("a JSON 4xx without a detail")
        elif "<h1" not in response.text:
            problems.append("a 4xx without a page that says why")
    for marker in RAW_MARKERS:
        if marker in response.text:
            problems.append(f"unescaped {marker!r} in the reply")
    if 300 <= status < 400 and case.location is not None:
        if response.headers.get("location") != _fill(case.location, ctx):
            problems.append(f"redirected to {response.headers.get('location')!r}")
    problems += _header_problems(response)
    disposition = response.headers.get("content-disposition")
    if disposition is not None and not SAFE_DOWNLOAD.fullmatch(disposition):
        problems.append(f"unsafe download name {disposition!r}")
    return problems


async def test_hostile_requests(settings, engine) -> None:
    from server.app import create_app

    app = create_app(settings, engine=engine)
    async with app.lifespan():

        def new_client(address: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(address, 50000))
            return httpx.AsyncClient(transport=transport, base_url="http://testserver.local", timeout=60)

        async def submit(token: str) -> None:
            async with new_client("192.0.2.99") as pupil:
                assert (await pupil.post(f"/s/{token}/p/1", data={"q1": "1"})).status_code == 303
                assert (await pupil.post(f"/s/{token}/submit")).status_code == 303

        ctx = await _world(submit)
        staff: dict[str, httpx.AsyncClient] = {}
        for number, (who, role) in enumerate(ROLES.items(), start=1):
            client = staff[who] = new_client(f"198.51.100.{number}")
            page = await client.get("/console/login")
            response = await client.post("/console/login", data={
                "email": ctx[f"email_{role}"], "password": PASSWORD, "_csrf_token": form_token(page.text)})
            assert response.status_code == 303, response.text[:300]
        ctx["teacher_token"] = await _csrf(staff["teacher"])  # a token bound to the teacher's session
        async with new_client("203.0.113.251") as stranger:
            ctx["anon_token"] = await _csrf(stranger)  # a pre-login token of another browser

        failures: list[str] = []
        statuses: dict[int, int] = {}
        for number, case in enumerate(CASES):
            if case.who == "anon":
                client = new_client(f"203.0.113.{number % 250 + 1}")
                await client.get("/console/login")  # the pre-login cookie, as a browser would have it
            else:
                client = staff[case.who]
            headers = dict(case.headers)
            data = _fill(case.data, ctx)
            token = await _csrf(client) if case.path.startswith("/console") else ""
            console = case.path.startswith("/console")
            if console and case.csrf and case.method not in ("GET", "HEAD") and token:
                if case.content is not None:
                    headers.setdefault("x-csrftoken", token)
                elif isinstance(data, dict) or data is None:
                    data = {**(data or {}), "_csrf_token": token}
            before = await _counts()
            try:
                response = await client.request(
                    case.method, _fill(case.path, ctx), data=data, content=case.content, files=case.files, headers=headers
                )
            except Exception as exc:  # noqa: BLE001 - an exception out of the app is a 5xx
                failures.append(f"{case.id}: raised {type(exc).__name__}: {exc}")
                continue
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            problems = _problems_of(case, response, ctx)
            if not case.stored and await _counts() != before:
                after = await _counts()
                problems.append(f"stored rows: {({k: after[k] - before[k] for k in after if after[k] != before[k]})}")
            if case.then:
                shown = await client.get(_fill(case.then, ctx))
                if shown.status_code != 200:
                    problems.append(f"then {case.then}: status {shown.status_code}")
                problems += [f"then {case.then}: unescaped {m!r}" for m in RAW_MARKERS if m in shown.text]
                if "<script>" in str(case.data) and "&lt;script&gt;" not in shown.text:
                    problems.append(f"then {case.then}: the text is not shown")
            if case.who == "anon":
                await client.aclose()
            if problems:
                failures.append(f"{case.id}: {'; '.join(problems)}")
        for client in staff.values():
            await client.aclose()

    kind = settings.database_url.split(":", 1)[0]
    note(f"hostile requests ({kind}): {len(CASES)} sent, statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n".join(failures)
    assert not any(status >= 500 for status in statuses)
