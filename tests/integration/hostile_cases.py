"""The table of hostile and malformed requests that ``test_hostile.py`` sends through the real app.

Each case names who sends it (``anon`` or a console role), the request (path and form values may
hold ``{placeholders}`` filled from the test's world) and what must come back. Unless a case is
``stored=True`` (a request that is *accepted*, with its text shown again escaped), nothing may be
stored. Every response must be below 500, a 4xx must carry a page or JSON body that says why, and
no response may contain any of ``RAW_MARKERS`` unescaped.
"""

from __future__ import annotations

from tests.integration.hostile_console_cases import console_cases
from tests.integration.hostile_requests import IMG, RAW_MARKERS, SQLI, XSS, Case

__all__ = ["CASES", "RAW_MARKERS", "XSS", "Case"]


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
        # Issue 18: a code stops working when its wave closes, and answers like one that never existed.
        Case("code: a slip's code after its wave closed", "POST", "/k", data={"code": "{closed_code}"}, status=404),
        Case("code: a class-session code after its wave closed", "POST", "/k", data={"code": "{closed_session_code}"},
             status=404),
        Case("code: an IPv6-style zone in the address field is just text", "POST", "/k", data={"code": "fe80::1%eth0"},
             status=404),
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


CASES: list[Case] = [
    *_token_cases(), *_replay_cases(), *_page_cases(), *_code_cases(), *_static_cases(), *console_cases(),
]
