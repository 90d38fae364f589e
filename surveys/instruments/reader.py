"""Problems found in instrument files, and a reader that collects them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from surveys.instruments.languages import LANGUAGE_TAG_RE
from surveys.instruments.model import DECLINE_LABEL, Text

__all__ = ["ID_RE", "INSTRUMENT_ID_RE", "InstrumentError", "Problem", "Reader"]

ID_RE = re.compile(r"[a-z][a-z0-9_]*")
INSTRUMENT_ID_RE = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an instrument file; ``question`` is the id of the element at fault."""

    file: str
    question: str | None
    reason: str

    def __str__(self) -> str:
        if self.question is None:
            return f"{self.file}: {self.reason}"
        return f"{self.file}: {self.question}: {self.reason}"


class InstrumentError(ValueError):
    """An instrument file is invalid; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Reader:
    """Reads values out of parsed TOML and records a ``Problem`` for each bad one."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.skipped: set[str] = (
            set()
        )  # ids of broken elements, so references to them stay quiet
        self.languages: tuple[str, ...] = ("da", "en")  # the instrument's, once its file names them
        self.decline_label = DECLINE_LABEL  # or the file's own

    def problem(self, where: str | None, reason: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(self.source, where, reason))

    def keys(
        self,
        table: dict[str, Any],
        allowed: Iterable[str],
        where: str | None,
        what: str,
    ) -> None:
        """Report keys of ``table`` not in ``allowed`` (typos get a suggestion)."""
        allowed = sorted(allowed)
        for key in table:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(where, f"unknown key {key!r} in {what}{hint}")

    def table(
        self, value: object, where: str | None, what: str
    ) -> dict[str, Any] | None:
        """``value`` if it is a table, else None and a problem."""
        if isinstance(value, dict):
            return value
        self.problem(where, f"{what} must be a table")
        return None

    def tables(
        self, value: object, where: str | None, what: str
    ) -> list[dict[str, Any]]:
        """The tables of an array of tables (bad entries are reported and skipped)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"{what} must be an array of tables")
            return []
        return [
            t
            for t in (self.table(v, where, f"each of {what}") for v in value)
            if t is not None
        ]

    def ident(
        self,
        value: object,
        where: str | None,
        what: str,
        pattern: re.Pattern[str] = ID_RE,
    ) -> str | None:
        """A syntactically valid id, else None and a problem."""
        if value is None:
            self.problem(where, f"{what} has no id")
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.problem(where, f"{what} id {value!r} must match {pattern.pattern}")
            return None
        return value

    def text(
        self, table: dict[str, Any], key: str, where: str | None, required: bool = True
    ) -> Text | None:
        """The ``{da, en, ...}`` table under ``key``: one text per language of the instrument."""
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where, f"missing {key} ({', '.join(self.languages)})")
            return None
        if not isinstance(value, dict):
            self.problem(where, f"{key} must be a table with {', '.join(self.languages)}")
            return None
        self.text_keys(value, (), where, key)
        return self.flat_text(value, where, key)

    def text_keys(self, table: dict[str, Any], allowed: Iterable[str], where: str | None, what: str) -> None:
        """``keys`` for a table that also holds texts: language keys are left to ``flat_text``."""
        allowed = tuple(allowed)
        rest = {k: v for k, v in table.items() if k in allowed or not LANGUAGE_TAG_RE.fullmatch(k)}
        self.keys(rest, allowed, where, what)

    def flat_text(
        self, table: dict[str, Any], where: str | None, what: str, other: Iterable[str] = ()
    ) -> Text | None:
        """The language keys of ``table`` itself (beside its ``other`` keys): each declared language, no other."""
        found = {}
        for lang in self.languages:
            value = table.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.problem(where, f"{what}: missing {lang} text")
            else:
                found[lang] = value.strip()
        for key in table:
            if key not in self.languages and key not in other and LANGUAGE_TAG_RE.fullmatch(key):
                self.problem(where, f"{what}: extra {key} text ({key} is not in languages: {', '.join(self.languages)})")
        if len(found) < len(self.languages):
            return None
        return Text.of(found)

    def integer(
        self, table: dict[str, Any], key: str, where: str | None, what: str
    ) -> int | None:
        """An optional integer under ``key``."""
        value = table.get(key)
        if value is None:
            return None
        if not _is_int(value):
            self.problem(where, f"{what} must be an integer, not {value!r}")
            return None
        return int(value)

    def boolean(self, table: dict[str, Any], key: str, where: str | None) -> bool:
        """An optional boolean under ``key`` (default false)."""
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(where, f"{key} must be true or false, not {value!r}")
            return False
        return value

    def codes(
        self, value: object, where: str | None, what: str
    ) -> tuple[int, ...] | None:
        """A non-empty list of integer codes."""
        if (
            not isinstance(value, list)
            or not value
            or not all(_is_int(v) for v in value)
        ):
            self.problem(
                where,
                f"{what} must be a non-empty list of integer codes, not {value!r}",
            )
            return None
        return tuple(value)

    def names(
        self, value: object, where: str | None, what: str
    ) -> tuple[str, ...] | None:
        """A list of variable names."""
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                where, f"{what} must be a list of variable names, not {value!r}"
            )
            return None
        return tuple(value)
