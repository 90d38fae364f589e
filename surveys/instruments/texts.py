"""Texts in Danish, English and any further languages, as every instrument text is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Text"]


@dataclass(frozen=True)
class Text:
    """A text in Danish, English and any further languages (``more``: (BCP 47 code, text) pairs)."""

    da: str
    en: str
    more: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Text:
        """A text from ``{language: text}`` (``da`` and ``en`` required)."""
        return cls(
            values["da"],
            values["en"],
            tuple((lang, value) for lang, value in values.items() if lang not in ("da", "en")),
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is written in, Danish and English first."""
        return ("da", "en", *(lang for lang, _ in self.more))

    def as_dict(self) -> dict[str, str]:
        """``{language: text}``, Danish and English first."""
        return {"da": self.da, "en": self.en, **dict(self.more)}

    def has(self, lang: str) -> bool:
        """True if the text is written in ``lang``."""
        return lang in ("da", "en") or any(code == lang for code, _ in self.more)

    def get(self, lang: str) -> str:
        """The text in ``lang``; Danish when that language is missing."""
        if lang == "en":
            return self.en or self.da
        for code, value in self.more:
            if code == lang:
                return value
        return self.da
