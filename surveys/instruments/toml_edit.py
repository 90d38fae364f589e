"""Editing TOML text in place: where each value sits, and changes that touch only those bytes.

``locate`` reads a TOML document (the subset instrument files use: tables, arrays of tables,
dotted keys, strings, numbers, booleans, arrays and inline tables) and returns the span of
every value by its path (``("sections", 0, "questions", 2, "options", 1, "uk")``).
``apply`` then replaces values or adds keys beside their siblings, leaving every other byte
(comments, layout, line continuations) as it was: an import without changes writes the same file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Edit", "Located", "Path", "apply", "locate", "render_string"]

Path = tuple[str | int, ...]
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


@dataclass(frozen=True)
class Located:
    """A value's span; ``inline`` if it sits in an inline table, else ``line_end`` and ``key``
    (the statement's dotted key as written, e.g. ``title.en``) say where its statement ends."""

    path: Path
    start: int
    end: int
    inline: bool
    key: str = ""
    indent: str = ""
    line_end: int = 0


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` with ``text`` (an insertion when they are equal)."""

    start: int
    end: int
    text: str


def render_string(value: str) -> str:
    """``value`` as a TOML basic string (one line; UTF-8 kept, control characters escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")


def apply(source: str, edits: Iterable[Edit]) -> str:
    """``source`` with the edits made (they must not overlap)."""
    result = source
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        result = result[: edit.start] + edit.text + result[edit.end :]
    return result


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[Path, Located] = {}
        self.counts: dict[Path, int] = {}

    def error(self, message: str) -> ValueError:
        line = self.text.count("\n", 0, self.pos) + 1
        return ValueError(f"line {line}: {message}")

    def skip(self, newlines: bool) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip(False)
            text = self.text
            if text.startswith('"', self.pos) or text.startswith("'", self.pos):
                start = self.pos
                self.string()
                parts.append(json.loads(text[start : self.pos]) if text[start] == '"' else text[start + 1 : self.pos - 1])
            else:
                match = _BARE.match(text, self.pos)
                if match is None:
                    raise self.error("expected a key")
                parts.append(match.group())
                self.pos = match.end()
            self.skip(False)
            if not self.text.startswith(".", self.pos):
                return parts
            self.pos += 1

    def string(self) -> None:
        text = self.text
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote, self.pos):
                break
        self.pos += len(quote)
        while self.pos < len(text):
            if quote[0] == '"' and text[self.pos] == "\\":
                self.pos += 2
            elif text.startswith(quote, self.pos):
                self.pos += len(quote)
                while len(quote) == 3 and self.pos < len(text) and text[self.pos] == quote[0]:
                    self.pos += 1  # up to two quotes may end a multi-line string's content
                return
            else:
                self.pos += 1
        raise self.error("unterminated string")

    def value(self, path: Path, inline: bool, statement: tuple[str, str, int] | None) -> None:
        start, char = self.pos, self.text[self.pos : self.pos + 1]
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip(True)
                if self.text.startswith("]", self.pos):
                    self.pos += 1
                    break
                self.value((*path, index), True, None)
                index += 1
                self.skip(True)
                if self.text.startswith(",", self.pos):
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip(False)
                if self.text.startswith("}", self.pos):
                    self.pos += 1
                    break
                keys = self.key()
                self.expect("=")
                self.skip(False)
                self.value((*path, *keys), True, None)
                self.skip(False)
                if self.text.startswith(",", self.pos):
                    self.pos += 1
        else:
            match = _SCALAR_END.search(self.text, self.pos)
            self.pos = len(self.text) if match is None else match.start()
            while self.pos > start and self.text[self.pos - 1] in " \t\r":
                self.pos -= 1
            if self.pos == start:
                raise self.error("expected a value")
        if statement is None:
            self.found[path] = Located(path, start, self.pos, inline)
        else:
            key, indent, _ = statement
            self.found[path] = Located(path, start, self.pos, False, key, indent, self.line_end())

    def line_end(self) -> int:
        """The offset just past the current line's newline (the end of the text if there is none)."""
        end = self.text.find("\n", self.pos)
        return len(self.text) if end < 0 else end + 1

    def expect(self, token: str) -> None:
        self.skip(False)
        if not self.text.startswith(token, self.pos):
            raise self.error(f"expected {token!r}")
        self.pos += len(token)

    def header(self) -> Path:
        array = self.text.startswith("[[", self.pos)
        self.pos += 2 if array else 1
        keys = self.key()
        self.expect("]]" if array else "]")
        # Resolve each earlier part to its newest element where it names an array of tables.
        path: Path = ()
        for key in keys[:-1]:
            path = (*path, key)
            if path in self.counts:
                path = (*path, self.counts[path] - 1)
        path = (*path, keys[-1])
        if array:
            index = self.counts.get(path, 0)
            self.counts[path] = index + 1
            path = (*path, index)
        return path

    def document(self) -> dict[Path, Located]:
        table: Path = ()
        while True:
            self.skip(True)
            if self.pos >= len(self.text):
                return self.found
            if self.text.startswith("[", self.pos):
                table = self.header()
                continue
            line_start = self.text.rfind("\n", 0, self.pos) + 1
            indent = self.text[line_start : self.pos]
            key_start = self.pos
            keys = self.key()
            key_text = self.text[key_start : self.pos].strip()
            self.expect("=")
            self.skip(False)
            self.value((*table, *keys), False, (key_text, indent, line_start))


def locate(source: str) -> dict[Path, Located]:
    """Every value of the document by its path; ``ValueError`` naming the line if it cannot be read."""
    return _Scanner(source).document()
