"""Rendering the answering flow: full pages for browsers, partials for htmx.

Every flow page is a partial (``answer/_<name>.html``) that the full page
(``answer/full.html``) includes, so one handler serves both, with
``Vary: HX-Request``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from server.i18n import pick_language, request_language, translator
from server.profile import profile_of
from surveys.answering.form import FieldProblem, FormInput, parse_form
from surveys.answering.service import FlowKind, Opened
from surveys.instruments import DECLINE_CODE, Question, Section

__all__ = ["flow_language", "page_questions", "posted_answers", "problem_text", "redirect", "render", "review_rows"]

VARY = {"Vary": "HX-Request"}


def flow_language(request: Request, opened: Opened | None = None) -> str:
    """The request's language (:func:`server.i18n.request_language`), falling back to the draft's;
    Danish when the instrument is not written in it."""
    if opened is None:
        return request_language(request)
    lang = request_language(request, opened.draft_language)
    return lang if lang in opened.instrument.languages else "da"


def is_partial(request: Request) -> bool:
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    lang: str,
    status_code: int = 200,
    full_page: bool = False,
) -> Template:
    """The partial ``answer/_<name>.html`` for htmx, else (or with ``full_page``) the full page around it.

    An error status (503) is always the full page: htmx swaps its ``#main`` like any error page.
    """
    municipality = profile_of(request)
    brand = municipality.brand if municipality is not None else ""
    full = {
        "lang": lang, "t": translator(lang), "partial": f"answer/_{name}.html", "municipality": municipality,
        "organisation_name": brand or "trivsel", **context,
    }
    cookies = []
    chosen = request.query_params.get("lang")
    if chosen is not None and pick_language(chosen) == chosen:
        secure = request.app.state.settings.secure_cookies
        cookies.append(Cookie(key="lang", value=chosen, path="/", max_age=86400, httponly=True, samesite="lax", secure=secure))
    template = f"answer/_{name}.html" if is_partial(request) and not full_page else "answer/full.html"
    return Template(template, context=full, status_code=status_code, headers=VARY, cookies=cookies)


def redirect(kind: FlowKind, token: str, suffix: str = "") -> Redirect:
    """A 303 to another step of the flow (POST → redirect → GET)."""
    return Redirect(f"/{kind}/{token}{suffix}", status_code=303, headers=VARY)


def problem_text(problem: FieldProblem, lang: str) -> str:
    return translator(lang)(f"problem_{problem.code}").format(**problem.params)


def page_questions(opened: Opened, section: Section, answers: Mapping[str, object]) -> list[dict[str, Any]]:
    """The questions to render on a page: visible ones, and hidden ones that an answer here may reveal."""
    instrument = opened.instrument
    own = {question.id for question in section.questions} | {item.id for q in section.questions for item in q.items}
    shown = []
    for question in section.questions:
        visible = instrument.visible(question, answers)
        live = question.show_if is not None and question.show_if.question in own
        if visible or live:
            shown.append({"q": question, "visible": visible, "live": live})
    return shown


def posted_answers(opened: Opened, number: int, form: FormInput) -> dict[str, object]:
    """The answers posted on page ``number`` over the saved ones: what to show when they could not be saved."""
    parsed = parse_form(opened.instrument, opened.section(number), form, opened.answers)
    return {**opened.answers, **parsed.answers}


def field_values(question: Question, answers: Mapping[str, object], form: FormInput | None) -> dict[str, Any]:
    """What to pre-fill: the posted text after a rejected page, else the saved answer."""
    if form is not None and question.type == "text" and question.id in form:
        return {question.id: (form[question.id] or [""])[0]}
    if question.type == "multi":
        return {question.id: [code for code in question.codes if answers.get(f"{question.id}_{code}") == 1]}
    if question.type == "matrix":
        return {item.id: answers.get(item.id) for item in question.items}
    return {question.id: answers.get(question.id)}


def review_rows(opened: Opened, lang: str) -> list[dict[str, Any]]:
    """Per page: each visible question with the answer in words (or "not answered")."""
    t = translator(lang)
    instrument, answers = opened.instrument, opened.answers
    pages = []
    for number, section in enumerate(instrument.sections, start=1):
        rows = [
            {"q": question, "answer": _answer_words(question, answers, lang) or t("not_answered")}
            for question in section.questions
            if instrument.visible(question, answers)
        ]
        if rows:
            pages.append({"number": number, "title": section.title.get(lang), "rows": rows})
    return pages


def _answer_words(question: Question, answers: Mapping[str, object], lang: str) -> str:
    labels = {option.code: option.label.get(lang) for option in question.options}
    if question.type == "multi":
        return ", ".join(labels[code] for code in question.codes if answers.get(f"{question.id}_{code}") == 1)
    if question.type == "matrix":
        parts = [f"{item.text.get(lang)}: {labels.get(answers[item.id], '')}" for item in question.items if item.id in answers]
        return "; ".join(parts)
    value = answers.get(question.id)
    if value is None:
        return ""
    if question.type in ("single", "likert") or value == DECLINE_CODE and question.sensitive:
        return labels.get(value, str(value))  # type: ignore[arg-type]
    return str(value)
