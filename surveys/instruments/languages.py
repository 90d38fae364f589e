"""Language tags (BCP 47), writing direction and each language's name in itself."""

from __future__ import annotations

import re

__all__ = [
    "LANGUAGE_STATUSES",
    "LANGUAGE_TAG_MAX",
    "LANGUAGE_TAG_RE",
    "language_name",
    "text_direction",
]

LANGUAGE_TAG_MAX = 35  # RFC 5646 4.4.1: a buffer of 35 characters holds any tag in practice
# language[-Script][-REGION][-variant...], in the canonical case (``sr-Latn``, ``pt-BR``), so one
# language cannot appear twice under two spellings. Private use and extensions are not needed.
LANGUAGE_TAG_RE = re.compile(
    r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
)
LANGUAGE_STATUSES = ("validated", "draft")

# Languages written right to left unless the tag names another script (``ku`` is Latin by default).
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "prs", "ps", "sd", "syr", "ug", "ur", "yi"}
)
_RTL_SCRIPTS = frozenset({"Adlm", "Arab", "Hebr", "Nkoo", "Rohg", "Syrc", "Thaa"})

# Each language's own name, as a language switch shows it (a UI catalogue can name its language too).
_NAMES = {
    "ar": "العربية",
    "ckb": "کوردی",
    "da": "Dansk",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fa": "فارسی",
    "fr": "Français",
    "is": "Íslenska",
    "kl": "Kalaallisut",
    "ku": "Kurdî",
    "nb": "Norsk bokmål",
    "pl": "Polski",
    "prs": "دری",
    "ps": "پښتو",
    "ro": "Română",
    "ru": "Русский",
    "so": "Soomaali",
    "sv": "Svenska",
    "ti": "ትግርኛ",
    "tr": "Türkçe",
    "uk": "Українська",
    "ur": "اردو",
    "vi": "Tiếng Việt",
}


def text_direction(tag: str) -> str:
    """``"rtl"`` for a language written right to left, else ``"ltr"``."""
    parts = tag.split("-")
    script = next((part for part in parts[1:] if len(part) == 4 and part[0].isalpha()), None)
    if script is not None:
        return "rtl" if script in _RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in _RTL_LANGUAGES else "ltr"


def language_name(tag: str) -> str:
    """The language's name in itself (``uk`` → Українська); the tag when it is not known."""
    return _NAMES.get(tag) or _NAMES.get(tag.split("-")[0]) or tag
