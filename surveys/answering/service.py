"""Answering a survey through a link: open, page by page with a draft, review, submit.

No HTTP here. A flow is reached by a slip token (``/s/<token>``) or by a code
session (``/k/<token>``, see ``surveys.answering.code_sessions``); both lead to a
``LinkContext``. Opening never consumes a link; only ``submit`` does, exactly
once, in the store's single transaction. A typed code goes through
``enter_code`` (the policy is in ``surveys.answering.code_entry``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from surveys.answering.class_sessions import SessionTokens
from surveys.answering.code_entry import CodeEntry, Entered
from surveys.answering.code_sessions import CodeSessions
from surveys.answering.form import FieldProblem, FormInput, is_answered, missing_required, parse_form
from surveys.answering.links import LinkSigner
from surveys.answering.store.contract import AnswerStore, Held, LinkContext, NewResponse
from surveys.answering.store.sealing import Sealer, draft_key, open_draft, seal_draft
from surveys.hashing import hash_id
from surveys.errors import LinkNotFound, NotFound, NotOpenYet, SurveyClosed
from surveys.instruments import Instrument, Question, Section, instrument_from_dict

__all__ = ["Answering", "FlowKind", "Opened", "PageResult", "SubmitResult", "next_page", "previous_page"]

FlowKind = Literal["s", "k"]


@dataclass(frozen=True)
class Opened:
    """A link that may be answered (or was: ``context.used``), with its instrument and its draft
    (opened with the link's ``secret``, which only the token carries)."""

    context: LinkContext
    instrument: Instrument
    secret: str = ""
    draft: dict[str, object] | None = None

    @property
    def used(self) -> bool:
        return self.context.used

    @property
    def answers(self) -> dict[str, object]:
        return self.instrument.clean(dict((self.draft or {}).get("answers") or {}))

    @property
    def draft_page(self) -> int:
        return int((self.draft or {}).get("page") or 0)

    @property
    def draft_language(self) -> str | None:
        return (self.draft or {}).get("language")  # type: ignore[return-value]

    @property
    def pages(self) -> int:
        return len(self.instrument.sections)

    def section(self, number: int) -> Section:
        """Section ``number`` (1-based); PageNotFound (404) when out of range."""
        if not 1 <= number <= self.pages:
            raise PageNotFound()
        return self.instrument.sections[number - 1]


class PageNotFound(NotFound):
    """A page number outside the questionnaire."""


@dataclass(frozen=True)
class PageResult:
    """After a page was posted: where to go, or the problems (draft left as it was)."""

    answers: dict[str, object]
    problems: dict[str, FieldProblem] = field(default_factory=dict)
    next_page: int = 0
    used: bool = False


@dataclass(frozen=True)
class SubmitResult:
    """``missing``: required questions unanswered (nothing stored); else ``already`` tells a repeat."""

    missing: list[Question]
    already: bool = False


class Answering:
    """The answering service: one per app, shared by every request."""

    def __init__(
        self,
        store: AnswerStore,
        signer: LinkSigner,
        sessions: CodeSessions,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        codes: CodeEntry | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        self.store = store
        self._sealer = sealer or Sealer(signer.keys)
        self._signer = signer
        self._sessions = sessions
        self._today = today
        self._codes = codes
        self._instruments: dict[int, asyncio.Future[Instrument]] = {}
        self._by_grade: dict[tuple[int, int | None], Instrument] = {}

    @classmethod
    def with_keys(cls, store: AnswerStore, secret_keys: tuple[str, ...], base_url: str) -> Answering:
        """The service as the app runs it: links, code sessions and class sessions signed with
        ``secret_keys`` (newest last), typed codes throttled per address."""
        sessions = CodeSessions(secret_keys)
        signer = LinkSigner(secret_keys)
        codes = CodeEntry(store, signer, sessions, SessionTokens(secret_keys), base_url, address_secret=secret_keys[-1])
        return cls(store, signer, sessions, codes=codes)

    async def open(self, kind: FlowKind, token: str) -> Opened:
        """The link behind a slip token (``s``) or code session (``k``); 404/403/410 as domain errors."""
        if kind == "s":
            purpose, secret = self._signer.identify_secret(token)
        else:
            purpose, secret = None, self._sessions.secret(token)
        if secret.startswith("~"):  # a link printed before codes were hashed, reached by its code
            link_id, secret = int(secret[1:]), self._signer.legacy_secret(secret)
            context = await self.store.link_context("id", link_id, draft_key(secret))
        else:
            context = await self.store.link_context("id_hash", hash_id(secret), draft_key(secret))
        if context is None or (purpose is not None and context.purpose != purpose):
            raise LinkNotFound()
        if not context.used:
            self._check_open(context)
        draft = open_draft(secret, context.sealed_draft)
        return Opened(context, await self._asked(context.instrument_version, context.grade), secret, draft)

    async def enter_code(
        self, typed: str, *, address: str | None, remembered: str | None, choice: str | None = None
    ) -> Entered:
        """Where a code typed at ``/k`` leads (a slip's flow, or a class session's link for this
        device); CodeRateLimited, LinkNotFound, SessionFull or SurveyClosed otherwise."""
        if self._codes is None:
            raise LinkNotFound()
        return await self._codes.enter(typed, address=address, remembered=remembered, choice=choice)

    async def save_page(self, opened: Opened, number: int, form: FormInput, *, back: bool, language: str) -> PageResult:
        """Check page ``number``'s answers and save them in the draft; say which page comes next.

        A question revealed by an answer on this same page, which the pupil has
        not seen yet (no JavaScript), keeps them on the page.
        """
        instrument, section = opened.instrument, opened.section(number)
        earlier = opened.answers
        parsed = parse_form(instrument, section, form, earlier)
        names = {variable.name for question in section.questions for variable in question.variables()}
        merged = instrument.clean({**{k: v for k, v in earlier.items() if k not in names}, **parsed.answers})
        seen = set(form.get("_shown", [])) | {q.id for q in section.questions if instrument.visible(q, earlier)}
        # A required question revealed by this page's answers is asked for, not yet reproached.
        problems = {qid: p for qid, p in parsed.problems.items() if qid in seen or p.code != "required"}
        if problems:
            return PageResult(answers={**earlier, **parsed.answers}, problems=problems, next_page=number)
        revealed = [
            q for q in section.questions
            if q.id not in seen and instrument.visible(q, merged) and not is_answered(q, merged)
        ]
        if revealed:
            target = number
        elif back:
            target = previous_page(instrument, number, merged)
        else:
            target = next_page(instrument, number, merged)
        sealed = seal_draft(opened.secret, {"answers": merged, "page": max(target, 1), "language": language})
        saved = await self.store.save_draft(opened.context.link_id, draft_key(opened.secret), sealed, opened.context, self._today())
        return PageResult(answers=merged, next_page=target, used=not saved)

    async def submit(self, opened: Opened, *, language: str) -> SubmitResult:
        """Store the response once (held, sealed, until its group is released). A repeat (double tap,
        retry, second phone) stores nothing more."""
        if opened.used:
            return SubmitResult(missing=[], already=True)
        answers = opened.instrument.complete(opened.answers)
        missing = missing_required(opened.instrument, answers)
        if missing:
            return SubmitResult(missing=missing)
        c = opened.context
        response = NewResponse(  # its id (0 here) is drawn when it is released; the seal leaves it out
            id=0, instrument=c.instrument_version, wave=c.wave, event=c.event, school=c.school,
            school_class=c.school_class, class_name=c.class_name, grade=c.grade, year=c.year,
            language=language, submitted_on=self._today(), answers=answers,
        )
        held = Held(wave=c.wave, event=c.event, school=c.school, school_class=c.school_class, sealed=self._sealer.seal(response.payload()))
        stored = await self.store.submit(c.link_id, draft_key(opened.secret), held)
        return SubmitResult(missing=[], already=not stored)

    async def help_contacts(self) -> list[dict[str, str]]:
        return await self.store.help_contacts()

    async def organisation(self) -> dict[str, Any] | None:
        """The municipality's row as pupils see it (name, logo text, help contacts, notice), or None."""
        return await self.store.organisation()

    async def _asked(self, version_id: int, grade: int | None) -> Instrument:
        """The instrument as asked through a link of a class with ``grade``: what the class
        already tells (``known_from = "class"``) is not asked again."""
        asked = self._by_grade.get((version_id, grade))
        if asked is None:
            instrument = await self._instrument(version_id)
            asked = self._by_grade[(version_id, grade)] = instrument.with_known(instrument.known_answers(grade))
        return asked

    async def _instrument(self, version_id: int) -> Instrument:
        # One read per version, also for the class whose first pupils all arrive at once.
        loading = self._instruments.get(version_id)
        if loading is not None and loading.done():
            if not loading.cancelled() and loading.exception() is None:
                return loading.result()
            loading = None  # read again
        if loading is None:
            loading = self._instruments[version_id] = asyncio.ensure_future(self._load(version_id))
        return await asyncio.shield(loading)

    async def _load(self, version_id: int) -> Instrument:
        definition = await self.store.instrument_definition(version_id)
        if definition is None:
            raise LinkNotFound()
        return instrument_from_dict(definition)

    def _check_open(self, context: LinkContext) -> None:
        today = self._today()
        if context.status == "closed" or (context.closes_on is not None and today > context.closes_on):
            raise SurveyClosed()
        if context.status != "open" or (context.opens_on is not None and today < context.opens_on):
            raise NotOpenYet()


def _has_visible(instrument: Instrument, section: Section, answers: dict[str, object]) -> bool:
    return any(instrument.visible(question, answers) for question in section.questions)


def next_page(instrument: Instrument, number: int, answers: dict[str, object]) -> int:
    """The next page with a visible question; ``len(sections) + 1`` is the review."""
    for candidate in range(number + 1, len(instrument.sections) + 1):
        if _has_visible(instrument, instrument.sections[candidate - 1], answers):
            return candidate
    return len(instrument.sections) + 1


def previous_page(instrument: Instrument, number: int, answers: dict[str, object]) -> int:
    """The previous page with a visible question; 0 is the welcome page."""
    for candidate in range(min(number, len(instrument.sections) + 1) - 1, 0, -1):
        if _has_visible(instrument, instrument.sections[candidate - 1], answers):
            return candidate
    return 0
