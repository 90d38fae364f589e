"""Interface texts: one catalogue per language (``<tag>.toml`` beside this file), Danish first.

Instrument texts live in the instrument files. A catalogue names its language in that
language (``[language] name``) and says whether a native speaker has reviewed it
(``status = "validated"`` or ``"draft"``); every catalogue has the keys of ``da.toml``.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from surveys.instruments import language_name, text_direction

if TYPE_CHECKING:
    from litestar import Request

__all__ = [
    "Catalogue",
    "LanguageChoice",
    "catalogues",
    "language_choices",
    "pick_language",
    "request_language",
    "translator",
    "ui_languages",
]

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Catalogue:
    """The interface's texts in one language."""

    tag: str
    name: str
    status: str
    messages: dict[str, str]

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return text_direction(self.tag)


@dataclass(frozen=True)
class LanguageChoice:
    """One entry of a language switch: the tag, its own name and its direction."""

    tag: str
    name: str
    direction: str


@functools.cache
def catalogues() -> dict[str, Catalogue]:
    """Every catalogue, Danish and English first, then by tag."""
    found: dict[str, Catalogue] = {}
    paths = sorted(_HERE.glob("*.toml"), key=lambda p: (p.stem not in ("da", "en"), p.stem != "da", p.stem))
    for path in paths:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        meta = data.get("language", {})
        found[path.stem] = Catalogue(path.stem, meta.get("name") or language_name(path.stem),
                                     meta.get("status", "draft"), dict(data.get("messages", {})))
    return found


def ui_languages() -> tuple[str, ...]:
    """The languages the interface is written in."""
    return tuple(catalogues())


def pick_language(value: str | None, default: str = "da") -> str:
    """``value`` if the interface has that language, else ``default``."""
    return value if value in catalogues() else default


def request_language(request: Request, fallback: str | None = None) -> str:
    """The language a request asks for: ``?lang=`` first, then the ``lang`` cookie, then
    ``fallback`` (e.g. the language a draft was saved in), then Danish."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    return pick_language(fallback if chosen is None else chosen)


def language_choices(languages: Iterable[str]) -> list[LanguageChoice]:
    """The switch for pages in ``languages``: those the interface also has, each named in itself."""
    known = catalogues()
    return [
        LanguageChoice(tag, known[tag].name, known[tag].direction) for tag in languages if tag in known
    ]


def translator(lang: str) -> Callable[[str], str]:
    """A ``t(key)`` function for templates; falls back to Danish, then to the key."""
    known = catalogues()
    table = known.get(lang, known["da"]).messages
    fallback = known["da"].messages

    def t(key: str) -> str:
        return table.get(key) or fallback.get(key) or key

    return t
