"""Where to get help: structured contacts (name, what for, phone, web, opening hours) for
pupils or for staff, with the national lines as defaults, and checking what an admin types."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Literal

from surveys.text import one_line

__all__ = [
    "AUDIENCES",
    "DEFAULT_HELP_CONTACTS",
    "HelpContact",
    "check_contact",
    "contacts_from_stored",
    "contacts_for",
]

Audience = Literal["pupil", "staff"]
AUDIENCES: tuple[Audience, ...] = ("pupil", "staff")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{1,19}$")
_DOMAIN = re.compile(r"^[a-z0-9æøå-]+(\.[a-z0-9æøå-]+)+(/\S*)?$", re.IGNORECASE)
_LIMITS = {"name": 120, "text": 300, "phone": 20, "web": 300, "hours": 120}


@dataclass(frozen=True)
class HelpContact:
    """One place to get help; ``audience`` says whose help block it is in."""

    name: str
    text: str = ""
    phone: str = ""
    web: str = ""
    hours: str = ""
    audience: Audience = "pupil"

    @property
    def tel(self) -> str:
        """The phone number as a ``tel:`` link target (digits, with a leading + kept)."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone) if self.phone else ""

    @property
    def web_label(self) -> str:
        """The web address as shown: without the scheme and a trailing slash."""
        return re.sub(r"^https?://", "", self.web).rstrip("/")

    def stored(self) -> dict[str, str]:
        return asdict(self)


DEFAULT_HELP_CONTACTS: tuple[HelpContact, ...] = (
    HelpContact("BørneTelefonen (Børns Vilkår)", "Gratis og anonym rådgivning, når noget er svært. Ring, skriv eller chat.",
                "116 111", "https://bornetelefonen.dk", "hele døgnet"),
    HelpContact("Cyberhus", "Anonym chat og brevkasse for børn og unge, også om alkohol og stoffer.",
                "", "https://cyberhus.dk", "se chattens tider på cyberhus.dk"),
    HelpContact("UNG RUS – kommunens rådgivning om rusmidler",
                "Gratis og anonym snak om alkohol, hash og andre stoffer – for dig selv eller en ven.", "", "", ""),
    HelpContact("Rusmiddelcentret – rådgivning til fagpersoner",
                "Sparring, når du er bekymret for en ung, og hvordan du henviser.", "", "", "", "staff"),
    HelpContact("SSP-konsulenten", "Hjælp til bekymringer om unge, rusmidler og kriminalitet.", "", "", "", "staff"),
)


def _web(value: str) -> str | None:
    """A safe http(s) address, "" for none, None when it is not an address."""
    if not value:
        return ""
    if re.match(r"^https?://", value, re.IGNORECASE):
        rest = value.split("://", 1)[1]
        return value if _DOMAIN.match(rest) else None
    return f"https://{value}" if _DOMAIN.match(value) else None


def check_contact(raw: dict[str, object]) -> tuple[HelpContact | None, str | None]:
    """A contact from form input: (contact, None), (None, None) for an empty row, or (None, reason)."""
    values = {key: one_line(str(raw.get(key, "") or "")) for key in _LIMITS}
    audience = str(raw.get("audience") or "pupil")
    if not any(values.values()):
        return None, None
    if not values["name"]:
        return None, "giv kontakten et navn"
    for key, limit in _LIMITS.items():
        if len(values[key]) > limit:
            return None, f"højst {limit} tegn i {key}"
    if values["phone"] and not _PHONE.match(values["phone"]):
        return None, "telefonnummeret må kun have cifre, mellemrum og + foran (fx 116 111)"
    web = _web(values["web"])
    if web is None:
        return None, "webadressen skal være en adresse som cyberhus.dk eller https://cyberhus.dk"
    if audience not in AUDIENCES:
        return None, "vælg, om kontakten er til elever eller til fagpersoner"
    return HelpContact(values["name"], values["text"], values["phone"], web, values["hours"], audience), None  # type: ignore[arg-type]


def contacts_from_stored(value: object) -> list[HelpContact]:
    """The stored list as contacts; an older contact's one free ``contact`` field becomes its
    phone or web address when it is one, else part of its text."""
    contacts = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        fields = {key: str(item.get(key) or "") for key in _LIMITS}
        legacy = one_line(str(item.get("contact") or ""))
        if legacy and _PHONE.match(legacy) and not fields["phone"]:
            fields["phone"] = legacy
        elif legacy and _web(legacy) and not fields["web"]:
            fields["web"] = _web(legacy) or ""
        elif legacy:
            fields["text"] = f"{fields['text']} ({legacy})" if fields["text"] else legacy
        audience = item.get("audience") if item.get("audience") in AUDIENCES else "pupil"
        if fields["name"]:
            contacts.append(HelpContact(**fields, audience=audience))  # type: ignore[arg-type]
    return contacts


def contacts_for(contacts: list[HelpContact], audience: str) -> list[HelpContact]:
    """The help block of pupils or of staff."""
    return [c for c in contacts if c.audience == ("staff" if audience == "staff" else "pupil")]
