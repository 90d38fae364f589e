"""The table of hostile and malformed requests that ``test_hostile.py`` sends through the real app.

Each case names who sends it (``anon`` or a console role), the request (path and form values may
hold ``{placeholders}`` filled from the test's world) and what must come back. Unless a case is
``stored=True`` (a request that is *accepted*, with its text shown again escaped), nothing may be
stored. Every response must be below 500, a 4xx must carry a page or JSON body that says why, and
no response may contain any of ``RAW_MARKERS`` unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CASES", "RAW_MARKERS", "XSS", "Case"]

XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg/onload=alert(1)>"
SQLI = "' OR '1'='1'; DROP TABLE response; --"
RAW_MARKERS = (XSS, IMG, SVG, "<script>alert", "onerror=alert(1)>")

CLIENT_ERROR = (400, 499)


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    who: str = "anon"  # anon | admin | coordinator | analyst | teacher
    data: dict | list | None = None  # form fields (values may hold placeholders)
    content: bytes | None = None  # a raw body instead of form fields
    files: dict | None = None
    headers: dict = field(default_factory=dict)
    csrf: bool = True  # console POSTs carry the client's CSRF token unless False
    status: tuple[int, int] | int = CLIENT_ERROR
    stored: bool = False  # accepted: may store rows
    then: str | None = None  # GET this afterwards: the echo there must be escaped
    location: str | None = None  # a 3xx must point here


def _flow_paths(token: str) -> list[tuple[str, str]]:
    return [("GET", f"/s/{token}"), ("GET", f"/s/{token}/p/1"), ("GET", f"/s/{token}/review"),
            ("GET", f"/s/{token}/tak"), ("POST", f"/s/{token}/p/1"), ("POST", f"/s/{token}/submit")]


def _token_cases() -> list[Case]:
    cases = []
    bad_tokens = {
        "tampered": "{tampered}",
        "truncated": "{truncated}",
        "no-signature": "{nosig}",
        "extra-dots": "{tok}.x.y",
        "other-key": "{otherkey}",
        "staff-salt-on-pupil-id": "{pupil_as_staff}",
        "pupil-salt-on-staff-id": "{staff_as_pupil}",
        "session-token-as-slip": "{session_tok}",
        "very-long": "A" * 3000 + ".x",
        "nul-byte": "abc%00def.x",
        "unicode": "%C3%A6%C3%B8%C3%A5.%E2%80%AE",
        "dot-dot": "..%2F..%2Fetc%2Fpasswd",
        "sql": "1%27%20OR%20%271%27%3D%271",
    }
    for name, token in bad_tokens.items():
        for method, path in _flow_paths(token):
            if name in ("very-long", "nul-byte", "unicode", "dot-dot", "sql") and path.count("/") > 2 and method == "GET":
                continue  # these four kinds once per method is enough
            data = {"q1": "1"} if path.endswith("/p/1") and method == "POST" else None
            cases.append(Case(f"token {name}: {method} {path.split('}')[-1] or '/'}", method, path, data=data, status=404))
    cases += [
        Case("slip token at /k/", "GET", "/k/{tok}", status=404),
        Case("forged code session", "GET", "/k/MTIz.Zm9yZ2Vk.c2ln", status=404),
        Case("truncated code session", "GET", "/k/{codesess_truncated}", status=404),
        Case("code session of the other link used for a page save", "POST", "/k/{codesess_truncated}/p/1",
             data={"q1": "1"}, status=404),
        Case("slip token at /q/", "GET", "/q/{tok}", status=404),
        Case("tampered class-session token", "GET", "/q/{session_tampered}", status=404),
        Case("truncated class-session token", "GET", "/q/{session_truncated}", status=404),
    ]
    return cases


def _replay_cases() -> list[Case]:
    return [
        Case("replay: submit a used link", "POST", "/s/{used}/submit", status=303, location="/s/{used}/tak"),
        Case("replay: save a page of a used link", "POST", "/s/{used}/p/1", data={"q1": "2"}, status=303,
             location="/s/{used}/tak"),
        Case("replay: submit a used link by code session", "POST", "/k/{used_codesess}/submit", status=303,
             location="/k/{used_codesess}/tak"),
        Case("replay: a used link's review", "GET", "/s/{used}/review", status=200),
    ]


def _page_cases() -> list[Case]:
    p1 = "/s/{tok}/p/1"
    cases = [
        Case("page 0", "GET", "/s/{tok}/p/0", status=404),
        Case("page -1", "GET", "/s/{tok}/p/-1", status=404),
        Case("page 99", "POST", "/s/{tok}/p/99", data={"q1": "1"}, status=404),
        Case("page beyond 64 bits", "GET", "/s/{tok}/p/99999999999999999999999", status=404),
        Case("page not a number", "GET", "/s/{tok}/p/abc", status=404),
    ]
    rejected_values = {
        "sql in a choice": {"q1": SQLI},
        "stacked sql in a choice": {"q1": "1; DROP TABLE response;--"},
        "unknown code": {"q1": "99"},
        "negative code": {"q1": "-1"},
        "exponent": {"q1": "1e3"},
        "fullwidth digit": {"q1": "１"},
        "arabic-indic digit": {"q1": "٣"},
        "huge number": {"q1": "9" * 40},
        "two answers to a single question": {"q1": ["1", "2"]},
        "unknown field": {"q1": "1", "evil": "1"},
        "prototype field": {"q1": "1", "__proto__": "x"},
        "field of another page": {"q1": "1", "q5": "3"},
        "text over its limit": {"q1": "1", "q2": "x" * 21},
        "script in text, required answer missing": {"q2": XSS[:20]},
        "img in text, required answer missing": {"q2": IMG[:20]},
        "right-to-left override, answer missing": {"q2": "\u202eevil\u202c"},
        "zero-width and combining marks, too long": {"q1": "1", "q2": "a\u200b\u0301" * 11},
        "nul byte in a choice": {"q1": "1\x00"},
        "lone surrogate escape": {"q1": "%ED%A0%80"},
        "empty form": {},
    }
    for name, data in rejected_values.items():
        cases.append(Case(f"page form: {name}", "POST", p1, data=data, status=422))
    cases += [
        Case("page form: JSON body", "POST", p1, content=b'{"q1": 1}', headers={"content-type": "application/json"}, status=422),
        Case("page form: text/plain body", "POST", p1, content=b"q1=1", headers={"content-type": "text/plain"}, status=422),
        Case("page form: XML body", "POST", p1, content=b"<q1>1</q1>", headers={"content-type": "application/xml"}, status=422),
        Case("page form: multipart without boundary", "POST", p1, content=b"--x\r\n\r\nq1\r\n--x--",
             headers={"content-type": "multipart/form-data"}),
        Case("page form: broken multipart", "POST", p1, content=b"--b\r\nContent-Disposition: form-data\r\n\r\n1",
             headers={"content-type": "multipart/form-data; boundary=b"}),
        Case("page form: bad percent-encoding", "POST", p1, content=b"q1=%ZZ&q1=%",
             headers={"content-type": "application/x-www-form-urlencoded"}, status=422),
        Case("page form: invalid UTF-8", "POST", p1, content=b"q1=\xff\xfe&q2=\xc3\x28",
             headers={"content-type": "application/x-www-form-urlencoded"}, status=422),
        Case("page form: 5,000 fields", "POST", p1, content=b"&".join(b"f%d=1" % i for i in range(5_000)),
             headers={"content-type": "application/x-www-form-urlencoded"}, status=422),
        Case("page form: 200 kB text", "POST", p1, data={"q1": "1", "q2": "x" * 200_000}, status=413),
        Case("page form: 2 MB body", "POST", p1, content=b"q2=" + b"x" * 2_000_000,
             headers={"content-type": "application/x-www-form-urlencoded"}, status=413),
        Case("page form: file upload", "POST", p1, files={"q1": ("x.sh", b"#!/bin/sh\nrm -rf /", "text/x-sh")}, status=422),
        # Accepted, and shown again escaped on the review page.
        Case("text with a script tag is stored as text", "POST", "/s/{tok2}/p/1", data={"q1": "1", "q2": XSS[:20]},
             status=303, stored=True, then="/s/{tok2}/review"),
        Case("text with an img tag is stored as text", "POST", "/s/{tok3}/p/1", data={"q1": "1", "q2": IMG[:20]},
             status=303, stored=True, then="/s/{tok3}/review"),
        Case("text with a template expression is stored as text", "POST", "/s/{tok4}/p/1",
             data={"q1": "1", "q2": "{{ 7*7 }}{% x %}"}, status=303, stored=True, then="/s/{tok4}/review"),
        Case("text with control characters is cleaned", "POST", "/s/{tok5}/p/1",
             data={"q1": "1", "q2": "a\x00b\x1b[31mc\x7f"}, status=303, stored=True, then="/s/{tok5}/review"),
        # Wrong methods
        Case("PUT a page", "PUT", p1, data={"q1": "1"}, status=405),
        Case("DELETE a link", "DELETE", "/s/{tok}", status=405),
        Case("PATCH submit", "PATCH", "/s/{tok}/submit", status=405),
        Case("GET submit", "GET", "/s/{tok}/submit", status=405),
        Case("POST the welcome page", "POST", "/s/{tok}", status=405),
        Case("POST the review page", "POST", "/s/{tok}/review", status=405),
        Case("TRACE a link", "TRACE", "/s/{tok}", status=405),
        Case("method override header is ignored", "POST", "/s/{tok}", headers={"x-http-method-override": "GET"}, status=405),
        # Language and cookies
        Case("script as ?lang", "GET", "/s/{tok}?lang=%3Cscript%3Ealert(1)%3C/script%3E", status=200),
        Case("script in the lang cookie", "GET", "/s/{tok}", headers={"cookie": "lang=<script>alert(1)</script>"}, status=200),
        Case("path in ?lang", "GET", "/?lang=../../etc/passwd", status=200),
        Case("a 16 kB cookie", "GET", "/s/{tok}", headers={"cookie": "x=" + "y" * 16_000}, status=200),
        Case("JSON error for API clients", "GET", "/s/{tampered}", headers={"accept": "application/json"}, status=404),
    ]
    return cases


def _code_cases() -> list[Case]:
    return [
        Case("code: sql", "POST", "/k", data={"code": SQLI}, status=404),
        Case("code: script", "POST", "/k", data={"code": XSS}, status=404),
        Case("code: empty", "POST", "/k", data={"code": ""}, status=404),
        Case("code: missing", "POST", "/k", data={}, status=404),
        Case("code: unicode look-alikes", "POST", "/k", data={"code": "АСЕҒ-НЈКМ"}, status=404),
        Case("code: 20 kB", "POST", "/k", data={"code": "A" * 20_000}, status=404),
        Case("code: 200 kB", "POST", "/k", data={"code": "A" * 200_000}, status=413),
        Case("code: JSON body", "POST", "/k", content=b'{"code": "ABCD-EFGH"}', headers={"content-type": "application/json"},
             status=404),
        Case("code: PUT", "PUT", "/k", data={"code": "x"}, status=405),
    ]


def _static_cases() -> list[Case]:
    return [
        Case("static: encoded dot-dot", "GET", "/static/%2e%2e/%2e%2e/pyproject.toml", status=404),
        Case("static: encoded slash", "GET", "/static/..%2f..%2fserver%2fsettings.py", status=404),
        Case("static: absolute path", "GET", "/static//etc/passwd", status=404),
        Case("static: backslashes", "GET", "/static/..%5c..%5cpyproject.toml", status=404),
        Case("import kind with dot-dot", "GET", "/console/import/..%2f..%2fetc", who="admin", status=404),
        Case("unknown import kind", "GET", "/console/import/users", who="admin", status=404),
        # No OpenAPI schema is published (openapi_config=None): nothing for schemathesis to run against.
        Case("no OpenAPI schema at /schema", "GET", "/schema", status=404),
        Case("no OpenAPI schema at /schema/openapi.json", "GET", "/schema/openapi.json", status=404),
        Case("no OpenAPI schema at /openapi.json", "GET", "/openapi.json", status=404),
    ]


def _csrf_cases() -> list[Case]:
    return [
        Case("login without CSRF token", "POST", "/console/login", data={"email": "a@b.dk", "password": "x"}, csrf=False, status=403),
        Case("login with a forged CSRF token", "POST", "/console/login",
             data={"email": "a@b.dk", "password": "x", "_csrf_token": "forged"}, csrf=False, status=403),
        Case("login as JSON", "POST", "/console/login", content=b'{"email": "a@b.dk"}',
             headers={"content-type": "application/json"}, csrf=False, status=403),
        Case("new school without CSRF", "POST", "/console/schools", who="admin", data={"name": "Ny Skole"}, csrf=False, status=403),
        Case("slips without CSRF", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "3", "wave": "{wave}"}, csrf=False, status=403),
        Case("session without CSRF", "POST", "/console/classes/{class_a}/sessions", who="teacher",
             data={"wave": "{wave}", "capacity": "3", "minutes": "30"}, csrf=False, status=403),
        Case("logout without CSRF", "POST", "/console/logout", who="admin", csrf=False, status=403),
        Case("municipality without CSRF", "POST", "/console/municipality", who="admin", data={"name": "X"}, csrf=False, status=403),
        Case("import without CSRF", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", b"navn\nX", "text/csv")}, csrf=False, status=403),
        Case("export without CSRF", "POST", "/console/exports", who="analyst", data={"format": "csv"}, csrf=False, status=403),
        Case("GET logout", "GET", "/console/logout", who="admin", status=405),
    ]


def _login_cases() -> list[Case]:
    return [
        Case("login: sql in e-mail", "POST", "/console/login", data={"email": SQLI, "password": "x"}, status=400),
        Case("login: NUL in e-mail", "POST", "/console/login", data={"email": "a\x00b@test.dk", "password": "x"}, status=400),
        Case("login: sql in password", "POST", "/console/login", data={"email": "admin@test.dk", "password": SQLI}, status=400),
        Case("login: script in e-mail is echoed escaped", "POST", "/console/login",
             data={"email": XSS + "@x.dk", "password": "x"}, status=400),
        Case("login: 50 kB password", "POST", "/console/login", data={"email": "b@test.dk", "password": "p" * 50_000}, status=400),
        Case("login: 300 kB body", "POST", "/console/login", data={"email": "c@test.dk", "password": "p" * 300_000}, status=413),
        Case("login: open redirect in next", "POST", "/console/login",
             data={"email": "admin@test.dk", "password": "{password}", "next": "//evil.example/x"},
             status=303, location="/console", stored=True),
        Case("login: script in ?next", "GET", "/console/login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", status=200),
        Case("forged session cookie", "GET", "/console/schools", headers={"cookie": "trivsel_staff=forged"}, status=303,
             location="/console/login"),
        Case("no session, POST", "POST", "/console/schools", data={"name": "X"}, status=303, location="/console/login"),
    ]


def _role_cases() -> list[Case]:
    return [
        Case("teacher creates a school", "POST", "/console/schools", who="teacher", data={"name": "Hackerskolen"}, status=403),
        Case("teacher opens reports", "GET", "/console/reports", who="teacher", status=403),
        Case("teacher downloads an export", "POST", "/console/exports", who="teacher", data={"format": "csv"}, status=403),
        Case("teacher changes the municipality", "POST", "/console/municipality", who="teacher", data={"name": "X"}, status=403),
        Case("teacher imports schools", "POST", "/console/import/schools", who="teacher",
             files={"file": ("s.csv", b"navn\nX", "text/csv")}, status=403),
        Case("teacher closes a wave", "POST", "/console/waves/{wave}/status", who="teacher", data={"status": "closed"}, status=403),
        Case("coordinator views another school", "GET", "/console/schools/{school_b}", who="coordinator", status=403),
        Case("coordinator makes slips for another school", "POST", "/console/classes/{class_b}/slips", who="coordinator",
             data={"count": "3", "wave": "{wave}"}, status=403),
        Case("coordinator opens a session in another school", "POST", "/console/classes/{class_b}/sessions",
             who="coordinator", data={"wave": "{wave}", "capacity": "3", "minutes": "30"}, status=403),
        Case("coordinator edits another school's class", "POST", "/console/classes/{class_b}", who="coordinator",
             data={"name": "x", "grade": "7", "pupils": "3"}, status=403),
        Case("coordinator closes another school's wave", "POST", "/console/waves/{wave_b}/status", who="coordinator",
             data={"status": "closed"}, status=403),
        Case("coordinator builds the report", "POST", "/console/reports", who="coordinator", data={"years": "2026"}, status=403),
        Case("analyst creates a wave", "POST", "/console/waves", who="analyst",
             data={"instrument": "1", "name": "X", "year": "2026"}, status=403),
        Case("analyst makes slips", "POST", "/console/classes/{class_a}/slips", who="analyst",
             data={"count": "3", "wave": "{wave}"}, status=403),
        Case("analyst creates a user via a role field", "POST", "/console/schools", who="analyst",
             data={"name": "X", "role": "admin"}, status=403),
        Case("coordinator imports classes into another school", "POST", "/console/import/classes", who="coordinator",
             files={"file": ("c.csv", "skole,klasse,klassetrin,elever\nBeta Skole,9.z,9,20\n".encode(), "text/csv")},
             status=422),
    ]


def _console_input_cases() -> list[Case]:
    csv_script = f"navn,type,klassetrin\n{XSS},grundskole,0-9\n".encode()
    return [
        Case("school name with a script tag is stored as text", "POST", "/console/schools", who="admin",
             data={"name": XSS, "kind": "grundskole"}, status=303, stored=True, then="/console/schools"),
        Case("school name with sql is stored as text", "POST", "/console/schools", who="admin",
             data={"name": "Robert'); DROP TABLE school;--", "kind": "grundskole"}, status=303, stored=True, then="/console/schools"),
        Case("school name with NUL and escapes is cleaned", "POST", "/console/schools", who="admin",
             data={"name": "Nul\x00Skole\x1b[2J", "kind": "grundskole"}, status=303, stored=True, then="/console/schools"),
        Case("class name with NUL", "POST", "/console/schools/{school_a}/classes", who="admin",
             data={"name": "7.\x00x", "grade": "7", "pupils": "20"}, status=303, stored=True),
        Case("wave name with NUL", "POST", "/console/waves", who="admin",
             data={"instrument": "{instrument}", "name": "Nul\x00bølge", "year": "2026", "schools": "{school_a}"}, status=303, stored=True),
        Case("help contact with NUL", "POST", "/console/municipality", who="admin",
             data={"name": "Testkommune", "contact_0_name": "A\x00B", "suppression_threshold": "5"}, status=303, stored=True),
        Case("school name of 10,000 characters", "POST", "/console/schools", who="admin", data={"name": "x" * 10_000}, status=422),
        Case("school name empty", "POST", "/console/schools", who="admin", data={"name": "   "}, status=422),
        Case("school kind unknown", "POST", "/console/schools", who="admin", data={"name": "Y", "kind": XSS}, status=422),
        Case("school id beyond 64 bits", "GET", "/console/schools/99999999999999999999999", who="admin", status=404),
        Case("school id negative", "GET", "/console/schools/-1", who="admin", status=404),
        Case("school id not a number", "GET", "/console/schools/abc", who="admin", status=404),
        Case("wave progress of a missing wave", "GET", "/console/waves/999999/progress", who="admin", status=404),
        Case("slips: count 0", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "0", "wave": "{wave}"}, status=422),
        Case("slips: count 201", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "201", "wave": "{wave}"}, status=422),
        Case("slips: count 1e9", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "1e9", "wave": "{wave}"}, status=422),
        Case("slips: count beyond 64 bits", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "9" * 30, "wave": "{wave}"}, status=422),
        Case("slips: wave is sql", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "3", "wave": "1 OR 1=1"}, status=422),
        Case("slips: wave beyond 64 bits", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "3", "wave": "9" * 30}, status=422),
        Case("slips: a wave the school is not in", "POST", "/console/classes/{class_a}/slips", who="coordinator",
             data={"count": "3", "wave": "{wave_b}"}, status=422),
        Case("session: capacity 100000", "POST", "/console/classes/{class_a}/sessions", who="teacher",
             data={"wave": "{wave}", "capacity": "100000", "minutes": "30"}, status=422),
        Case("session: minutes not a number", "POST", "/console/classes/{class_a}/sessions", who="teacher",
             data={"wave": "{wave}", "capacity": "3", "minutes": "abc"}, status=422),
        Case("session: wave beyond 64 bits", "POST", "/console/classes/{class_a}/sessions", who="teacher",
             data={"wave": "9" * 30, "capacity": "3", "minutes": "30"}, status=(400, 499)),
        Case("event session: capacity missing", "POST", "/console/events/{event}/sessions", who="admin", data={}, status=422),
        Case("event links: count 0", "POST", "/console/events/{event}/links.csv", who="admin", data={"count": "0"}, status=422),
        Case("event links: count 100000", "POST", "/console/events/{event}/links.csv", who="admin",
             data={"count": "100000"}, status=422),
        Case("wave: year is sql", "POST", "/console/waves", who="admin",
             data={"instrument": "1", "name": "X", "year": "2026; DROP TABLE wave"}, status=422),
        Case("wave: 30 February", "POST", "/console/waves", who="admin",
             data={"instrument": "1", "name": "X", "year": "2026", "opens_on": "2026-02-30"}, status=422),
        Case("wave: school id not a number", "POST", "/console/waves", who="admin",
             data={"instrument": "1", "name": "X", "year": "2026", "schools": "abc"}, status=422),
        Case("wave: school id beyond 64 bits", "POST", "/console/waves", who="admin",
             data={"instrument": "1", "name": "X", "year": "2026", "schools": "9" * 30}, status=(400, 499)),
        Case("wave: instrument beyond 64 bits", "POST", "/console/waves", who="admin",
             data={"instrument": "9" * 30, "name": "X", "year": "2026"}, status=(400, 499)),
        Case("wave: unknown status", "POST", "/console/waves/{wave}/status", who="admin", data={"status": "deleted"}),
        Case("event: date is a script", "POST", "/console/events", who="admin",
             data={"instrument": "1", "name": "X", "held_on": XSS}, status=422),
        Case("password: repeat differs", "POST", "/console/password", who="teacher",
             data={"current": "{password}", "new": "a-new-long-password", "repeated": "another-long-password"}, status=422),
        Case("reports: years are sql", "POST", "/console/reports", who="analyst", data={"years": SQLI}, status=422),
        Case("report job: unknown token", "GET", "/console/reports/jobs/AAAAAAAAAAAAAAAAAAAAAAAA", who="analyst", status=404),
        Case("report job: sql as the token", "GET", "/console/reports/jobs/' OR '1'='1", who="analyst", status=404),
        Case("report job: zip of an unknown job", "GET", "/console/reports/jobs/x/zip", who="admin", status=404),
        Case("report job: traversal in the token", "GET", "/console/reports/jobs/..%2F..%2Fetc%2Fpasswd/zip", who="admin",
             status=404),
        Case("report job: a teacher guesses", "GET", "/console/reports/jobs/x", who="teacher", status=403),
        Case("users: script as the e-mail", "POST", "/console/users", who="admin",
             data={"email": XSS + "@x.dk", "role": "analyst"}, status=422),
        Case("users: sql as the e-mail", "POST", "/console/users", who="admin", data={"email": SQLI, "role": "analyst"},
             status=422),
        Case("users: NUL in the e-mail", "POST", "/console/users", who="admin",
             data={"email": "a\x00b@x.dk", "role": "analyst"}, status=422),
        Case("users: a role that does not exist", "POST", "/console/users", who="admin",
             data={"email": "ny@x.dk", "role": "superuser"}, status=422),
        Case("users: school id beyond 64 bits", "POST", "/console/users", who="admin",
             data={"email": "ny@x.dk", "role": "teacher", "schools": "9" * 30}, status=422),
        Case("users: a coordinator makes an admin", "POST", "/console/users", who="coordinator",
             data={"email": "ny@x.dk", "role": "admin"}, status=403),
        Case("users: a teacher promotes themself", "POST", "/console/users/{user_teacher_a}", who="teacher",
             data={"role": "admin", "active": "on"}, status=403),
        Case("users: an analyst resets the admin's password", "POST", "/console/users/{user_admin}/password",
             who="analyst", status=403),
        Case("users: edit without the CSRF token", "POST", "/console/users/{user_teacher_a}", who="admin",
             data={"role": "admin", "active": "on"}, csrf=False, status=403),
        Case("users: user id beyond 32 bits", "GET", "/console/users/99999999999", who="admin", status=404),
        Case("users: the admin locks themself out", "POST", "/console/users/{user_admin}", who="admin",
             data={"role": "teacher", "schools": "{school_a}"}, status=422),
        Case("exports: unknown format with no years", "POST", "/console/exports", who="analyst",
             data={"format": "../../etc/passwd", "years": "1999"}, status=422),
        Case("import: script in a school name is stored as text", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", csv_script, "text/csv")}, status=200, stored=True, then="/console/schools"),
        Case("import: formula in a class name is stored as text", "POST", "/console/import/classes", who="admin",
             files={"file": ("c.csv", b"skole,klasse,klassetrin,elever\nAlfa Skole,=HYPERLINK(\"http://x\"),7,20\n", "text/csv")},
             status=200, stored=True, then="/console/schools/{school_a}"),
        Case("import: neither UTF-8 nor Windows-1252", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", b"navn\n\x81\x8d\x8f\x90\x9d", "text/csv")}, status=422),
        Case("import: a PNG", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")}, status=422),
        Case("import: empty file", "POST", "/console/import/schools", who="admin", files={"file": ("s.csv", b"", "text/csv")},
             status=422),
        Case("import: no file field", "POST", "/console/import/schools", who="admin", data={"x": "1"}, status=422),
        Case("import: NUL bytes", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", b"navn\nA\x00B\n", "text/csv")}, status=422),
        Case("import: unknown columns with a script header", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", f"{XSS}\nA\n".encode(), "text/csv")}, status=422),
        Case("import: 2 MB file", "POST", "/console/import/schools", who="admin",
             files={"file": ("s.csv", b"navn\n" + b"A" * 2_000_000, "text/csv")}, status=413),
        Case("import: traversal in the file name", "POST", "/console/import/schools", who="admin",
             files={"file": ("../../../etc/passwd", b"navn\nTraversal Skole\n", "text/csv")}, status=200, stored=True),
        Case("municipality: script in a help contact shows escaped to pupils", "POST", "/console/municipality",
             who="admin", data={"name": "Testkommune", "logo_text": XSS, "contact_0_name": XSS, "contact_0_text": IMG,
                                "contact_0_contact": SVG, "suppression_threshold": "5"},
             status=303, stored=True, then="/s/{used}/tak"),
        Case("municipality: threshold beyond 64 bits", "POST", "/console/municipality", who="admin",
             data={"name": "Testkommune", "suppression_threshold": "9" * 30}, status=422),
        Case("municipality: name too long", "POST", "/console/municipality", who="admin",
             data={"name": "x" * 5000, "suppression_threshold": "5"}, status=422),
    ]


def _download_name_cases() -> list[Case]:
    return [
        Case("download name: school and class with traversal and quotes", "POST", "/console/classes/{evil_class}/slips",
             who="admin", data={"count": "1", "wave": "{wave}"}, status=200, stored=True),
        Case("download name: event name with a header break", "POST", "/console/events/{evil_event}/links.csv",
             who="admin", data={"count": "1"}, status=200, stored=True),
    ]


CASES: list[Case] = [
    *_token_cases(), *_replay_cases(), *_page_cases(), *_code_cases(), *_static_cases(), *_csrf_cases(),
    *_login_cases(), *_role_cases(), *_console_input_cases(), *_download_name_cases(),
]
