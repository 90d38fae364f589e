"""The installation's municipality and its own settings: name, logo text, help contacts,
suppression threshold."""

from __future__ import annotations

import json
from dataclasses import dataclass

from surveys.db.tables import Organisation
from surveys.errors import InvalidInput
from surveys.text import one_line

__all__ = [
    "DEFAULT_HELP_CONTACTS",
    "MAX_CONTACTS",
    "Municipality",
    "brand",
    "get_organisation",
    "load_municipality",
    "save_municipality",
]

MAX_CONTACTS = 6
DEFAULT_HELP_CONTACTS = [
    {
        "name": "UNG RUS – anonym rådgivning",
        "text": "Gratis og anonym snak om alkohol, hash og andre stoffer – for dig selv eller en ven.",
        "contact": "Rusmiddelcentret",
    },
    {
        "name": "headspace",
        "text": "Gratis og anonym samtale med en frivillig, når livet er svært.",
        "contact": "headspace.dk",
    },
    {
        "name": "SSP",
        "text": "SSP-medarbejderen på din skole kan hjælpe dig videre.",
        "contact": "Spørg din lærer eller skolens kontor",
    },
]


@dataclass(frozen=True)
class Municipality:
    name: str
    logo_text: str
    help_contacts: list[dict[str, str]]
    suppression_threshold: int


async def get_organisation(name: str = "Demo Kommune") -> Organisation:
    """The installation's municipality, created on first use."""
    organisation = await Organisation.objects().order_by(Organisation.id).first()
    if organisation is None:
        organisation = Organisation(name=name, logo_text=name, help_contacts=DEFAULT_HELP_CONTACTS)
        await organisation.save()
    return organisation


async def brand() -> str:
    """What the console's header shows: the logo text, else the municipality's name (before there is one: trivsel)."""
    row = await Organisation.select(Organisation.name, Organisation.logo_text).order_by(Organisation.id).first()
    if row is None:
        return "trivsel"
    return row["logo_text"] or row["name"]


def _contacts(value: object) -> list[dict[str, str]]:
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [
        {"name": str(c.get("name", "")), "text": str(c.get("text", "")), "contact": str(c.get("contact", ""))}
        for c in (value or [])
        if isinstance(c, dict)
    ]


async def load_municipality() -> Municipality:
    organisation = await get_organisation()
    return Municipality(
        name=organisation.name,
        logo_text=organisation.logo_text,
        help_contacts=_contacts(organisation.help_contacts),
        suppression_threshold=organisation.suppression_threshold,
    )


async def save_municipality(settings: Municipality, *, minimum_threshold: int) -> Municipality:
    """Validate and store; InvalidInput with a reason per field."""
    problems: dict[str, str] = {}
    name = one_line(settings.name)
    if not name or len(name) > 200:
        problems["name"] = "angiv kommunens navn (højst 200 tegn)"
    logo_text = one_line(settings.logo_text)
    if len(logo_text) > 200:
        problems["logo_text"] = "højst 200 tegn"
    contacts = []
    for index, contact in enumerate(settings.help_contacts[:MAX_CONTACTS]):
        cleaned = {key: one_line(str(contact.get(key, ""))) for key in ("name", "text", "contact")}
        if not any(cleaned.values()):
            continue
        if not cleaned["name"]:
            problems[f"contact_{index}"] = "giv kontakten et navn"
        elif any(len(value) > 300 for value in cleaned.values()):
            problems[f"contact_{index}"] = "højst 300 tegn pr. felt"
        contacts.append(cleaned)
    if not minimum_threshold <= settings.suppression_threshold <= 50:
        problems["suppression_threshold"] = f"mellem {minimum_threshold} og 50"
    if problems:
        raise InvalidInput("Indstillingerne blev ikke gemt.", problems)
    organisation = await get_organisation()
    await Organisation.update(
        {
            Organisation.name: name,
            Organisation.logo_text: logo_text,
            Organisation.help_contacts: contacts,
            Organisation.suppression_threshold: settings.suppression_threshold,
        }
    ).where(Organisation.id == organisation.id)
    return await load_municipality()
