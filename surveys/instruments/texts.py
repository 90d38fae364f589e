"""Texts in Danish and English, as every instrument text is."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Text"]


@dataclass(frozen=True)
class Text:
    """A text in Danish and English."""

    da: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang``; Danish when that language is missing."""
        value = self.en if lang == "en" else self.da
        return value or self.da
